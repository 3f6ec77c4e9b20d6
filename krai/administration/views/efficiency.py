"""Employee efficiency pages under /workspace/administration/efficiency/: the reader's units (the home), a unit
with its sub-units and people, a person with his units, the list behind any number, and the table's download.

Readers hold ``administration.view_efficiency`` (heads, vice-governors, the governor, controllers, administrators)
and see only the units and people of their scope: another unit or person answers 404, like a missing one."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from krai.administration import efficiency_table as table
from krai.administration.forms_efficiency import PeriodForm
from krai.administration.selectors import efficiency as selectors
from krai.administration.selectors import efficiency_items
from krai.administration.selectors.efficiency_rows import MEASURES
from krai.administration.selectors.efficiency_scope import Units, person_get, unit_get, units_for
from krai.core import exports

LINES_PER_PAGE = 50
ITEMS_PER_PAGE = 30
PERIOD_KEYS = ("preset", "from", "to", "compare_from", "compare_to")


def _reader(request: HttpRequest) -> Units:
    if not request.user.has_perm("administration.view_efficiency"):
        raise PermissionDenied(_("Efficiency is shown to heads, vice-governors, the governor, controllers and "
                                 "administrators."))
    return units_for(request.user)


def _query(request: HttpRequest, keys: tuple[str, ...] = PERIOD_KEYS, **values: Any) -> str:
    """The request's parameters among ``keys``, with ``values`` set (None: dropped), as a query string."""
    params = {k: request.GET[k] for k in keys if request.GET.get(k)}
    params.update({k: v for k, v in values.items() if v is not None})
    return urlencode({k: v for k, v in params.items() if v is not None})


def _lines(request: HttpRequest, lines: list[selectors.Line], rep: selectors.Report, page_key: str) -> dict:
    sort = request.GET.get("sort", "")
    ordered = selectors.sort_lines(lines, sort, request.GET.get("dir") != "asc")
    paginator = Paginator(ordered, LINES_PER_PAGE)
    page = paginator.get_page(request.GET.get(page_key))
    period_query = _query(request)
    rows = []
    for line in page.object_list:
        target = ("administration:efficiency_unit" if line.kind == "unit" else "administration:efficiency_person")
        url = reverse(target, args=[line.id]) + "?" + period_query if line.id else ""
        rows.append({"line": line, "url": url, "cells": table.cells(line, rep.period, rep.compare)})
    keep = _query(request, (*PERIOD_KEYS, "only", "sort", "dir", "page", "ppage"), **{page_key: None})
    return {"rows": rows, "page": page, "query": keep, "page_key": page_key,
            "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))}


def _sorts(request: HttpRequest) -> list[dict]:
    """Each column's heading with the link that sorts by it (descending first, then ascending)."""
    current, descending = request.GET.get("sort", ""), request.GET.get("dir") != "asc"
    out = []
    for measure, label in table.COLUMNS:
        direction = "asc" if measure == current and descending else "desc"
        out.append({"measure": measure, "label": label, "active": measure == current,
                    "descending": descending, "query": _query(request, (*PERIOD_KEYS, "only"), sort=measure,
                                                               dir=direction)})
    return out


def _render(request: HttpRequest, units: Units, *, unit=None, person=None) -> HttpResponse:
    form = PeriodForm(request.GET)
    context: dict[str, Any] = {"form": form, "unit": unit, "person": person, "report": None,
                               "crumbs": units.crumbs(unit)[:-1] if unit else [], "columns": table.COLUMNS,
                               "min_closed": selectors.MIN_CLOSED, "today": timezone.localdate(),
                               "period_query": _query(request)}
    if form.is_valid():
        data = form.cleaned_data
        only = bool(data.get("only")) and unit is not None
        rep = selectors.report(units, unit=unit, only=only, period=data["period"], compare=data["compare"],
                               person=person.pk if person else None)
        if person is not None:
            rep.total.label = person.full_name
        context.update({
            "report": rep, "only": only, "sorts": _sorts(request),
            "head": {"line": rep.total, "cells": table.cells(rep.total, rep.period, rep.compare)},
            "units": _lines(request, rep.units, rep, "page"), "people": _lines(request, rep.people, rep, "ppage"),
            "export_query": _query(request, (*PERIOD_KEYS, "only"), unit=unit.id if unit else None,
                                   person=person.pk if person else None),
        })
    return render(request, "administration/efficiency/report.html", context, )


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The reader's top units with their figures, the whole of his scope in the first row."""
    return _render(request, _reader(request))


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit: its figures, its sub-units and its people, each a step further down."""
    units = _reader(request)
    return _render(request, units, unit=unit_get(units, pk))


@login_required
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person: his figures within the reader's scope, unit by unit."""
    units = _reader(request)
    return _render(request, units, person=person_get(units, pk, reader=request.user))


def _reach_from(request: HttpRequest, units: Units) -> tuple[Any, bool, int | None]:
    """The ``unit``, ``only`` and ``person`` parameters of a list or a download (404 outside the scope)."""
    unit = unit_get(units, request.GET["unit"]) if request.GET.get("unit") else None
    raw = request.GET.get("person")
    person = None
    if raw == "0":
        person = 0
    elif raw:
        person = person_get(units, raw, reader=request.user).pk
    return unit, request.GET.get("only") == "1" and unit is not None, person


@login_required
@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    """The rows one number counts: assignments, returns, answers or ratings, paged."""
    units = _reader(request)
    measure = request.GET.get("measure", "")
    form = PeriodForm({k: request.GET.get(k) for k in ("from", "to")})
    if measure not in MEASURES or not form.is_valid():
        return HttpResponseBadRequest(_("Choose a measure and a period."))
    unit, only, person = _reach_from(request, units)
    period = form.cleaned_data["period"]
    found = efficiency_items.items(units, measure=measure, unit=unit, only=only, person=person, period=period)
    paginator = Paginator(found.qs, ITEMS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    person_name = ""
    if person:
        person_name = person_get(units, person, reader=request.user).full_name
    return render(request, "administration/efficiency/items.html", {
        "measure": measure, "label": dict(table.COLUMNS)[measure], "kind": found.kind, "historic": found.historic,
        "rows": efficiency_items.shown(found, page.object_list), "page": page, "total": paginator.count,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "query": _query(request, ("measure", "unit", "only", "person", "from", "to")),
        "unit": unit, "only": only, "person": person, "person_name": person_name, "period": period,
        "overdue_day": selectors.rows_of.overdue_day(period)[0]})


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The page's table (the total, the sub-units or units, the people) as ``?format=csv`` or ``xlsx``."""
    units = _reader(request)
    fmt = request.GET.get("format", "csv")
    form = PeriodForm(request.GET)
    if fmt not in exports.FORMATS or not form.is_valid():
        return HttpResponseBadRequest(_("Choose the format (csv or xlsx) and a valid period."))
    unit, only, person = _reach_from(request, units)
    data = form.cleaned_data
    rep = selectors.report(units, unit=unit, only=only, period=data["period"], compare=data["compare"],
                           person=person or None)
    lines = [(_("total"), rep.total.label or _("All units in your scope"), rep.total)]
    lines += [(_("unit"), line.label, line) for line in rep.units]
    lines += [(_("person"), line.label or _("No person named"), line) for line in rep.people]
    rows = [table.export_row(str(kind), name, line.now, line.before) for kind, name, line in lines]
    title = _("Efficiency %(period)s compared with %(compare)s") % {"period": rep.period.label(),
                                                                     "compare": rep.compare.label()}
    return exports.table_response(fmt, table.header(), rows, filename="efficiency", title=title[:31])


urlpatterns = [
    path("workspace/administration/efficiency/", home, name="efficiency"),
    path("workspace/administration/efficiency/units/<int:pk>/", unit_detail, name="efficiency_unit"),
    path("workspace/administration/efficiency/people/<int:pk>/", person_detail, name="efficiency_person"),
    path("workspace/administration/efficiency/items/", item_list, name="efficiency_items"),
    path("workspace/administration/efficiency/export/", export, name="efficiency_export"),
]
