"""Reads of the indicators monitor, each scoped to the user: the deviation table, an indicator, reports.

"The deviation now" reads ``LatestActual`` (one row per indicator and place, kept by the submitting
transaction); "as of a past date" reads the history ``ActualValue`` through its index on (indicator,
municipality, year, month), taking what had been submitted by the end of that day, and the plan version valid
on that day.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from krai.monitoring.indicators import deviation as arith
from krai.monitoring.indicators.models import ActualValue, Indicator, LatestActual, PlanValue, PlanVersion, Report
from krai.org.models import Organisation
from krai.org.scopes import scope_for

ROW_FIELDS = ("code", "name", "unit", "kind", "plan_basis", "direction", "warn_pct", "critical_pct",
              "national_project", "owner_organisation__name", "owner_organisation__short_name")


@dataclass
class Row:
    indicator: Indicator
    year: int | None = None
    month: int | None = None
    actual: Decimal | None = None
    plan: Decimal | None = None
    deviation: Decimal | None = None
    colour: str = "none"
    report_id: int | None = None


def indicators_for(user) -> QuerySet[Indicator]:
    return Indicator.objects.filter(is_active=True).filter(scope_for(user).q(organisation="owner_organisation"))


def indicator_get(*, user, code: str) -> Indicator:
    found = indicators_for(user).select_related("owner_organisation", "owner").filter(code=code).first()
    if found is None:
        raise Http404
    return found


def filtered(qs: QuerySet[Indicator], *, block: int | None = None, organisation: Organisation | None = None,
             project: str = "", query: str = "") -> QuerySet[Indicator]:
    if block:
        qs = qs.filter(owner_organisation__block_id=block)
    if organisation is not None:
        qs = qs.filter(owner_organisation__path__startswith=organisation.path)
    if project:
        qs = qs.filter(national_project=project)
    if query:
        qs = qs.filter(Q(code__icontains=query) | Q(name__icontains=query))
    return qs


def plans_for(indicators: QuerySet[Indicator] | list[int], *, on: date, years: set[int],
              municipality: int | None) -> dict[int, dict[int, dict[int, Decimal]]]:
    """``{indicator: {year: {month: plan}}}`` from the plan version valid on ``on``."""
    current: dict[int, int] = {}
    versions = (PlanVersion.objects.filter(indicator__in=indicators, valid_from__lte=on)
                .order_by("indicator_id", "-valid_from", "-number").values_list("indicator_id", "pk"))
    for indicator_id, version_id in versions:
        current.setdefault(indicator_id, version_id)
    values = PlanValue.objects.filter(version_id__in=current.values(), year__in=years)
    values = values.filter(municipality_id=municipality) if municipality else values.filter(municipality__isnull=True)
    out: dict[int, dict[int, dict[int, Decimal]]] = defaultdict(lambda: defaultdict(dict))
    by_version = {v: i for i, v in current.items()}
    for version_id, year, month, value in values.values_list("version_id", "year", "month", "value"):
        out[by_version[version_id]][year][month] = value
    return out


def latest_for(indicators: QuerySet[Indicator], *, as_of: date | None,
               municipality: int | None) -> dict[int, tuple[int, int, Decimal, int]]:
    """``{indicator: (year, month, value, report)}`` — the last period reported (by the end of ``as_of``)."""
    place = {"municipality_id": municipality} if municipality else {"municipality__isnull": True}
    if as_of is None:
        rows = LatestActual.objects.filter(indicator__in=indicators, **place)
        return {i: (y, m, v, r) for i, y, m, v, r in
                rows.values_list("indicator_id", "year", "month", "value", "report_id")}
    history = (ActualValue.objects.filter(indicator__in=indicators, submitted_on__lte=as_of, **place)
               .order_by("indicator_id", "-year", "-month", "-submitted_on"))
    fields = ("indicator_id", "year", "month", "value", "report_id")
    if connection.vendor == "postgresql":
        # DISTINCT ON walks the (indicator, municipality, year, month) index once per indicator
        return {i: (y, m, v, r) for i, y, m, v, r in history.distinct("indicator_id").values_list(*fields)}
    out: dict[int, tuple[int, int, Decimal, int]] = {}
    for i, y, m, v, r in history.values_list(*fields):
        out.setdefault(i, (y, m, v, r))
    return out


def evaluate(indicator: Indicator, found: tuple | None, plans: dict[int, dict[int, Decimal]]) -> Row:
    row = Row(indicator=indicator)
    if found is None:
        return row
    row.year, row.month, row.actual, row.report_id = found
    row.plan = arith.plan_to_date(kind=indicator.kind, basis=indicator.plan_basis, month=row.month,
                                  plans=plans.get(row.year, {}))
    row.deviation = arith.deviation_pct(actual=row.actual, plan=row.plan, direction=indicator.direction)
    row.colour = arith.colour(row.deviation, warn=indicator.warn_pct, critical=indicator.critical_pct)
    return row


def deviation_table(*, user, as_of: date | None = None, block: int | None = None,
                    organisation: Organisation | None = None, municipality: int | None = None, project: str = "",
                    query: str = "") -> list[Row]:
    """Every indicator the user sees (narrowed by the filters) with its deviation now, or as of a day."""
    qs = filtered(indicators_for(user), block=block, organisation=organisation, project=project, query=query)
    latest = latest_for(qs, as_of=as_of, municipality=municipality)
    years = {found[0] for found in latest.values()}
    plans = plans_for(qs, on=as_of or timezone.localdate(), years=years, municipality=municipality)
    # only what a row shows: a block's table is hundreds of rows, each a model instance
    shown = qs.select_related("owner_organisation").only(*ROW_FIELDS).order_by("code")
    return [evaluate(ind, latest.get(ind.pk), plans.get(ind.pk, {})) for ind in shown]


COLOURS = ("ok", "warn", "critical", "none")


def colour_counts(rows: list[Row]) -> dict[str, int]:
    """How many rows are in each colour — what the table's badges and the overview tile show."""
    return {c: sum(1 for r in rows if r.colour == c) for c in COLOURS}


def deviation_of(indicator: Indicator, *, municipality: int | None = None, as_of: date | None = None) -> Row:
    qs = Indicator.objects.filter(pk=indicator.pk)
    found = latest_for(qs, as_of=as_of, municipality=municipality).get(indicator.pk)
    plans = plans_for(qs, on=as_of or timezone.localdate(), years={found[0]} if found else set(),
                      municipality=municipality)
    return evaluate(indicator, found, plans.get(indicator.pk, {}))


def series(indicator: Indicator, *, as_of: date | None = None) -> list[dict]:
    """The region's actuals period by period with the plan to date of each (for the chart)."""
    on = as_of or timezone.localdate()
    history = ActualValue.objects.filter(indicator=indicator, municipality__isnull=True, submitted_on__lte=on)
    points = {(y, m): (v, r) for y, m, v, r in
              history.order_by("year", "month", "submitted_on").values_list("year", "month", "value", "report_id")}
    plans = plans_for([indicator.pk], on=on, years={y for y, _m in points}, municipality=None).get(indicator.pk, {})
    out = []
    for (year, month), (value, report) in sorted(points.items()):
        plan = arith.plan_to_date(kind=indicator.kind, basis=indicator.plan_basis, month=month,
                                  plans=plans.get(year, {}))
        out.append({"period": f"{year}-{month:02d}", "actual": value, "plan": plan, "report": report})
    return out


def plan_history(indicator: Indicator) -> list[PlanVersion]:
    return list(indicator.plan_versions.prefetch_related("values__municipality").order_by("-valid_from", "-number"))


def reports_for(user) -> QuerySet[Report]:
    return Report.objects.filter(scope_for(user).q(organisation="organisation")).select_related("organisation")


def report_get(*, user, pk: int) -> Report:
    found = reports_for(user).select_related("submitted_by").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def report_indicators(report: Report) -> QuerySet[Indicator]:
    """The indicators the report's organisation reports (those it owns), due in the report's month."""
    qs = Indicator.objects.filter(is_active=True, owner_organisation=report.organisation).order_by("code")
    if report.month % 3:
        qs = qs.exclude(frequency=Indicator.Frequency.QUARTERLY)
    return qs


def overdue_reports(user, *, today: date | None = None) -> QuerySet[Report]:
    return reports_for(user).filter(status=Report.Status.DUE, due_on__lt=today or timezone.localdate())
