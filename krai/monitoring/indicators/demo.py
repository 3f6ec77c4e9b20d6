"""Demo target indicators: 40 indicators of five national projects owned by seven bodies, plans for last year
and this one, and monthly reports for the last 14 months — most on time, some late, one missing (overdue now,
so it shows on the orders dashboard) — with deviations of every colour. Idempotent: indicators by code, plans
only when an indicator has none, reports by (organisation, month), values only for unsubmitted reports."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from krai.core.demo import demo_loader
from krai.monitoring.indicators import services
from krai.monitoring.indicators.demo_data import FACTORS, INDICATORS
from krai.monitoring.indicators.models import Indicator, Report
from krai.orders.services.control import quiet
from krai.org.models import Organisation, Role, RoleAssignment

MONTHS = 14
MISSING = "health"  # the body whose latest overdue report never came


def _months(today: date) -> list[tuple[int, int]]:
    """The current month and the 14 before it, oldest first."""
    out, year, month = [], today.year, today.month
    for _ in range(MONTHS + 1):
        out.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _due(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 10)


def _heads(codes: set[str]) -> dict[str, object]:
    found = (RoleAssignment.objects.filter(role=Role.HEAD, organisation__code__in=codes, user__is_staff=True)
             .select_related("user", "organisation").order_by("pk"))
    out: dict[str, object] = {}
    for assignment in found:
        out.setdefault(assignment.organisation.code, assignment.user)
    return out


def _plans(ind: Indicator, annual: float, years: list[int]) -> list[tuple]:
    values = []
    for year in years:
        level = annual * (0.97 if year < years[-1] else 1.0)
        if ind.plan_basis == Indicator.Basis.MONTHLY:
            for month in range(1, 13):
                share = level / 12 * (0.8 + 0.4 * month / 12) if ind.kind == "cumulative" else level
                values.append((None, year, month, Decimal(str(round(share, 2)))))
        values.append((None, year, 0, Decimal(str(round(level, 2)))))
    return values


def _actual(ind: Indicator, plan: Decimal | None, factor: float, month: int) -> Decimal | None:
    if plan is None:
        return None
    wobble = 1 + ((month * 7 + len(ind.code)) % 5 - 2) / 200  # ±1 % month to month
    value = float(plan) * (factor * wobble if ind.direction == "up" else (2 - factor) * wobble)
    return Decimal(str(round(value, 2)))


def _create(bodies: dict[str, Organisation], heads: dict) -> list[Indicator]:
    made = []
    for n, (owner, code, name, unit, kind, basis, direction, _annual, project) in enumerate(INDICATORS):
        ind = Indicator.objects.filter(code=code).first() or services.indicator_create(
            actor=None, code=code, name=name, unit=unit, kind=kind, plan_basis=basis, direction=direction,
            owner_organisation=bodies[owner], owner=heads.get(owner), national_project=project,
            programme=f"Государственная программа Краснодарского края № {n // 8 + 1}", warn_pct=5, critical_pct=15,
            methodology="Значение по данным ведомственной отчётности; для нарастающих показателей — с начала года.")
        made.append(ind)
    return made


@demo_loader(order=75)
def load_indicators(*, scale: int, stdout: TextIO) -> list[str]:
    today = timezone.localdate()
    codes = {row[0] for row in INDICATORS}
    bodies = {o.code: o for o in Organisation.objects.filter(code__in=codes)}
    if set(bodies) != codes:
        stdout.write("  indicators: the structure lacks some bodies; skipped\n")
        return []
    heads = _heads(codes)
    indicators = _create(bodies, heads)
    months = _months(today)
    years = sorted({y for y, _m in months})
    from krai.monitoring.indicators.deviation import plan_to_date

    plans = {}
    for ind, row in zip(indicators, INDICATORS, strict=True):
        if not ind.plan_versions.exists():
            services.plan_set(actor=None, indicator=ind, act="Постановление главы администрации (губернатора) "
                              "Краснодарского края об утверждении плановых значений", valid_from=date(years[0], 1, 1),
                              values=_plans(ind, row[7], years))
        plans[ind.pk] = {y: {v.month: v.value for v in ind.plan_versions.order_by("-number").first().values.filter(
            year=y, municipality__isnull=True)} for y in years}
    overdue = [(y, m) for y, m in months if _due(y, m) < today]
    missing = overdue[-1] if overdue else None
    with quiet():
        for body_code, body in sorted(bodies.items()):
            own = [i for i in indicators if i.owner_organisation_id == body.pk]
            for year, month in months:
                report = services.report_schedule(actor=None, organisation=body, year=year, month=month,
                                                  due_on=_due(year, month))
                current = (year, month) == months[-1] or (body_code == MISSING and (year, month) == missing)
                if report.status == Report.Status.SUBMITTED or current:
                    continue
                late = (len(body_code) + month) % 6 == 0
                on = report.due_on + timedelta(days=4) if late else report.due_on - timedelta(days=2)
                values = []
                for ind in own:
                    if ind.frequency == Indicator.Frequency.QUARTERLY and month % 3:
                        continue
                    plan = plan_to_date(kind=ind.kind, basis=ind.plan_basis, month=month, plans=plans[ind.pk][year])
                    factor = FACTORS[indicators.index(ind) % len(FACTORS)]
                    value = _actual(ind, plan, factor, month)
                    if value is not None:
                        values.append((ind, None, value))
                if values:
                    services.report_submit(actor=None, report=report, values=values, on=min(on, today))
    stdout.write(f"  indicators: {len(indicators)} indicators, reports of {len(bodies)} bodies for "
                 f"{len(months)} months\n")
    return [f"head.{MISSING}@demo.krai — target indicators, a report overdue (/workspace/monitoring/indicators/)"]
