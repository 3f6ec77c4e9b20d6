"""Editing the production calendar (administrators' overrides), and the working-day arithmetic.

The arithmetic is a read and lives in ``selectors``; it is re-exported here because every deadline in
Krai calls it: ``from krai.core.workcalendar.services import add_working_days`` works as well.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.core.workcalendar import production, selectors
from krai.core.workcalendar.models import CalendarDay
from krai.core.workcalendar.selectors import (  # noqa: F401 — re-exported, see the docstring
    add_working_days,
    is_working_day,
    next_working_day,
    previous_working_day,
    working_days_between,
)

PERMISSION = "workcalendar.change_calendarday"
MIN_YEAR, MAX_YEAR = 2000, 2100


def _check(actor) -> None:
    if actor is None or not actor.is_authenticated or not actor.has_perm(PERMISSION):
        raise PermissionDenied(_("Only administrators may change the production calendar."))


def _validate(day, note: str) -> str:
    errors = {}
    if not isinstance(day, date):
        errors["date"] = _("Give a date.")
    elif not MIN_YEAR <= day.year <= MAX_YEAR:
        errors["date"] = _("Give a date between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}
    note = (note or "").strip()
    if len(note) > 200:
        errors["note"] = _("A note is at most 200 characters.")
    if errors:
        raise ValidationError(errors)
    return note


def _invalidate() -> None:
    # At once, so that this transaction's own reads see the change, and again after the commit, so that a
    # version recomputed meanwhile by another process (from the old rows) does not outlive it. (A rolled
    # back change may leave a wrong version cached for up to ``selectors.VERSION_TTL`` seconds.)
    selectors.invalidate()
    transaction.on_commit(selectors.invalidate)


def _official_is_working(day: date) -> bool:
    return day not in production.official_non_working(day.year)


@transaction.atomic
def calendar_day_set(*, actor, day: date, is_working: bool, note: str = "") -> CalendarDay:
    """Make ``day`` a working day or a day off whatever the official calendar says (an override).

    Writing the same status and note again changes nothing and records no event.
    """
    _check(actor)
    note = _validate(day, note)
    row = CalendarDay.objects.select_for_update().filter(date=day).first()
    if row is not None and (row.is_working, row.note) == (bool(is_working), note):
        return row
    created = row is None
    if created:
        row = CalendarDay(date=day)
    row.is_working, row.note, row.updated_by = bool(is_working), note, actor
    row.save()
    record_event(kind="workcalendar.day_set", actor=actor, subject=row,
                 payload={"date": day, "is_working": row.is_working, "note": note, "created": created,
                          "official_is_working": _official_is_working(day)})
    _invalidate()
    return row


@transaction.atomic
def calendar_day_remove(*, actor, day: date) -> bool:
    """Drop the override of ``day`` (the official calendar applies again); False if there was none."""
    _check(actor)
    row = CalendarDay.objects.select_for_update().filter(date=day).first()
    if row is None:
        return False
    record_event(kind="workcalendar.day_removed", actor=actor, subject=row,
                 payload={"date": day, "was_working": row.is_working, "note": row.note})
    row.delete()
    _invalidate()
    return True
