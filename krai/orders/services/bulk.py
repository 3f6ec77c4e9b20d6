"""Moving many assignments' deadlines at once: what ``control_reschedule`` does for one, in a fixed number of
statements (a programme's re-plan moves thousands of controlled items after one date; per item that was some ten
statements and tens of seconds).

Kept exactly as the one-by-one path keeps it: the deadline is the previous working day of the wanted date and never
before the day of issue; each moved assignment gets a ``rescheduled`` transition and a ``control.rescheduled``
event (the same payload); the dashboard's pre-counted ``TopLoad`` cells move by their net difference (a test holds
them equal to a recount); delegated assignments due after their parent's new deadline are brought to it one by one
(they are rare). The original deadline is kept.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from types import SimpleNamespace

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.bulksql import chunks, insert_rows, update_rows
from krai.core.events.models import Event
from krai.core.workcalendar.index import WorkingDays
from krai.orders.counts import TopLoad
from krai.orders.models import OPEN_STATUSES, Assignment, Transition
from krai.orders.services.control import control_reschedule, payload

COLUMNS = ("id", "kind", "subject_type_id", "subject_id", "status", "deadline", "original_deadline", "issued_on",
           "completed_on", "parent_id", "block_id", "body_id", "issuer_id", "executor_organisation_id",
           "executor_user_id")


@transaction.atomic
def control_reschedule_many(*, actor, deadlines: dict[int, date], reason: str) -> int:
    """Move the open assignments named by id in ``deadlines`` to their new dates (the system acting for an area
    that checked its own permission: ``actor`` must be None). Answers how many moved."""
    if actor is not None:
        raise ValueError("control_reschedule_many is the system's: the area checks its own permission first")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason.")}, code="required")
    if not deadlines:
        return 0
    found: list[SimpleNamespace] = []
    for chunk in chunks(list(deadlines)):
        found += [SimpleNamespace(**dict(zip(COLUMNS, row, strict=True))) for row in Assignment.objects
                  .select_for_update().filter(pk__in=chunk, status__in=OPEN_STATUSES).values_list(*COLUMNS)]
    years = [d.year for d in deadlines.values()] + [a.issued_on.year for a in found]
    cal = WorkingDays(min(years) - 1, max(years) + 1)
    changed, cells = [], Counter()
    for a in found:
        due = max(cal.day(cal.on_or_before(deadlines[a.id])), a.issued_on)
        if due == a.deadline:
            continue
        was = TopLoad.key_of(a)
        a.previous, a.deadline = a.deadline, due
        now = TopLoad.key_of(a)
        if was != now:
            cells[was] -= 1
            cells[now] += 1
        changed.append(a)
    if not changed:
        return 0
    moment = timezone.now()
    update_rows(Assignment, ("id",), ("deadline", "updated_at"), [(a.id, a.deadline, moment) for a in changed])
    insert_rows(Transition, ("assignment_id", "at", "action", "status", "deadline", "executor_organisation_id",
                             "executor_user_id", "completed_on", "note"),
                [(a.id, moment, Transition.Action.RESCHEDULED.value, a.status, a.deadline, a.executor_organisation_id,
                  a.executor_user_id, a.completed_on, reason[:500]) for a in changed])
    _events(changed, moment)
    _move_cells({key: by for key, by in cells.items() if key is not None and by})
    for chunk in chunks([a.id for a in changed]):
        for child in Assignment.objects.filter(parent_id__in=chunk, status__in=OPEN_STATUSES).select_related("parent"):
            if child.deadline > child.parent.deadline:
                control_reschedule(actor=None, assignment=child, deadline=child.parent.deadline, reason=reason)
    return len(changed)


def _events(changed: list[SimpleNamespace], moment) -> None:
    """One ``control.rescheduled`` event per moved assignment, as ``control_reschedule`` records it."""
    assignment_type = ContentType.objects.get_for_model(Assignment)
    types = {ct.pk: ct for ct in ContentType.objects.filter(pk__in={a.subject_type_id for a in changed})}
    adapt = connection.ops.adapt_json_value
    rows = []
    for a in changed:
        body = payload(SimpleNamespace(pk=a.id, kind=a.kind, subject_type=types[a.subject_type_id],
                                       subject_id=a.subject_id, status=a.status, deadline=a.deadline),
            previous_deadline=a.previous.isoformat(), original_deadline=a.original_deadline.isoformat())
        rows.append(("control.rescheduled", moment, assignment_type.pk, str(a.id), adapt(body, DjangoJSONEncoder), ""))
    insert_rows(Event, ("kind", "occurred_at", "subject_type_id", "subject_id", "payload", "request_id"), rows)
    from krai.core.events import dispatch

    dispatch.schedule_after_commit()


def _move_cells(deltas: dict[tuple, int]) -> None:
    """Add each delta to its ``TopLoad`` cell: existing cells updated together, new ones inserted."""
    if not deltas:
        return
    fields = TopLoad.FIELDS
    existing: set[tuple] = set()
    days = [key[4] for key in deltas]
    for chunk in chunks(sorted({key[1] for key in deltas}), 500):
        existing.update(TopLoad.objects.filter(body_id__in=chunk, deadline__gte=min(days), deadline__lte=max(days))
                        .values_list(*fields))
    update_rows(TopLoad, fields, ("n",), [(*key, by) for key, by in deltas.items() if key in existing], add=True)
    insert_rows(TopLoad, (*fields, "n"), [(*key, by) for key, by in deltas.items() if key not in existing and by > 0])
