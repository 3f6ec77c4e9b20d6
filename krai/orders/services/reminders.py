"""Reminders before a deadline and escalation of overdue assignments, driven by the working-day calendar.

Run once a working day (``tasks.remind_and_escalate``); safe to run any number of times: a ``Reminder``
row per (assignment, kind, deadline) records what was sent, so nothing is sent twice, and an extension
(a new deadline) starts the sequence afresh.

* **before** — the deadline is within ``REMIND_WORKING_DAYS`` working days: the executor is reminded;
* **overdue** — the deadline has passed: the executor is told and a ``control.overdue`` event is written;
* **head** — overdue by ``HEAD_AFTER`` working days or more: the heads of the executor organisation;
* **vice_governor** — overdue by ``VICE_AFTER`` working days or more: the vice-governor of the block.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.notifications.services import notify
from krai.core.workcalendar.selectors import add_working_days, is_working_day, working_days_between
from krai.orders.models import OPEN_STATUSES, Assignment, Reminder
from krai.orders.services import control
from krai.org.models import Role, RoleAssignment, ScopeKind

REMIND_WORKING_DAYS = 2
HEAD_AFTER = 3
VICE_AFTER = 10


@dataclass
class SweepResult:
    before: int = 0
    overdue: int = 0
    head: int = 0
    vice_governor: int = 0


def _heads_of(organisation) -> list:
    prefixes = [organisation.path[:i + 1] for i, ch in enumerate(organisation.path) if ch == "."]
    ids = (RoleAssignment.objects.filter(role=Role.HEAD, scope=ScopeKind.ORGANISATION, organisation__path__in=prefixes)
           .order_by("-organisation__depth").values_list("user_id", "organisation__depth"))
    deepest = [uid for uid, depth in ids if depth == max(d for _u, d in ids)] if ids else []
    from krai.org.models import User

    return list(User.objects.filter(pk__in=deepest, is_active=True))


def _once(assignment: Assignment, kind: str, today: date) -> bool:
    """Record that ``kind`` was sent for the assignment's current deadline; False if it already was."""
    try:
        with transaction.atomic():
            Reminder.objects.create(assignment=assignment, kind=kind, deadline=assignment.deadline, sent_on=today)
    except IntegrityError:
        return False
    return True


def _url(assignment: Assignment) -> str:
    return f"/workspace/orders/control/{assignment.pk}/"


def remind_and_escalate(*, today: date | None = None) -> SweepResult:
    """One pass over open assignments (nothing happens on days off)."""
    today = today or timezone.localdate()
    result = SweepResult()
    if not is_working_day(today):
        return result
    soon = add_working_days(today, REMIND_WORKING_DAYS)
    base = Assignment.objects.filter(status__in=OPEN_STATUSES).select_related(
        "executor_organisation", "executor_user", "block__vice_governor", "subject_type")
    for assignment in base.filter(deadline__gte=today, deadline__lte=soon).iterator(chunk_size=500):
        with transaction.atomic():
            if _once(assignment, Reminder.Kind.BEFORE, today):
                result.before += 1
                people = [assignment.executor_user] if assignment.executor_user else _heads_of(
                    assignment.executor_organisation)
                notify(users=people, kind="orders.reminder", url=_url(assignment),
                       title=_("Deadline %(d)s: %(t)s") % {"d": assignment.deadline.strftime("%d.%m.%Y"),
                                                          "t": assignment.title})
    for assignment in base.filter(deadline__lt=today).iterator(chunk_size=500):
        late_by = working_days_between(assignment.deadline, today)
        with transaction.atomic():
            if _once(assignment, Reminder.Kind.OVERDUE, today):
                result.overdue += 1
                control._event("control.overdue", assignment, None, overdue_working_days=late_by)
                people = [assignment.executor_user] if assignment.executor_user else _heads_of(
                    assignment.executor_organisation)
                notify(users=people, kind="orders.overdue", url=_url(assignment),
                       title=_("Overdue: %(t)s") % {"t": assignment.title})
            if late_by >= HEAD_AFTER and _once(assignment, Reminder.Kind.HEAD, today):
                result.head += 1
                notify(users=_heads_of(assignment.executor_organisation), kind="orders.escalation",
                       url=_url(assignment), title=_("Overdue by %(n)d working days: %(t)s")
                       % {"n": late_by, "t": assignment.title})
            if late_by >= VICE_AFTER and assignment.parent_id is None and _once(
                    assignment, Reminder.Kind.VICE_GOVERNOR, today):
                result.vice_governor += 1
                vice = assignment.block.vice_governor if assignment.block_id else None
                if vice is not None:
                    notify(users=[vice], kind="orders.escalation", url=_url(assignment),
                           title=_("Overdue by %(n)d working days: %(t)s") % {"n": late_by, "t": assignment.title})
    return result

