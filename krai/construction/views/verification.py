"""Portal pages of residents' verification requests: the public list with its map and filters (every result is
public), the form where a resident marks a site — seeing first what is registered and already asked about nearby —
his own requests, and a request's page with the inspection once it is done. The JSON the form's script reads
(what is nearby, the address search and the nearest address) lives here too."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from krai.construction import policy
from krai.construction.forms_verification import CancelForm, FilterForm, RequestForm
from krai.construction.models import RequestReason
from krai.construction.selectors import verification as selectors
from krai.construction.selectors.history import history_of
from krai.construction.services import verification as services
from krai.core.forms import service_errors_onto
from krai.org.addresses import selectors as address_selectors
from krai.org.geo import check_point

PAGE_SIZE = 20


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _page(request: HttpRequest, rows: Any) -> dict[str, Any]:
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return {"page": page, "rows": page.object_list, "total": paginator.count, "query": _query(request),
            "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))}


def _bad(message: str) -> JsonResponse:
    return JsonResponse({"error": {"status": 400, "code": "invalid", "message": message}}, status=400)


def _point(request: HttpRequest) -> tuple[float, float] | None:
    try:
        lat, lon = float(request.GET.get("lat", "")), float(request.GET.get("lon", ""))
        check_point(lon, lat)
    except (ValueError, ValidationError):
        return None
    return lat, lon


@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """Every request with its status and result: a map and the same requests as a paged list."""
    form = FilterForm(request.GET or None)
    return render(request, "construction/verification/list.html", {
        "section": "requests", "form": form, **_page(request, selectors.request_list(form.filters()))})


@require_GET
def request_map(request: HttpRequest) -> JsonResponse:
    """The list's requests as GeoJSON for its map (the same filters)."""
    return JsonResponse(selectors.map_geojson(FilterForm(request.GET or None).filters()))


@require_GET
def nearby(request: HttpRequest) -> JsonResponse:
    """Registered objects and open requests around ``?lat=&lon=``, closest first (the request form's script)."""
    point = _point(request)
    if point is None:
        return _bad(_("Give lat and lon of a point."))
    return JsonResponse(selectors.nearby_data(selectors.nearby(*point)))


def _initial(request: HttpRequest) -> tuple[dict[str, Any], Any]:
    """``?object=<id>`` preselects a registered object (and its point); ``?lat=&lon=`` a point."""
    chosen = selectors.object_get(request.GET.get("object")) if request.GET.get("object") else None
    if chosen is not None:
        return ({"object": chosen.pk, "reason": RequestReason.DIFFERS, "address": chosen.address,
                 "lat": chosen.lat, "lon": chosen.lon}, chosen)
    point = _point(request)
    return ({"lat": point[0], "lon": point[1]} if point else {}), None


def _form_point(form: RequestForm) -> tuple[float, float] | None:
    try:
        lat, lon = float(form["lat"].value()), float(form["lon"].value())
        check_point(lon, lat)
    except (TypeError, ValueError, ValidationError):
        return None
    return lat, lon


def _file(request: HttpRequest, form: RequestForm) -> Any:
    """The request through its service; ``None`` (the form shows why) when refused."""
    data = form.cleaned_data
    try:
        return services.request_file(
            actor=request.user, reason=data["reason"], address=data["address"], lat=data["lat"], lon=data["lon"],
            description=data["description"], observed_floors=data["observed_floors"],
            construction_object=data["object"], photos=data["photos"])
    except ValidationError as exc:
        service_errors_onto(form, exc, aliases={"lon": "lat"})
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


@login_required
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """A resident marks a site and says what is wrong; what is registered and already asked about nearby is shown
    first. "Show what is nearby" (``look``) only redraws the form with them, for a browser without scripts."""
    initial, chosen = _initial(request)
    looking = request.method == "POST" and bool(request.POST.get("look"))
    if looking:  # nothing is filed: the form comes back as typed, with what is near its point
        form = RequestForm(initial={name: request.POST.get(name) for name in RequestForm.base_fields
                                    if name != "photos"})
    else:
        form = RequestForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and not looking and form.is_valid():
        filed = _file(request, form)
        if filed is not None:
            messages.success(request, _("Your request № %(n)s is sent to %(body)s; the answer is due by %(d)s.")
                             % {"n": filed.pk, "body": filed.inspection_body,
                                "d": filed.due_date.strftime("%d.%m.%Y") if filed.due_date else "—"})
            return redirect(filed.get_absolute_url())
    point = _form_point(form)
    chosen_pk = str(form["object"].value() or "")
    if chosen_pk and (chosen is None or str(chosen.pk) != chosen_pk):
        chosen = selectors.object_get(chosen_pk)
    near = selectors.nearby(*point) if point else None
    near_objects = list(near.objects) if near else []
    if chosen is not None and all(entry.item.pk != chosen.pk for entry in near_objects):
        near_objects.insert(0, selectors.Near(chosen, None))  # chosen by its link, whatever its distance
    return render(request, "construction/verification/new.html", {
        "section": "requests", "form": form, "chosen": chosen, "chosen_pk": chosen_pk, "near": near,
        "near_objects": near_objects,
        "map_view": address_selectors.map_view_for(request.user),
        "may_file": request.user.has_perm("construction.request_verification")},
        status=400 if request.method == "POST" and not looking and form.errors else 200)


@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A request with the author's name masked, its status and due date, photos and — once inspected — the
    inspection: the visit, the findings, the decision, photos."""
    item = selectors.request_get(pk)
    inspection = selectors.inspection_of(item)
    user = request.user
    return render(request, "construction/verification/detail.html", {
        "section": "requests", "item": item, "inspection": inspection, "illegal": selectors.illegal_of(item),
        "photos": selectors.photos_of(item), "inspection_photos": selectors.photos_of(inspection),
        "overdue": selectors.is_overdue(item), "notes": [c for c in history_of(item) if c.note],
        "may_inspect": item.status == "open" and policy.is_inspector(user, item),
        "cancel_form": CancelForm() if item.status == "open" and policy.is_keeper(user) else None})


@login_required
@require_GET
def my_requests(request: HttpRequest) -> HttpResponse:
    return render(request, "construction/verification/mine.html", {
        "section": "requests", **_page(request, selectors.my_requests(request.user))})


urlpatterns = [
    path("construction/requests/", request_list, name="requests"),
    path("construction/requests/map.geojson", request_map, name="requests_map"),
    path("construction/requests/new/", request_new, name="request_new"),
    path("construction/requests/mine/", my_requests, name="my_requests"),
    path("construction/requests/<int:pk>/", request_detail, name="request"),
    path("construction/nearby/", nearby, name="nearby"),
]
