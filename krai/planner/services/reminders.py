"""Reminders of planner entries: which ones an entry has (``reminders_set``) and when each is next due.

A reminder fires ``minutes_before`` the *anchor* of each occurrence: the start of a timed entry, or 09:00 local time
(``ALL_DAY_AT``) on the first day of a whole-day one, so "0 minutes" means "that morning" and "1 day" the morning
before. Occurrences come from the entry's RRULE (read with python-dateutil in Krai's zone, so a weekly "Monday 10:00"
stays at 10:00 local time) without its ``exdates``. A done task and an entry whose occurrences are over have no next
moment. Sending what is due is ``krai.planner.reminding`` (a job), never a request.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.planner import recurrence
from krai.planner.models import Entry, Reminder

CHANNELS = tuple(Reminder.Channel.values)  # ("inapp", "email", "push")
MAX_REMINDERS = 5
MAX_MINUTES_BEFORE = 4 * 7 * 24 * 60  # four weeks
#: the moment of a whole-day entry's day that its reminders count from
ALL_DAY_AT = time(9, 0)
#: an occurrence without an end is still worth reminding of this long after it started (a late worker)
STALE_AFTER = timedelta(minutes=15)
#: how many occurrences are looked through for one that is not left out (a rule with endless exceptions stops)
MAX_LOOKAHEAD = 2000


@dataclass(frozen=True)
class ReminderSpec:
    """One reminder as the person asks for it: how long before, and by which channels."""

    minutes_before: int
    channels: tuple[str, ...]


def clean_reminders(raw: Iterable[Any]) -> list[ReminderSpec]:
    """Validate reminders given as ``ReminderSpec``, ``(minutes, channels)`` pairs or ``{"minutes_before",
    "channels"}`` dicts: whole minutes 0…four weeks, known channels (at least one), at most five; the same
    number of minutes twice is one reminder with both sets of channels. Raises ``ValidationError`` on
    ``reminders``."""
    merged: dict[int, list[str]] = {}
    for item in raw:
        if isinstance(item, ReminderSpec):
            minutes, channels = item.minutes_before, item.channels
        elif isinstance(item, dict):
            minutes, channels = item.get("minutes_before"), item.get("channels")
        else:
            try:
                minutes, channels = item
            except (TypeError, ValueError):
                raise ValidationError(
                    {"reminders": _("A reminder is a number of minutes and its channels.")}) from None
        try:
            minutes = int(minutes)
        except (TypeError, ValueError):
            raise ValidationError({"reminders": _("Minutes before must be a whole number.")}) from None
        if not 0 <= minutes <= MAX_MINUTES_BEFORE:
            raise ValidationError({"reminders": _("A reminder comes from 0 minutes to four weeks before.")})
        channels = [channels] if isinstance(channels, str) else list(channels or [])
        unknown = [c for c in channels if c not in CHANNELS]
        if unknown or not channels:
            raise ValidationError({"reminders": _("Choose how to remind: in Krai, by e-mail or by push.")})
        chosen = merged.setdefault(minutes, [])
        chosen.extend(c for c in channels if c not in chosen)
    if len(merged) > MAX_REMINDERS:
        raise ValidationError({"reminders": _("At most %(count)d reminders per entry.") % {"count": MAX_REMINDERS}})
    return [ReminderSpec(minutes, tuple(c for c in CHANNELS if c in channels))
            for minutes, channels in sorted(merged.items())]


# --- occurrences --------------------------------------------------------------------------------------------------

def _zone() -> Any:
    return timezone.get_default_timezone()


def _local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=_zone()) if timezone.is_naive(moment) else moment.astimezone(_zone())


def _offset(entry: Entry) -> timedelta:
    """From an occurrence's start (local midnight for whole days) to its anchor."""
    return timedelta(hours=ALL_DAY_AT.hour, minutes=ALL_DAY_AT.minute) if entry.all_day else timedelta()


def occurrence_anchors(entry: Entry, *, after: datetime) -> Iterator[datetime]:
    """The anchors (aware, Krai's zone) of the entry's occurrences strictly after ``after``, in order."""
    offset = _offset(entry)
    for start in recurrence.starts_after(entry, after - offset, limit=MAX_LOOKAHEAD):
        yield start + offset


# --- when is a reminder due --------------------------------------------------------------------------------------

def next_remind_at(entry: Entry, minutes_before: int, *, after: datetime,
                   sent_at: datetime | None = None) -> datetime | None:
    """When a reminder ``minutes_before`` is next due for an occurrence anchored after ``after``: None for a done
    task or when no occurrence is left. An occurrence whose reminder moment is not after ``sent_at`` (the last
    time this reminder went out) was already reminded of and is passed over. The moment may be in the past (a
    reminder set 15 minutes before a meeting that starts in 10): the next run of the job sends it."""
    if entry.done_at is not None:
        return None
    before = timedelta(minutes=minutes_before)
    for anchor in occurrence_anchors(entry, after=after):
        moment = anchor - before
        if sent_at is None or moment > sent_at:
            return moment
    return None


def occurrence_over(entry: Entry, anchor: datetime) -> datetime:
    """When the occurrence with ``anchor`` is over, so that its reminder is no longer worth sending: the end of
    its last day for a whole-day entry; its end (at least ``STALE_AFTER`` after the start) otherwise."""
    if entry.all_day:
        days = (_local(entry.ends_at).date() - _local(entry.starts_at).date()).days if entry.ends_at else 0
        day = _local(anchor).date() + timedelta(days=max(days, 0) + 1)
        return datetime.combine(day, time(), tzinfo=_zone())
    length = entry.ends_at - entry.starts_at if entry.ends_at else timedelta()
    return anchor + max(length, STALE_AFTER)


# --- the service ---------------------------------------------------------------------------------------------------

@transaction.atomic
def reminders_set(*, actor: Any, entry: Entry, reminders: Iterable[Any], now: datetime | None = None
                  ) -> list[Reminder]:
    """Make the entry's reminders exactly ``reminders`` (see ``clean_reminders``): a reminder kept with the same
    minutes keeps its last sending (changing its channels does not send it again), the others are made or
    removed; each gets its next moment. Only the entry's owner (or a deputy acting for him) may."""
    if not actor.has_perm("planner.change_entry", entry):
        raise PermissionDenied(_("Only the owner of the entry may change its reminders."))
    specs = clean_reminders(reminders)
    now = now or timezone.now()
    existing = {row.minutes_before: row for row in Reminder.objects.select_for_update().filter(entry=entry)}
    wanted = {spec.minutes_before: spec for spec in specs}
    removed = [row.pk for minutes, row in existing.items() if minutes not in wanted]
    if removed:
        Reminder.objects.filter(pk__in=removed).delete()
    written = bool(removed)
    kept: list[Reminder] = []
    for minutes, spec in wanted.items():
        row = existing.get(minutes) or Reminder(entry=entry, minutes_before=minutes)
        next_at = next_remind_at(entry, minutes, after=now, sent_at=row.last_sent_at)
        if row.pk is None or list(row.channels) != list(spec.channels) or row.next_at != next_at:
            row.channels, row.next_at = list(spec.channels), next_at
            row.save()
            written = True
        kept.append(row)
    if written:
        record_event(kind="planner.reminders_set", actor=actor, subject=entry,
                     payload={"reminders": [{"minutes_before": s.minutes_before, "channels": list(s.channels)}
                                            for s in specs]})
    return sorted(kept, key=lambda row: row.minutes_before)


def reminders_reschedule(entry: Entry, *, now: datetime | None = None) -> int:
    """Move the entry's reminders to their next moments after the entry changed (its time, its rule, its left-out
    days, ticked off or back); an occurrence already reminded of is not reminded again. Called by the entries'
    services inside their transaction (their event says what changed). Returns how many reminders moved."""
    now = now or timezone.now()
    changed = 0
    for reminder in Reminder.objects.select_for_update().filter(entry=entry):
        following = next_remind_at(entry, reminder.minutes_before, after=now, sent_at=reminder.last_sent_at)
        if following != reminder.next_at:
            changed += Reminder.objects.filter(pk=reminder.pk).update(next_at=following)
    return changed
