"""Writes of the indicators monitor: indicators, plan versions, reports and their values, orders from deviations.

Every function is atomic and records a domain event. With an ``actor`` it checks the actor's permission; with
``actor=None`` it is the system (the demo, a scheduled job). A scheduled report is an assignment of the control
engine (kind ``monitoring.report``) for the reporting organisation by the due date, so an unsubmitted report is
counted overdue on the orders dashboard; submitting reports and accepts it as the system.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.core.notifications.services import notify
from krai.core.workcalendar.selectors import previous_working_day
from krai.monitoring.findings import finding_to_order
from krai.monitoring.indicators import deviation as arith
from krai.monitoring.indicators import selectors
from krai.monitoring.indicators.models import ActualValue, Indicator, LatestActual, PlanValue, PlanVersion, Report
from krai.orders import services as control
from krai.orders.models import Assignment
from krai.orders.selectors import control_for_subject

REPORT_KIND = "monitoring.report"
FINDING_KIND = "monitoring.indicator"
ALERT = "indicators.alert"
MAX_VALUE = Decimal("1e15")


def _check(actor, perm: str, obj, message: str) -> None:
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def _number(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except (ArithmeticError, ValueError) as exc:
        raise ValidationError({field: _("Enter a number.")}, code="invalid") from exc
    if not number.is_finite() or abs(number) >= MAX_VALUE:
        raise ValidationError({field: _("Enter a number.")}, code="invalid")
    return number


@transaction.atomic
def indicator_create(*, actor, **fields) -> Indicator:
    _check(actor, "indicators.manage", fields.get("owner_organisation"), _("You may not manage indicators."))
    indicator = Indicator(**fields)
    indicator.full_clean()
    indicator.save()
    record_event(kind="indicators.created", actor=actor, subject=indicator, payload={"code": indicator.code})
    return indicator


@transaction.atomic
def plan_set(*, actor, indicator: Indicator, act: str, valid_from: date,
             values: list[tuple[object, int, int, object]]) -> PlanVersion:
    """A new version of the plan: ``values`` are ``(municipality or None, year, month (0: year), value)``."""
    _check(actor, "indicators.manage", indicator.owner_organisation, _("You may not change this plan."))
    if not (act or "").strip():
        raise ValidationError({"act": _("Name the act that sets the plan.")}, code="required")
    seen = set()
    for municipality, year, month, _value in values:
        key = (getattr(municipality, "pk", None), year, month)
        if key in seen or not 0 <= month <= 12:
            raise ValidationError({"values": _("Each period and place is planned once (months 0–12).")})
        seen.add(key)
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()  # numbers versions one at a time
    last = indicator.plan_versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = PlanVersion.objects.create(indicator=indicator, number=last + 1, act=act.strip()[:500],
                                         valid_from=valid_from, created_by=actor)
    PlanValue.objects.bulk_create([PlanValue(version=version, municipality=m, year=y, month=mo,
                                             value=_number(v, "values")) for m, y, mo, v in values])
    record_event(kind="indicators.plan_set", actor=actor, subject=indicator,
                 payload={"version": version.number, "act": version.act, "valid_from": valid_from.isoformat(),
                          "values": len(values)})
    return version


def _issued(year: int, month: int, due_on: date) -> date:
    """The day a report is asked for: the day after its month ends (never after today, and some working days
    before its due date, which the engine may move back off a day off)."""
    after = date(year + month // 12, month % 12 + 1, 1)
    return min(after, timezone.localdate(), previous_working_day(due_on - timedelta(days=3)))


@transaction.atomic
def report_schedule(*, actor, organisation, year: int, month: int, due_on: date,
                    issued_on: date | None = None) -> Report:
    """Expect ``organisation``'s report for the month by ``due_on``: the report row and its assignment."""
    _check(actor, "indicators.manage", organisation, _("You may not schedule this organisation's reports."))
    report, created = Report.objects.get_or_create(organisation=organisation, year=year, month=month,
                                                   defaults={"due_on": due_on})
    if not created:
        return report
    title = _("Report on target indicators for %(m)02d.%(y)d") % {"m": month, "y": year}
    assignment = control.control_open(actor=None, kind=REPORT_KIND, subject=report, title=title,
                                      executor_organisation=organisation, deadline=due_on,
                                      issued_on=issued_on or _issued(year, month, due_on))
    # the engine may move a deadline off a day off: the report keeps the engine's day
    report.assignment_id, report.due_on = assignment.pk, assignment.deadline
    report.save(update_fields=["assignment_id", "due_on", "updated_at"])
    record_event(kind="indicators.report_scheduled", actor=actor, subject=report,
                 payload={"organisation": organisation.pk, "period": f"{year}-{month:02d}",
                          "due_on": report.due_on.isoformat(), "assignment": assignment.pk})
    return report


def _close_assignment(report: Report, on: date) -> None:
    assignment = control_for_subject(report)
    if assignment is None or assignment.status not in ("issued", "in_progress", "reported"):
        return
    if assignment.status != "reported":
        control.control_report(actor=None, assignment=assignment, submitted_on=on,
                               text=_("The report on target indicators is submitted."))
    control.control_accept(actor=None, assignment=assignment, on=on)


def _keep_latest(report: Report, indicator: Indicator, municipality, value: Decimal) -> None:
    place = {"municipality": municipality} if municipality else {"municipality__isnull": True}
    latest = LatestActual.objects.select_for_update().filter(indicator=indicator, **place).first()
    if latest is None:
        LatestActual.objects.create(indicator=indicator, municipality=municipality, year=report.year,
                                    month=report.month, value=value, report=report)
    elif (report.year, report.month) >= (latest.year, latest.month):
        latest.year, latest.month, latest.value, latest.report = report.year, report.month, value, report
        latest.save()


@transaction.atomic
def report_submit(*, actor, report: Report, values: list[tuple[Indicator, object, object]],
                  on: date | None = None) -> Report:
    """Store the report's values ``(indicator, municipality or None, value)`` (a resubmission replaces them),
    keep the latest actuals, close the report's assignment and alert owners whose indicator crossed a threshold."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    _check(actor, "indicators.submit_report", report, _("You may not submit this organisation's report."))
    if not values:
        raise ValidationError({"values": _("The report has no values.")}, code="required")
    on = on or timezone.localdate()
    allowed = set(selectors.report_indicators(report).values_list("pk", flat=True))
    rows, seen = [], set()
    for indicator, municipality, value in values:
        if indicator.pk not in allowed:
            raise ValidationError({"values": _("%(code)s is not reported by this organisation in this month.")
                                   % {"code": indicator.code}}, code="foreign")
        key = (indicator.pk, getattr(municipality, "pk", None))
        if key in seen:
            raise ValidationError({"values": _("%(code)s is given twice for one place.") % {"code": indicator.code}})
        seen.add(key)
        rows.append((indicator, municipality, _number(value, "values")))
    before = {i.pk: selectors.deviation_of(i).colour for i, m, _v in rows if m is None}
    ActualValue.objects.filter(report=report).delete()
    ActualValue.objects.bulk_create([ActualValue(report=report, indicator=i, municipality=m, year=report.year,
                                                 month=report.month, submitted_on=on, value=v) for i, m, v in rows])
    for indicator, municipality, value in rows:
        _keep_latest(report, indicator, municipality, value)
    was = report.status
    report.status, report.submitted_on, report.submitted_by = Report.Status.SUBMITTED, on, actor
    report.save(update_fields=["status", "submitted_on", "submitted_by", "updated_at"])
    _close_assignment(report, on)
    event = record_event(kind="indicators.report_submitted", actor=actor, subject=report,
                         payload={"values": len(rows), "late": report.is_late, "resubmitted": was == "submitted"})
    for indicator, municipality, _value in rows:
        if municipality is None:
            _alert(indicator, before.get(indicator.pk, "none"), event)
    return report


def _alert(indicator: Indicator, before: str, event) -> None:
    row = selectors.deviation_of(indicator)
    if indicator.owner is None or not arith.crossed(before, row.colour):
        return
    notify(users=[indicator.owner], kind=ALERT, event=event,
           title=_("%(code)s is behind the plan by %(d)s%%") % {"code": indicator.code, "d": -row.deviation},
           url=reverse("monitoring:indicators:indicator", args=[indicator.code]))


@transaction.atomic
def deviation_order(*, actor, indicator: Indicator, deadline: date, text: str = "") -> Assignment:
    """Put an indicator that is behind on control: an order to its owner organisation."""
    _check(actor, "indicators.open_order", indicator, _("You may not open an order on this indicator."))
    row = selectors.deviation_of(indicator)
    title = _("Bring %(code)s back to the plan") % {"code": indicator.code}
    if row.deviation is not None:
        title = _("Bring %(code)s back to the plan (deviation %(d)s%%)") % {"code": indicator.code,
                                                                          "d": row.deviation}
    assignment = finding_to_order(actor=actor, kind=FINDING_KIND, subject=indicator, title=title,
                                  executor_organisation=indicator.owner_organisation, text=text, deadline=deadline)
    record_event(kind="indicators.ordered", actor=actor, subject=indicator,
                 payload={"assignment": assignment.pk, "deviation": str(row.deviation)})
    return assignment
