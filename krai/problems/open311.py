"""Open311 GeoReport v2 under /open311/v2/: themes are its services, problems its service requests.

JSON and XML by the extension, the standard's field names and root elements, string identifiers, its
error format (a list of ``{code, description}``), and the common extensions: ``page``/``page_size``,
``extensions=true`` (extended attributes and the update history as ``notes``), a multipart ``media``
photo on POST, and FixMyStreet's ``servicerequestupdates``. Posting needs an ``api_key``: an
``Open311Key`` or an accounts API token with the "write" scope; reports wait for moderation, so a POST
answers with a ``token`` that ``tokens/{token}`` turns into the ``service_request_id`` once published.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from krai.accounts import services as account_services
from krai.core.files.models import Attachment
from krai.org.addresses import selectors as address_selectors
from krai.problems import selectors, services
from krai.problems.models import Category, Open311Key, Problem, ProblemUpdate

DEFAULT_SPAN = dt.timedelta(days=90)
DEFAULT_LIMIT = 1000
MAX_PAGE_SIZE = 1000
CHANGESET = "2026-12-01T00:00:00Z"

#: FixMyStreet's extended statuses for ours
EXTERNAL_STATUS = {
    Problem.Status.NEW: "FOR_TRIAGE",
    Problem.Status.ROUTED: "INVESTIGATING",
    Problem.Status.IN_WORK: "IN_PROGRESS",
    Problem.Status.PLANNED: "ACTION_SCHEDULED",
    Problem.Status.FIXED: "FIXED",
    Problem.Status.REOPENED: "REOPEN",
    Problem.Status.CLOSED: "NO_FURTHER_ACTION",
    Problem.Status.REJECTED: "NOT_COUNCILS_RESPONSIBILITY",
}

#: the element name of one item of each list, in XML
ITEM_NAMES = {
    "services": "service", "service_requests": "request", "attributes": "attribute", "values": "value",
    "endpoints": "endpoint", "formats": "format", "notes": "note", "errors": "error",
    "service_request_updates": "request_update",
}


class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


# --- rendering ----------------------------------------------------------------------------------

def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _element(parent: ET.Element, name: str, value: Any) -> None:
    node = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _element(node, key, item)
    elif isinstance(value, list):
        for item in value:
            _element(node, ITEM_NAMES.get(name, "item"), item)
    else:
        node.text = _text(value)


def to_xml(root: str, body: Any) -> bytes:
    element = ET.Element(root)
    if isinstance(body, list):
        for item in body:
            _element(element, ITEM_NAMES.get(root, "item"), item)
    else:
        for key, item in body.items():
            _element(element, key, item)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def render(fmt: str, root: str, body: Any, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(root, body), status=status, content_type="text/xml; charset=utf-8")
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status,
                        content_type="application/json; charset=utf-8")


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return render(fmt, "errors", [{"code": status, "description": description}], status=status)


def open311_view(view):
    """Turn Open311Error, bad input and refusals into the standard's error list, in the request's format."""

    def wrapper(request, *args, fmt: str, **kwargs):
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as exc:
            return error(fmt, exc.status, exc.description)
        except ValidationError as exc:
            return error(fmt, 400, " ".join(exc.messages))
        except PermissionDenied as exc:
            return error(fmt, 403, str(exc) or _("Not allowed."))

    wrapper.__name__, wrapper.__doc__ = view.__name__, view.__doc__
    return wrapper


# --- values -------------------------------------------------------------------------------------

def _iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _day_end(day: dt.date | None) -> str | None:
    if day is None:
        return None
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))
    return moment.isoformat(timespec="seconds")


def _param(request, name: str) -> str:
    """A parameter from the query string or the form; sent empty means absent."""
    value = request.POST.get(name) if request.method == "POST" and name in request.POST else request.GET.get(name)
    return (value or "").strip()


def _when(value: str, name: str) -> dt.datetime | None:
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise Open311Error(400, _("%(name)s is not a date in ISO 8601.") % {"name": name})
        moment = dt.datetime.combine(day, dt.time())
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _positive(value: str, name: str, default: int, maximum: int) -> int:
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise Open311Error(400, _("%(name)s must be a whole number above 0.") % {"name": name})
    return min(int(value), maximum)


def service_json(category: Category) -> dict:
    group = category.parent.name if category.parent_id else ""
    return {"service_code": category.code, "service_name": category.name, "description": category.description,
            "metadata": False, "type": "realtime", "keywords": category.keywords, "group": group}


def _media_urls(request, problems: Iterable[Problem]) -> dict[int, str]:
    ids = [str(p.pk) for p in problems]
    if not ids:
        return {}
    rows = (Attachment.objects.filter(content_type__app_label="problems", content_type__model="problem",
                                      object_id__in=ids, kind="image").order_by("id").values_list("object_id", "pk"))
    first: dict[int, str] = {}
    for object_id, pk in rows:
        first.setdefault(int(object_id), request.build_absolute_uri(reverse("files:download", args=[pk])))
    return first


def request_json(problem: Problem, *, media: str = "", extensions: bool = False,
                 notes: list[ProblemUpdate] | None = None) -> dict:
    notes_text = problem.answer_text or (problem.moderation_reason if problem.status == Problem.Status.REJECTED
                                         else "")
    body = {
        "service_request_id": str(problem.pk),
        "status": "open" if problem.status in (Problem.Status.NEW, *Problem.OPEN) else "closed",
        "status_notes": notes_text,
        "service_name": problem.category.name,
        "service_code": problem.category.code,
        "description": problem.public_text,
        "agency_responsible": problem.organisation.name if problem.organisation_id else "",
        "service_notice": "",
        "requested_datetime": _iso(problem.created_at),
        "updated_datetime": _iso(problem.updated_at),
        "expected_datetime": _day_end(problem.due_date) if problem.status in Problem.AWAITING_REACTION else None,
        "address": problem.public_address,
        "address_id": "",
        "zipcode": "",
        "lat": problem.lat,
        "long": problem.lon,
        "media_url": media,
    }
    if extensions:
        body["extended_attributes"] = {
            "external_status_code": EXTERNAL_STATUS[problem.status],
            "municipality": problem.municipality.name,
            "endorsements": problem.endorsements_count,
            "planned_date": problem.planned_date.isoformat() if problem.planned_date else "",
            "rating": problem.rating if problem.rating is not None else "",
        }
        body["notes"] = [{"datetime": _iso(n.created_at), "type": n.kind, "status": n.status,
                          "external_status_code": EXTERNAL_STATUS[n.status], "description": n.public_text}
                         for n in notes or []]
    return body


# --- endpoints ----------------------------------------------------------------------------------

@require_GET
@open311_view
def discovery(request, *, fmt: str):
    """Where the service is and what it speaks."""
    url = request.build_absolute_uri(reverse("problems:open311-root"))
    return render(fmt, "discovery", {
        "changeset": CHANGESET,
        "contact": getattr(settings, "DEFAULT_FROM_EMAIL", ""),
        "key_service": _("Keys for posting are issued by the portal's administrators."),
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": url, "changeset": CHANGESET,
                       "type": "production", "formats": ["text/xml", "application/json"]}],
    })


@require_GET
@open311_view
def service_list(request, *, fmt: str):
    """The themes residents choose, as services."""
    return render(fmt, "services", [service_json(c) for c in selectors.category_leaves()])


@require_GET
@open311_view
def service_definition(request, *, code: str, fmt: str):
    category = next((c for c in selectors.category_leaves() if c.code == code), None)
    if category is None:
        raise Open311Error(404, _("No service with the code %(code)s.") % {"code": code})
    return render(fmt, "service_definition", {"service_code": category.code, "attributes": []})


@csrf_exempt
@require_http_methods(["GET", "POST"])
@open311_view
def request_list(request, *, fmt: str):
    """GET: service requests with the standard's filters; POST: a new one (needs ``api_key``)."""
    if request.method == "POST":
        return _post_request(request, fmt)
    qs = selectors.published()
    ids = _param(request, "service_request_id")
    if ids:
        wanted = [part.strip() for part in ids.split(",") if part.strip()]
        if not all(part.isdigit() for part in wanted):
            raise Open311Error(400, _("service_request_id is a comma-separated list of identifiers."))
        qs = qs.filter(pk__in=[int(part) for part in wanted])
    else:
        codes = [part.strip() for part in _param(request, "service_code").split(",") if part.strip()]
        if codes:
            qs = qs.filter(Q(category__code__in=codes) | Q(category__parent__code__in=codes))
        start, end = _when(_param(request, "start_date"), "start_date"), _when(_param(request, "end_date"), "end_date")
        if start and end and end < start:
            raise Open311Error(400, _("end_date is before start_date."))
        if start and end and end - start > DEFAULT_SPAN:
            raise Open311Error(400, _("The span between start_date and end_date is at most 90 days."))
        if not start and not end:
            end = timezone.now()
            start = end - DEFAULT_SPAN
        elif start and not end:
            end = start + DEFAULT_SPAN
        elif end and not start:
            start = end - DEFAULT_SPAN
        qs = qs.filter(created_at__gte=start, created_at__lte=end)
        status = _param(request, "status")
        if status:
            groups = {"open": Problem.OPEN, "closed": (Problem.Status.FIXED, Problem.Status.CLOSED)}
            statuses = [part.strip() for part in status.split(",")]
            if any(part not in groups for part in statuses):
                raise Open311Error(400, _("status is open or closed."))
            qs = qs.filter(status__in=[s for part in statuses for s in groups[part]])
    size = _positive(_param(request, "page_size"), "page_size", DEFAULT_LIMIT, MAX_PAGE_SIZE)
    page = _positive(_param(request, "page"), "page", 1, 10**6)
    problems = list(qs.order_by("-created_at", "-id")[(page - 1) * size: page * size])
    return render(fmt, "service_requests", _requests_body(request, problems))


def _requests_body(request, problems: list[Problem]) -> list[dict]:
    extensions = _param(request, "extensions").lower() == "true"
    media = _media_urls(request, problems)
    notes: dict[int, list[ProblemUpdate]] = {}
    if extensions and problems:
        for update in ProblemUpdate.objects.filter(problem__in=problems, is_public=True).order_by("created_at", "id"):
            notes.setdefault(update.problem_id, []).append(update)
    return [request_json(p, media=media.get(p.pk, ""), extensions=extensions, notes=notes.get(p.pk, []))
            for p in problems]


def _poster(request):
    """The account a POST acts as: an Open311 key's, or an accounts API token's ("write" and "problems:write")."""
    value = _param(request, "api_key")
    if not value:
        raise Open311Error(403, _("api_key is required to post a request."))
    key = Open311Key.find(value)
    if key is not None:
        Open311Key.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
        return key.user
    token = account_services.token_find(value) if value.startswith("krai_") else None
    if (token is not None and token.is_active() and token.has_scope("write") and token.has_scope("problems:write")
            and token.user.is_active):
        account_services.token_touch(token)
        return token.user
    raise Open311Error(403, _("This api_key is not valid."))


def _geocode(address: str) -> tuple[float, float]:
    """A request with an address and no point is placed by the region's address registry, as the form does."""
    if not address:
        raise Open311Error(400, _("A location is required: lat and long, or an address_string."))
    place, reason = address_selectors.geocode_one(address)
    if place is None:
        if reason == "ambiguous":
            raise Open311Error(400, _("The address_string «%(address)s» matches several places: add the locality, "
                                      "or send lat and long.") % {"address": address[:200]})
        raise Open311Error(400, _("No address of the region matches the address_string «%(address)s»: check it, "
                                  "or send lat and long.") % {"address": address[:200]})
    return place.lat, place.lon


def _post_request(request, fmt: str) -> HttpResponse:
    poster = _poster(request)
    per_minute = int(getattr(settings, "KRAI_OPEN311_PER_MINUTE", 60))
    recent = Problem.objects.filter(author=poster, created_at__gte=timezone.now() - dt.timedelta(minutes=1))
    if recent.count() >= per_minute:
        return error(fmt, 429, _("Too many requests from this key; try again in a minute."))
    code = _param(request, "service_code")
    if not code:
        raise Open311Error(400, _("service_code is required."))
    category = next((c for c in selectors.category_leaves() if c.code == code), None)
    if category is None:
        raise Open311Error(404, _("No service with the code %(code)s.") % {"code": code})
    lat, lon = _param(request, "lat"), _param(request, "long")
    if not lat or not lon:
        lat, lon = _geocode(_param(request, "address_string"))
    name = " ".join(part for part in (_param(request, "first_name"), _param(request, "last_name")) if part)
    photos = request.FILES.getlist("media")
    problem = services.problem_report(
        actor=poster, category=category, lat=lat, lon=lon, description=_param(request, "description"),
        address=_param(request, "address_string"), photos=photos, source=Problem.Source.OPEN311,
        reporter_name=name, reporter_email=_param(request, "email"))
    return render(fmt, "service_requests", [{
        "token": problem.open311_token,
        "service_notice": _("The report is checked by a moderator and then sent to the responsible body."),
        "account_id": _param(request, "account_id"),
    }], status=201)


@require_GET
@open311_view
def request_detail(request, *, pk: str, fmt: str):
    problem = selectors.published().filter(pk=int(pk)).first() if pk.isdigit() else None
    if problem is None:
        raise Open311Error(404, _("No service request with the id %(id)s.") % {"id": pk})
    return render(fmt, "service_requests", _requests_body(request, [problem]))


@require_GET
@open311_view
def token_detail(request, *, token: str, fmt: str):
    problem = Problem.objects.filter(open311_token=token).first() if token else None
    if problem is None:
        raise Open311Error(404, _("No such token."))
    ready = problem.is_published and not problem.duplicate_of_id
    return render(fmt, "service_requests", [{"service_request_id": str(problem.pk) if ready else "",
                                             "token": token}])


@require_GET
@open311_view
def request_updates(request, *, fmt: str):
    """FixMyStreet's extension: the public history of published requests, between two dates."""
    start, end = _when(_param(request, "start_date"), "start_date"), _when(_param(request, "end_date"), "end_date")
    end = end or timezone.now()
    start = start or end - dt.timedelta(days=1)
    if end < start:
        raise Open311Error(400, _("end_date is before start_date."))
    if end - start > DEFAULT_SPAN:
        raise Open311Error(400, _("The span between start_date and end_date is at most 90 days."))
    size = _positive(_param(request, "page_size"), "page_size", DEFAULT_LIMIT, MAX_PAGE_SIZE)
    page = _positive(_param(request, "page"), "page", 1, 10**6)
    updates = (ProblemUpdate.objects.filter(is_public=True, created_at__gte=start, created_at__lte=end,
                                            problem__status__in=Problem.PUBLISHED)
               .exclude(kind="reported").order_by("created_at", "id")[(page - 1) * size: page * size])
    return render(fmt, "service_request_updates", [{
        "update_id": str(u.pk), "service_request_id": str(u.problem_id),
        "status": "open" if u.status in (Problem.Status.NEW, *Problem.OPEN) else "closed",
        "updated_datetime": _iso(u.created_at), "description": u.public_text, "media_url": "",
        "external_status_code": EXTERNAL_STATUS[u.status]} for u in updates])
