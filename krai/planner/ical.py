"""The planner's entries and the areas' agenda items as an iCalendar (RFC 5545) VCALENDAR, built with ``icalendar``
(never by hand): the private feed (``services.feed``) writes it, the import (``services.ics_import``) reads the same
conventions back, so a file exported from one person's planner imports into another's with the same occurrences.

Times are written with the TZID of Krai's zone (``settings.TIME_ZONE``, Europe/Moscow) and its VTIMEZONE, so a
weekly "Monday 10:00" stays at 10:00 local time; whole days are ``VALUE=DATE`` with an exclusive DTEND.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from icalendar import Calendar, Event, vDatetime, vRecur

from krai.core.agenda import AgendaItem
from krai.planner.models import Entry

PRODID = "-//Krai//Planner//RU"
#: how often subscribed calendars are asked to refresh (REFRESH-INTERVAL and Outlook's X-PUBLISHED-TTL)
REFRESH = timedelta(hours=1)
#: what the feed adds so that an exported file imports back as it was (kind, done) — other calendars ignore it
X_KIND = "X-KRAI-KIND"
X_DONE = "X-KRAI-DONE"
DONE_MARK = "✓ "


def local_zone() -> Any:
    """Krai's own time zone (Europe/Moscow unless configured)."""
    return timezone.get_default_timezone()


def local(moment: datetime) -> datetime:
    """An aware moment in Krai's zone (a naive one is taken as already local)."""
    if timezone.is_naive(moment):
        return moment.replace(tzinfo=local_zone())
    return moment.astimezone(local_zone())


def entry_span(entry: Entry) -> tuple[date | datetime, date | datetime | None]:
    """(DTSTART, DTEND) of an entry: dates with an exclusive end for whole days (the model keeps the last day
    included), local moments otherwise (no end for a task or event without one: it lasts no time)."""
    if entry.all_day:
        first = local(entry.starts_at).date()
        last = local(entry.ends_at).date() if entry.ends_at else first
        return first, max(last, first) + timedelta(days=1)
    return local(entry.starts_at), local(entry.ends_at) if entry.ends_at else None


def parse_exdate(text: str, *, all_day: bool, start: date | datetime) -> date | datetime | None:
    """One of ``Entry.exdates`` (an ISO date or date-time) as the EXDATE value matching DTSTART: a date for whole
    days; for timed entries a local moment (a bare date means that day's occurrence at the start's time)."""
    text = str(text).strip()
    try:
        value: date | datetime = datetime.fromisoformat(text) if len(text) > 10 else date.fromisoformat(text)
    except ValueError:
        return None
    if all_day:
        return local(value).date() if isinstance(value, datetime) else value
    if not isinstance(value, datetime):
        assert isinstance(start, datetime)
        return datetime.combine(value, start.timetz().replace(tzinfo=None), tzinfo=local_zone())
    return local(value)


def normalized_rrule(body: str, *, all_day: bool) -> vRecur:
    """An RRULE body with UNTIL in the form RFC 5545 asks for: a date for whole days, a UTC moment otherwise
    (a date or a floating moment is read in Krai's zone)."""
    recur = vRecur.from_ical(body.removeprefix("RRULE:").strip())
    until = recur.get("UNTIL")
    if until:
        value = until[0]
        if all_day:
            recur["UNTIL"] = [local(value).date() if isinstance(value, datetime) else value]
        elif isinstance(value, datetime):
            recur["UNTIL"] = [local(value).astimezone(UTC)]
        else:
            recur["UNTIL"] = [datetime.combine(value, time(23, 59, 59), tzinfo=local_zone()).astimezone(UTC)]
    return recur


def entry_event(entry: Entry) -> Event:
    """One planner entry as a VEVENT.

    Tasks are VEVENTs too, not VTODOs: Outlook's and Google's subscribed calendars and the phones' calendar apps
    drop VTODO from a subscription altogether (only Thunderbird shows them, in a separate task list), while a
    VEVENT at the task's time shows in every one of them. A task done is marked in its title (✓), the one thing
    every calendar shows, and keeps X-KRAI-KIND / X-KRAI-DONE for an import back into Krai.
    """
    start, end = entry_span(entry)
    done = entry.kind == Entry.Kind.TASK and entry.done_at is not None
    event = Event.new(
        uid=entry.uid, summary=(DONE_MARK if done else "") + entry.title, start=start, end=end,
        description=entry.notes or None, location=entry.location or None, sequence=entry.sequence,
        # a published calendar's DTSTAMP is the time its data last changed (RFC 5545 3.8.7.2), which keeps the
        # feed's bytes — and its ETag — the same while nothing changes
        stamp=entry.updated_at.astimezone(UTC), last_modified=entry.updated_at.astimezone(UTC),
        created=entry.created_at.astimezone(UTC), categories=[str(entry.get_kind_display())],
    )
    event.add(X_KIND, entry.kind)
    if done:
        event.add("TRANSP", "TRANSPARENT")
        event.add(X_DONE, vDatetime(entry.done_at.astimezone(UTC)))
    if entry.rrule:
        event.add("RRULE", normalized_rrule(entry.rrule, all_day=entry.all_day))
        left_out = [value for value in (parse_exdate(text, all_day=entry.all_day, start=start)
                                        for text in entry.exdates or []) if value is not None]
        if left_out:
            event.add("EXDATE", sorted(set(left_out)))
    return event


def agenda_event(item: AgendaItem, *, url: str, stamp: datetime) -> Event:
    """An area's agenda item as a read-only VEVENT: UID from its key, URL to its Krai page, CATEGORIES its area.
    A date's ``end`` is taken as the last day included, like the planner's own whole-day entries."""
    if item.all_day:
        first = item.start if not isinstance(item.start, datetime) else local(item.start).date()
        last = item.end if isinstance(item.end, date) and not isinstance(item.end, datetime) else first
        start: date | datetime = first
        end: date | datetime | None = max(last, first) + timedelta(days=1)
    else:
        assert isinstance(item.start, datetime)
        start = local(item.start)
        end = local(item.end) if isinstance(item.end, datetime) and item.end >= item.start else None
    description = " · ".join(part for part in (item.detail, item.status) if part)
    return Event.new(uid=f"{item.key}@krai", summary=item.title, start=start, end=end, url=url, stamp=stamp,
                     categories=[item.area], description=description or None)


def build_calendar(*, name: str, uid: str, entries: Iterable[Entry], items: Iterable[AgendaItem],
                   absolute_url: Callable[[str], str], stamp: datetime, first_day: date) -> Calendar:
    """The whole VCALENDAR of a feed: the entries, then the agenda items, with the VTIMEZONE they use."""
    calendar = Calendar.new(name=name, uid=uid, prodid=PRODID, refresh_interval=REFRESH)
    hours = int(REFRESH.total_seconds() // 3600)
    calendar.add("X-PUBLISHED-TTL", f"PT{hours}H")
    calendar.add("X-WR-TIMEZONE", str(local_zone()))
    for entry in entries:
        calendar.add_component(entry_event(entry))
    for item in items:
        calendar.add_component(agenda_event(item, url=absolute_url(item.url), stamp=stamp))
    # the zone's rules from a year before the oldest start: enough for every client, far shorter than since 1970
    calendar.add_missing_timezones(first_date=date(first_day.year - 1, 1, 1), last_date=date(2038, 1, 1))
    return calendar
