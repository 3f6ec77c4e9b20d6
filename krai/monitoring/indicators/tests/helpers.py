"""Building blocks of the indicators tests: an indicator with a plan, a report with values."""

from __future__ import annotations

from datetime import date

from krai.monitoring.indicators import services
from krai.monitoring.indicators.models import Indicator, Report


def indicator(owner, code: str, *, kind: str = "cumulative", basis: str = "annual", direction: str = "up",
              warn: int = 5, critical: int = 15, owner_user=None, plans=(), act: str = "Приказ № 1",
              valid_from: date = date(2025, 1, 1), **extra) -> Indicator:
    made = services.indicator_create(actor=None, code=code, name=f"Показатель {code}", unit="ед.", kind=kind,
                                     plan_basis=basis, direction=direction, warn_pct=warn, critical_pct=critical,
                                     owner_organisation=owner, owner=owner_user, **extra)
    if plans:
        services.plan_set(actor=None, indicator=made, act=act, valid_from=valid_from, values=list(plans))
    return made


def submitted(organisation, year: int, month: int, values, *, on: date, actor=None) -> Report:
    due = date(year + month // 12, month % 12 + 1, 10)
    report = services.report_schedule(actor=None, organisation=organisation, year=year, month=month, due_on=due)
    return services.report_submit(actor=actor, report=report, values=[(i, None, v) for i, v in values], on=on)
