"""Pages of "Find out" about infrastructure works: the map with the filters and the paged list (with "my
street", the resident's home municipality by default), a work's card (plan against fact, documents and photos,
history, subscription, rating), the statistics per responsible body (each number links to its list) and one's
subscriptions. The staff's pages are ``works_workspace``; their URLs are listed here too."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from krai.construction import policy
from krai.construction.forms_works import RateForm, StatsForm, WorkFilterForm
from krai.construction.selectors import works as selectors
from krai.construction.selectors import works_stats
from krai.construction.services import works_residents as services
from krai.construction.views import works_workspace
from krai.core.privacy import mask_personal
from krai.projects.selectors import programmes_for
from krai.social.selectors.profiles import display_name

PAGE_SIZE = 20
SECTION = {"section": "works"}


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _refused(request: HttpRequest, exc: Exception) -> None:
    for message in (exc.messages if isinstance(exc, ValidationError) else [str(exc) or _("You may not do this.")]):
        messages.error(request, message)


def _filter_form(request: HttpRequest) -> WorkFilterForm:
    """The list's filters; with none chosen, the resident's home municipality."""
    if request.GET:
        return WorkFilterForm(request.GET)
    home = getattr(request.user, "home_municipality_id", None) if request.user.is_authenticated else None
    return WorkFilterForm(initial={"municipality": home})


@require_GET
def works(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    arguments = form.search_arguments()
    paginator = Paginator(selectors.public_works(**arguments), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [(work, selectors.late_days(work)) for work in page.object_list]
    map_query = urlencode({k: getattr(v, "pk", v) for k, v in arguments.items() if v not in (None, "")})
    return render(request, "construction/works/list.html", {
        **SECTION, "form": form, "page": page, "rows": rows, "total": paginator.count, "query": _query(request),
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "street": arguments["street"], "map_query": map_query, "more_filters": bool(form.errors) or any(
            arguments[name] for name in ("kind", "status", "q", "date_from", "date_to", "body", "outcome")),
        "may_enter": policy.may_enter_works(request.user)})


def _bbox(text: str) -> tuple[float, float, float, float] | None:
    try:
        west, south, east, north = (float(v) for v in str(text or "").split(","))
    except ValueError:
        return None
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        return None
    return west, south, east, north


@require_GET
def works_map(request: HttpRequest) -> JsonResponse:
    """The map's GeoJSON, with the list's filters (and ``bbox``: west,south,east,north)."""
    form = WorkFilterForm(request.GET)
    rows = selectors.public_works(**form.search_arguments())
    return JsonResponse(selectors.map_geojson(rows, _bbox(request.GET.get("bbox", ""))))


@require_GET
def streets(request: HttpRequest) -> JsonResponse:
    """Streets that have works, for "my street" (``q``, ``municipality``)."""
    municipality = request.GET.get("municipality", "")
    known = municipality.isdigit() and len(municipality) <= 18  # an id the database can hold
    names = selectors.street_suggestions(int(municipality) if known else None, request.GET.get("q", ""))
    return JsonResponse({"results": names})


def _ratings(work: Any) -> list[dict[str, Any]]:
    return [{"name": display_name(r.user), "score": r.score, "comment": mask_personal(r.comment), "at": r.updated_at}
            for r in selectors.ratings_of(work)[:50]]


@require_GET
def work(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.work_get(pk)
    user = request.user
    documents, photos = selectors.files_of(item)
    mine = selectors.my_rating(user, item)
    may_rate = (item.status == "completed" and policy.is_active_user(user) and user.email_confirmed
                and not policy.manages_work(user, item))
    programme_visible = bool(item.programme_id and programmes_for(user).filter(pk=item.programme_id).exists())
    return render(request, "construction/works/detail.html", {
        **SECTION, "work": item, "late": selectors.late_days(item), "documents": documents, "photos": photos,
        "history": selectors.history_shown(item), "subscribed": selectors.is_subscribed(user, item),
        "subscribers": item.subscriptions.count(), "ratings": _ratings(item), "my_rating": mine,
        "rate_form": RateForm(initial={"score": mine.score, "comment": mine.comment} if mine else None)
        if may_rate else None,
        "programme_visible": programme_visible, "may_manage": policy.manages_work(user, item)})


@login_required
@require_POST
def subscribe(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.work_get(pk)
    try:
        if request.POST.get("undo"):
            services.work_unsubscribe(actor=request.user, work=item)
            messages.success(request, _("You will no longer be told of this work."))
        else:
            services.work_subscribe(actor=request.user, work=item)
            messages.success(request, _("You will be told when the work starts, slips or ends."))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    if request.POST.get("next") == "subscriptions":
        return redirect("construction:work_subscriptions")
    return redirect(item.get_absolute_url())


@login_required
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.work_get(pk)
    form = RateForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(item.get_absolute_url() + "#rate")
    try:
        _rating, created = services.work_rate(actor=request.user, work=item, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Thank you: your rating counts.") if created else _("Your rating is changed."))
    return redirect(item.get_absolute_url() + "#rate")


def _stats_cells(row: works_stats.BodyRow, base: dict[str, str]) -> dict[str, Any]:
    """The row's numbers, each with the link of the list it counts."""
    home = reverse("construction:works")
    scope = {**base, **({"body": str(row.body_id)} if row.body_id else {})}

    def link(**extra: str) -> str:
        return f"{home}?{urlencode({**scope, **extra})}"

    return {"row": row, "works": (row.works, link()), "completed": (row.completed, link(outcome="completed")),
            "on_time": (row.on_time, link(outcome="on_time")), "late": (row.late, link(outcome="late")),
            "slipping": (row.slipping, link(outcome="slipping")), "ratings": (row.ratings, link(outcome="rated"))}


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    form = StatsForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    figures = works_stats.body_statistics(date_from=data.get("date_from"), date_to=data.get("date_to"),
                                          municipality=data.get("municipality"), kind=data.get("kind") or "")
    # every link names the municipality, even "any" (empty): the list's default (one's home) must not apply
    base = {"municipality": str(data["municipality"].pk) if data.get("municipality") else ""}
    if data.get("kind"):
        base["kind"] = data["kind"]
    for name in ("date_from", "date_to"):
        if data.get(name):
            base[name] = data[name].isoformat()
    return render(request, "construction/works/stats.html", {
        **SECTION, "form": form, "totals": _stats_cells(figures.totals, base),
        "bodies": [_stats_cells(row, base) for row in figures.bodies]}, status=400 if form.errors else 200)


@login_required
@require_GET
def subscriptions(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(selectors.my_subscriptions(request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "construction/works/subscriptions.html", {
        **SECTION, "page": page, "rows": page.object_list, "query": "",
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))})


urlpatterns = [
    path("works/", works, name="works"),
    path("works/map.json", works_map, name="works_map"),
    path("works/streets.json", streets, name="work_streets"),
    path("works/statistics/", statistics, name="works_stats"),
    path("works/subscriptions/", subscriptions, name="work_subscriptions"),
    path("works/<int:pk>/", work, name="work"),
    path("works/<int:pk>/subscribe/", subscribe, name="work_subscribe"),
    path("works/<int:pk>/rate/", rate, name="work_rate"),
    *works_workspace.urlpatterns,
]
