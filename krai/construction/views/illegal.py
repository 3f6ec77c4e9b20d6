"""Pages of the registry of illegal constructions: the public list (a map of those with a point and the paged
table, with filters; the keepers also filter the entries whose address was not found, and start an import), an
entry's card (its measures — a court case linked to the lawsuit monitoring for who may see it —, the verification
request it came from, its history), the report as PDF; the keepers' forms in the workspace (a new entry, a change,
a measure, removing a measure)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krai.construction import policy, report_pdf
from krai.construction.forms_illegal import FilterForm, IllegalForm, MeasureForm, ReportForm
from krai.construction.models import IllegalConstruction, IllegalStatus, Measure
from krai.construction.selectors import illegal as selectors
from krai.construction.selectors.history import history_of
from krai.construction.services import illegal as services
from krai.construction.templatetags.construction_illegal import illegal_colour
from krai.core import exports
from krai.core.forms import service_errors_onto

PAGE_SIZE = 25
MAP_LIMIT = 3000  # dots on the list's map; the table pages through every entry
IMPORT_KIND = "construction.illegal"


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _keeper_or_403(request: HttpRequest) -> None:
    if not policy.is_keeper(request.user):
        raise PermissionDenied(_("Only the keepers of the construction registry may do this."))


def _url_or_empty(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # a part of Krai not installed: no link rather than a broken page
        return ""


@require_GET
def illegal_list(request: HttpRequest) -> HttpResponse:
    keeper = policy.is_keeper(request.user)
    form = FilterForm(request.GET or None, keeper=keeper)
    rows = selectors.illegal_list(**form.arguments())
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "construction/illegal/list.html", {
        "section": "illegal", "form": form, "page": page, "rows": page.object_list, "total": paginator.count,
        "query": _query(request), "keeper": keeper, "status_legend": IllegalStatus.choices,
        "map_data": {"colours": {status: illegal_colour(status) for status in IllegalStatus.values},
                     "points": selectors.map_points(rows, limit=MAP_LIMIT)},
        "map_limit": MAP_LIMIT, "import_url": _url_or_empty("imports:start", IMPORT_KIND) if keeper else "",
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))})


def _history(entry: IllegalConstruction, keeper: bool) -> list[dict[str, Any]]:
    """The entry's changes as the reader may see them: the owner's changes and who made a change for the
    keepers only."""
    labels = {f.name: f.verbose_name for f in IllegalConstruction._meta.get_fields() if hasattr(f, "verbose_name")}
    out = []
    for change in history_of(entry):
        changes = [(labels.get(name, name), old, new) for name, (old, new) in (change.changes or {}).items()
                   if (keeper or name != "owner") and (old not in (None, "") or new not in (None, ""))]
        if changes or change.note:
            out.append({"at": change.at, "changes": changes, "note": change.note,
                        "actor": change.actor if keeper else None})
    return out


@require_GET
def illegal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.illegal_for(request.user, pk)
    keeper = policy.is_keeper(request.user)
    measures = [{"measure": m, "court_case_url": _url_or_empty("monitoring:lawsuits:case", m.court_case_id)
                 if selectors.court_case_visible(request.user, m.court_case) else ""} for m in entry.measures.all()]
    verification_url = ""
    if entry.verification_id:
        verification_url = _url_or_empty("construction:request", entry.verification_id)
    return render(request, "construction/illegal/detail.html", {
        "section": "illegal", "entry": entry, "keeper": keeper, "measures": measures,
        "owner": selectors.owner_for(request.user, entry.owner), "verification_url": verification_url,
        "object_url": _url_or_empty("construction:object", entry.object_id) if entry.object_id else "",
        "history": _history(entry, keeper)})


@login_required
@require_http_methods(["GET", "POST"])
def illegal_new(request: HttpRequest) -> HttpResponse:
    _keeper_or_403(request)
    form = IllegalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.illegal_create(actor=request.user, **form.values())
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(request, _("The illegal construction is entered in the registry."))
            return redirect(entry.get_absolute_url())
    return render(request, "construction/illegal/form.html", {"form": form, "entry": None})


@login_required
@require_http_methods(["GET", "POST"])
def illegal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _keeper_or_403(request)
    entry = selectors.illegal_for(request.user, pk)
    form = IllegalForm(request.POST or None, initial=IllegalForm.initial_of(entry))
    if request.method == "POST" and form.is_valid():
        try:
            services.illegal_update(actor=request.user, construction=entry, **form.values(entry))
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect(entry.get_absolute_url())
    return render(request, "construction/illegal/form.html", {"form": form, "entry": entry})


@login_required
@require_http_methods(["GET", "POST"])
def measure_new(request: HttpRequest, pk: int) -> HttpResponse:
    _keeper_or_403(request)
    entry = selectors.illegal_for(request.user, pk)
    form = MeasureForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_add(actor=request.user, construction=entry, **form.cleaned_data)
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(request, _("The measure is recorded."))
            return redirect(entry.get_absolute_url())
    return render(request, "construction/illegal/measure_form.html", {"form": form, "entry": entry})


@login_required
@require_POST
def measure_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _keeper_or_403(request)
    measure = get_object_or_404(Measure, pk=pk)
    try:
        entry = services.measure_remove(actor=request.user, measure=measure)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(reverse("construction:illegal", args=[measure.construction_id]))
    messages.success(request, _("The measure is removed."))
    return redirect(entry.get_absolute_url())


def report_response(*, municipality: Any, date_from: Any, date_to: Any) -> HttpResponse:
    """The report as a PDF download (shared with the API)."""
    response = HttpResponse(report_pdf.render_report(municipality=municipality, date_from=date_from,
                                                     date_to=date_to), content_type=report_pdf.PDF)
    code = municipality.code if municipality is not None else "all"
    response["Content-Disposition"] = (f'attachment; filename="illegal-constructions-{code}-'
                                       f'{date_from:%Y%m%d}-{date_to:%Y%m%d}.pdf"')
    return response


@require_GET
def illegal_report(request: HttpRequest) -> HttpResponse:
    """The report's form; with a period chosen (the form sent), the report itself as PDF."""
    home = getattr(request.user, "home_municipality_id", None)  # a resident's own municipality by default
    form = ReportForm(request.GET if "make" in request.GET else None, initial={"municipality": home})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if request.GET.get("make") in exports.FORMATS:  # the table alone, for a spreadsheet
            header, rows = report_pdf.report_table(municipality=data["municipality"], date_from=data["date_from"],
                                                   date_to=data["date_to"])
            return exports.table_response(request.GET["make"], header, rows, filename=(
                f"illegal-constructions-{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}"),
                title=_("Illegal constructions"))
        return report_response(municipality=data["municipality"], date_from=data["date_from"],
                               date_to=data["date_to"])
    return render(request, "construction/illegal/report.html", {"section": "illegal", "form": form})


urlpatterns = [
    path("construction/illegal/", illegal_list, name="illegal_list"),
    path("construction/illegal/report/", illegal_report, name="illegal_report"),
    path("construction/illegal/<int:pk>/", illegal_detail, name="illegal"),
    path("workspace/construction/illegal/new/", illegal_new, name="illegal_new"),
    path("workspace/construction/illegal/<int:pk>/edit/", illegal_edit, name="illegal_edit"),
    path("workspace/construction/illegal/<int:pk>/measures/new/", measure_new, name="measure_new"),
    path("workspace/construction/illegal/measures/<int:pk>/remove/", measure_remove, name="measure_remove"),
]
