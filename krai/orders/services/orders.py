"""Orders: drafted, issued (taken on control through the engine), with co-executors and control points."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.core.workcalendar.selectors import add_working_days, previous_working_day
from krai.orders.models import (
    Assignment,
    CoExecutor,
    ControlPoint,
    Order,
    OrderCounter,
    Priority,
    SourceType,
    Transition,
)
from krai.orders.services import control

#: urgency class → working days from issue (the practice of Russian order control)
PRIORITY_WORKING_DAYS = {Priority.IMMEDIATE: 1, Priority.VERY_URGENT: 1, Priority.URGENT: 3, Priority.PROMPT: 10}
#: an ordinary order without a deadline: 30 calendar days (moved back to a working day)
ORDINARY_DAYS = 30
MAX_PERIODS = 60


def _tenth_after(day: date, months: int) -> date:
    """The 10th of the month ``months`` after ``day``'s month."""
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 10)


def quarter_report_date(day: date) -> date:
    """The 10th of the month after the quarter ``day`` is in."""
    quarter_end_month = ((day.month - 1) // 3 + 1) * 3
    return _tenth_after(date(day.year, quarter_end_month, 1), 1)


def default_deadline(priority: str, issued_on: date) -> date:
    """The deadline an urgency class gives when the issuer names none."""
    if priority in PRIORITY_WORKING_DAYS:
        return add_working_days(issued_on, PRIORITY_WORKING_DAYS[priority])
    if priority == Priority.MONTHLY:
        return previous_working_day(_tenth_after(issued_on, 1))
    if priority == Priority.QUARTERLY:
        return previous_working_day(quarter_report_date(issued_on))
    return previous_working_day(issued_on + timedelta(days=ORDINARY_DAYS))


def period_dates(period: str, start: date, until: date) -> list[date]:
    """Report dates of a periodic order: the 10th after each month (quarter) from ``start`` to ``until``."""
    dates: list[date] = []
    if period == Order.Period.MONTHLY:
        step, first = 1, _tenth_after(start, 1)
    elif period == Order.Period.QUARTERLY:
        step, first = 3, quarter_report_date(start)
    else:
        return dates
    current = first
    while current <= until and len(dates) < MAX_PERIODS:
        dates.append(previous_working_day(current))
        current = _tenth_after(current, step)
    return dates


def _clean(fields: dict) -> dict:
    out = dict(fields)
    out["title"] = control._text(fields.get("title", ""), "title", required=True, limit=500)
    out["text"] = control._text(fields.get("text", ""), "text", required=True)
    out["source_reference"] = control._text(fields.get("source_reference", ""), "source_reference",
                                            required=False, limit=200)
    if out.get("priority", Priority.ORDINARY) not in Priority.values:
        raise ValidationError({"priority": _("Choose an urgency class.")}, code="invalid")
    if out.get("source_type", SourceType.PROTOCOL) not in SourceType.values:
        raise ValidationError({"source_type": _("Choose a kind of source.")}, code="invalid")
    if out.get("period", "") not in Order.Period.values:
        raise ValidationError({"period": _("Choose a period.")}, code="invalid")
    if out.get("period") and not out.get("period_until"):
        raise ValidationError({"period_until": _("A periodic order needs the date until which reports are due.")},
                              code="required")
    if out.get("deadline") is not None and out.get("working_days") is not None:
        raise ValidationError({"deadline": _("Give either a deadline or a number of working days, not both.")},
                              code="deadline_or_days")
    wd = out.get("working_days")
    if wd is not None and (not isinstance(wd, int) or isinstance(wd, bool) or not 0 <= wd <= 3650):
        raise ValidationError({"working_days": _("The number of working days must be from 0 to 3650.")},
                              code="invalid")
    control._organisation(out.get("lead_organisation"), "lead_organisation")
    control._organisation(out.get("controller_organisation"), "controller_organisation")
    control._person(out.get("lead_user"), "lead_user")
    return out


FIELDS = ("number", "title", "text", "source_type", "source_reference", "source_date", "priority",
          "controller_organisation", "lead_organisation", "lead_user", "deadline", "working_days", "period",
          "period_until", "issuer_organisation")


def _next_number(today: date) -> str:
    """The next number of ``today``'s year (``2026-00042``), taken from the year's counter under a row lock.

    Must run inside the creating transaction: the lock holds until it commits, so concurrent creators wait
    for each other instead of reading the same highest number (and a rolled-back creation gives its number
    back). A number somebody typed by hand is skipped over.
    """
    year = today.year
    counter = OrderCounter.objects.select_for_update().filter(year=year).first()
    if counter is None:
        _start_counter(year)
        counter = OrderCounter.objects.select_for_update().get(year=year)
    prefix = f"{year}-"
    n = counter.last + 1
    while Order.objects.filter(number=f"{prefix}{n:05d}").exists():
        n += 1
    counter.last = n
    counter.save(update_fields=["last"])
    return f"{prefix}{n:05d}"


def _start_counter(year: int) -> None:
    """Create the year's counter at the highest number the year already has (orders made before the counter)."""
    prefix = f"{year}-"
    suffixes = (number[len(prefix):] for number in
                Order.objects.filter(number__startswith=prefix).values_list("number", flat=True).iterator())
    last = max((int(s) for s in suffixes if s.isdigit() and len(s) <= 9), default=0)
    try:
        with transaction.atomic():
            OrderCounter.objects.create(year=year, last=last)
    except IntegrityError:  # another transaction created it first; the caller locks that row
        pass


@transaction.atomic
def order_create(*, actor, co_executors=(), control_points=(), **fields) -> Order:
    """A draft order by ``actor`` (its issuer). ``co_executors``: (organisation, user|None) pairs;
    ``control_points``: (title, date) pairs."""
    if actor is None or not actor.has_perm("orders.add_order"):
        raise PermissionDenied(_("You may not give orders."))
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown order fields: {sorted(unknown)}")
    data = _clean(fields)
    number = control._text(data.pop("number", "") or "", "number", required=False, limit=40)
    if number and Order.objects.filter(number=number).exists():
        raise ValidationError({"number": _("An order with this number exists.")}, code="duplicate")
    try:
        with transaction.atomic():
            order = Order.objects.create(number=number or _next_number(timezone.localdate()), issuer=actor,
                                         is_draft=True, **data)
    except IntegrityError:
        if not number:
            raise
        # the same number typed by two people at once: the later one is told, as above
        raise ValidationError({"number": _("An order with this number exists.")}, code="duplicate") from None
    _set_parts(order, co_executors, control_points)
    record_event(kind="orders.order_created", actor=actor, subject=order, payload={"number": order.number})
    return order


def _set_parts(order: Order, co_executors, control_points) -> None:
    order.co_executors.all().delete()
    order.control_points.all().delete()
    seen = {order.lead_organisation_id}
    for organisation, user in co_executors:
        control._organisation(organisation, "co_executors")
        control._person(user, "co_executors")
        if organisation.pk in seen:
            raise ValidationError({"co_executors": _("An organisation is named twice among the executors.")},
                                  code="duplicate")
        seen.add(organisation.pk)
        CoExecutor.objects.create(order=order, organisation=organisation, user=user)
    for title, day in control_points:
        title = control._text(title, "control_points", required=True, limit=300)
        if not isinstance(day, date):
            raise ValidationError({"control_points": _("Enter a valid date.")}, code="invalid")
        ControlPoint.objects.create(order=order, title=title, deadline=day)


@transaction.atomic
def order_update(*, actor, order: Order, co_executors=None, control_points=None, **fields) -> Order:
    """Change a draft (only its issuer, only while it is a draft)."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if actor is None or not actor.has_perm("orders.change_order", order):
        raise PermissionDenied(_("Only the issuer may change a draft."))
    before = _snapshot(order)
    current = {name: getattr(order, name) for name in FIELDS if name != "number"}
    current.update(fields)
    current.pop("number", None)
    data = _clean(current)
    for name, value in data.items():
        setattr(order, name, value)
    order.save()
    if co_executors is not None or control_points is not None:
        _set_parts(order,
                   co_executors if co_executors is not None else [(c.organisation, c.user) for c in
                                                                  order.co_executors.all()],
                   control_points if control_points is not None else [(p.title, p.deadline) for p in
                                                                      order.control_points.all()])
    after = _snapshot(order)
    record_event(kind="orders.order_updated", actor=actor, subject=order, payload={
        "number": order.number,
        # texts by name only (they may hold anything); ids, dates and choices as they were and are now
        "changed": {name: None if name in _TEXTS else [before[name], after[name]]
                    for name in before if before[name] != after[name]}})
    return order


_TEXTS = ("title", "text", "source_reference", "control_points")


def _snapshot(order: Order) -> dict:
    """What a draft says, by field: ids for people and bodies, the parts as lists (for the change's event)."""
    values = {name: getattr(order, Order._meta.get_field(name).attname) for name in FIELDS if name != "number"}
    values["co_executors"] = sorted([c.organisation_id, c.user_id] for c in order.co_executors.all())
    values["control_points"] = sorted([p.deadline.isoformat(), p.title] for p in order.control_points.all())
    return values


@transaction.atomic
def order_issue(*, actor, order: Order, issued_on: date | None = None) -> Order:
    """Issue a draft: it is taken on control (the root assignment), with its co-executors and control points."""
    order = Order.objects.select_for_update().select_related("lead_organisation", "controller_organisation").get(
        pk=order.pk)
    if actor is None or not actor.has_perm("orders.issue_order", order):
        raise PermissionDenied(_("Only the issuer may issue this order."))
    if not actor.has_perm("orders.open_assignment", order.lead_organisation):
        raise PermissionDenied(_("You may not give orders to this organisation."))
    issued_on = issued_on or timezone.localdate()
    if order.deadline is not None:
        deadline, working_days = order.deadline, None
    elif order.working_days is not None:
        deadline, working_days = None, order.working_days
    elif order.period:
        deadline, working_days = order.period_until, None
    else:
        deadline, working_days = default_deadline(order.priority, issued_on), None
    root = control.control_open(actor=actor, kind="order", subject=order, title=f"№ {order.number}. {order.title}",
                                executor_organisation=order.lead_organisation, executor_user=order.lead_user,
                                controller_organisation=order.controller_organisation, deadline=deadline,
                                working_days=working_days, text=order.text,
                                issuer_organisation=order.issuer_organisation, issued_on=issued_on)
    parts: list[tuple[str, Assignment]] = []
    for co in order.co_executors.select_related("organisation", "user"):
        child = control._child(actor=actor, parent=root, executor_organisation=co.organisation,
                               executor_user=co.user, deadline=root.deadline, text="", issued_on=issued_on,
                               title=root.title)
        parts.append(("co_executor", child))
    points = [(p.title, p.deadline) for p in order.control_points.all()]
    if order.period:
        points += [(_("Report for the period due %(d)s") % {"d": d.strftime("%d.%m.%Y")}, d)
                   for d in period_dates(order.period, issued_on, root.deadline)]
    for title, day in points:
        child = control._child(actor=actor, parent=root, executor_organisation=order.lead_organisation,
                               executor_user=order.lead_user, deadline=day, text="", issued_on=issued_on,
                               title=f"{root.title} — {title}")
        parts.append(("control_point", child))
    for part, child in parts:
        control._transition(child, actor=actor, action=Transition.Action.DELEGATED, note=part, on=issued_on)
        control._event("control.delegated", child, actor, parent_id=root.pk, part=part)
    order.is_draft, order.issued_at, order.assignment = False, timezone.now(), root
    order.save(update_fields=["is_draft", "issued_at", "assignment", "updated_at"])
    record_event(kind="orders.order_issued", actor=actor, subject=order,
                 payload={"number": order.number, "assignment_id": root.pk, "deadline": root.deadline.isoformat()})
    return order


def last_day_of_month(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
