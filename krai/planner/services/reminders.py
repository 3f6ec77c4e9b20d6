"""Reminders of planner entries: which ones an entry has (``reminders_set``) and when each is next due.

A reminder fires ``minutes_before`` the *anchor* of each occurrence: the start of a timed entry, or 09:00 local time
(``ALL_DAY_AT``) on the first day of a whole-day one, so "0 minutes" means "that morning" and "1 day" the morning
before. Occurrences come from the entry's RRULE (read with python-dateutil in Krai's zone, so a weekly "Monday 10:00"
stays at 10:00 local time) without its ``exdates``. A done task and an entry whose occurrences are over have no next
moment. Sending what is due is ``krai.planner.reminding`` (a job), never a request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dateutil.rrule import rrulestr
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
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
_UNTIL = re.compile(r"UNTIL=([0-9TZ]+)", re.IGNORECASE)


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


# --- occurrences (replaceable by krai.planner.recurrence once it exists: one function to swap) -----------------

def _zone() -> Any:
    return timezone.get_default_timezone()


def _local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=_zone()) if timezone.is_naive(moment) else moment.astimezone(_zone())


def _offset(entry: Entry) -> timedelta:
    """From an occurrence's start (local midnight for whole days) to its anchor."""
    return timedelta(hours=ALL_DAY_AT.hour, minutes=ALL_DAY_AT.minute) if entry.all_day else timedelta()


def _first_start(entry: Entry) -> datetime:
    """The first occurrence's start as a naive local wall-clock moment (midnight for a whole-day entry)."""
    start = _local(entry.starts_at).replace(tzinfo=None)
    return datetime.combine(start.date(), time()) if entry.all_day else start


def _rule_body(entry: Entry) -> str:
    """The RRULE with UNTIL as a naive local moment (dateutil wants it like the naive DTSTART)."""
    body = entry.rrule.strip().removeprefix("RRULE:").strip()

    def local_until(match: re.Match) -> str:
        text = match.group(1).upper()
        if len(text) == 8:  # a date: its whole day counts
            value = datetime.combine(date(int(text[:4]), int(text[4:6]), int(text[6:8])), time(23, 59, 59))
        else:
            value = datetime.strptime(text.rstrip("Z"), "%Y%m%dT%H%M%S")
            if text.endswith("Z"):
                value = value.replace(tzinfo=UTC).astimezone(_zone()).replace(tzinfo=None)
        return f"UNTIL={value:%Y%m%dT%H%M%S}"

    return _UNTIL.sub(local_until, body)


def _left_out(entry: Entry) -> tuple[set[date], set[datetime]]:
    """The ``exdates``: whole days left out, and exact naive local moments left out."""
    days: set[date] = set()
    moments: set[datetime] = set()
    for text in entry.exdates or []:
        text = str(text).strip()
        try:
            if len(text) <= 10:
                days.add(date.fromisoformat(text))
            else:
                moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
                local = _local(moment).replace(tzinfo=None)
                (days.add(local.date()) if entry.all_day else moments.add(local))
        except ValueError:
            continue
    return days, moments


def occurrence_anchors(entry: Entry, *, after: datetime) -> Iterator[datetime]:
    """The anchors (aware, Krai's zone) of the entry's occurrences strictly after ``after``, in order."""
    offset = _offset(entry)
    first = _first_start(entry)
    days, moments = _left_out(entry)
    threshold = _local(after).replace(tzinfo=None)
    if entry.rrule.strip():
        try:
            starts: Iterable[datetime] = rrulestr(_rule_body(entry), dtstart=first).xafter(
                threshold - offset, count=MAX_LOOKAHEAD, inc=False)
        except (ValueError, TypeError):  # a malformed rule: the first occurrence only
            starts = [first]
    else:
        starts = [first]
    for start in starts:
        anchor = start + offset
        if anchor <= threshold or start.date() in days or start in moments:
            continue
        yield anchor.replace(tzinfo=_zone())


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
