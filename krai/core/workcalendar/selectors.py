"""Working-day arithmetic for every deadline in Krai, and the calendar of a year for pages and API.

Definitions (every function takes dates; a datetime is first taken as its local date):

* a **working day** is a date that is not a day off. Days off are weekends, public holidays and the
  weekdays made days off by a transfer (all from the official calendar, see ``production``), except
  the weekend dates made working by a transfer; an administrator's ``CalendarDay`` row wins over all
  of that for its date.
* ``add_working_days(start, n)``: for ``n >= 1`` the n-th working day strictly after ``start``
  (``start`` itself does not count, whether working or not); for ``n == 0`` ``start`` itself if it is a
  working day, else the next working day. So an order issued on Friday 2025-10-31 with 1 working day
  is due on Saturday 2025-11-01 (a transferred working Saturday).
* ``next_working_day(d)`` / ``previous_working_day(d)``: ``d`` itself if it is a working day, else the
  nearest working day after / before it (a deadline falling on a day off moves back to the previous
  working day with ``previous_working_day``).
* ``working_days_between(a, b)``: how many working days lie in ``(a, b]`` — after ``a``, up to and
  including ``b``; negative when ``b < a``, 0 when equal. ``working_days_between(a, add_working_days(a,
  n)) == n`` for every ``n >= 1``.

Speed: the set of a year's days off is cached (Django's cache and a small in-process memo) under a
version key; the version is derived from the overrides table (count, last change) and the library's
version, cached for ``VERSION_TTL`` seconds and dropped at once by the services when an override changes
(other processes with a local-memory cache see the change within ``VERSION_TTL``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import get_language

from krai.core.workcalendar import production
from krai.core.workcalendar.models import CalendarDay

VERSION_KEY = "workcalendar:version"
VERSION_TTL = 60
MAX_SEARCH_DAYS = 3660  # a search that finds no working day in ten years has a broken calendar
_memo: dict[tuple[str, int], frozenset[date]] = {}


def _as_date(value: date) -> date:
    if isinstance(value, datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).date()
    if not isinstance(value, date):
        raise TypeError(f"A date is required, not {type(value).__name__}.")
    return value


def calendar_version() -> str:
    """The version of the calendar data: changes whenever an override is written or removed."""
    version = cache.get(VERSION_KEY)
    if version is None:
        stats = CalendarDay.objects.aggregate(count=Count("id"), last=Max("updated_at"))
        last = stats["last"].timestamp() if stats["last"] else 0
        version = f"{holidays.__version__}:{stats['count']}:{last}"
        cache.set(VERSION_KEY, version, VERSION_TTL)
    return version


def invalidate() -> None:
    """Forget the version: the next read recomputes it (called after an override changes)."""
    cache.delete(VERSION_KEY)


def _compute_days_off(year: int) -> frozenset[date]:
    days_off = production.official_non_working(year)
    for day, is_working in CalendarDay.objects.filter(date__year=year).values_list("date", "is_working"):
        if is_working:
            days_off.discard(day)
        else:
            days_off.add(day)
    return frozenset(days_off)


class _Calendar:
    """The calendar at one version, loading years as a computation reaches them."""

    def __init__(self) -> None:
        self.version = calendar_version()
        self.years: dict[int, frozenset[date]] = {}

    def days_off(self, year: int) -> frozenset[date]:
        found = self.years.get(year)
        if found is None:
            found = _memo.get((self.version, year))
            if found is None:
                key = f"workcalendar:days_off:{self.version}:{year}"
                found = cache.get(key)
                if found is None:
                    found = _compute_days_off(year)
                    cache.set(key, found, 24 * 3600)
                if len(_memo) > 64:
                    _memo.clear()
                _memo[(self.version, year)] = found
            self.years[year] = found
        return found

    def is_working(self, day: date) -> bool:
        return day not in self.days_off(day.year)

    def step(self, day: date, direction: int) -> date:
        """The nearest working day from ``day`` (itself included) in ``direction`` (+1 or -1)."""
        for _ in range(MAX_SEARCH_DAYS):
            if self.is_working(day):
                return day
            day += timedelta(days=direction)
        raise ValueError("No working day within ten years: the calendar's overrides are wrong.")


def days_off(year: int) -> frozenset[date]:
    """Every day off of ``year`` (weekends, holidays, overrides applied)."""
    return _Calendar().days_off(year)


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day (see the module's definitions)."""
    return _Calendar().is_working(_as_date(day))


def next_working_day(day: date) -> date:
    """``day`` if it is a working day, else the first working day after it."""
    return _Calendar().step(_as_date(day), +1)


def previous_working_day(day: date) -> date:
    """``day`` if it is a working day, else the last working day before it."""
    return _Calendar().step(_as_date(day), -1)


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start``; for 0, ``start`` or the next working day."""
    if not isinstance(days, int) or isinstance(days, bool) or days < 0:
        raise ValueError("The number of working days must be a whole number, 0 or more.")
    calendar = _Calendar()
    day = _as_date(start)
    if days == 0:
        return calendar.step(day, +1)
    for _ in range(days):
        day = calendar.step(day + timedelta(days=1), +1)
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days lie after ``start`` up to and including ``end`` (negative if reversed)."""
    start, end = _as_date(start), _as_date(end)
    if end < start:
        return -working_days_between(end, start)
    calendar = _Calendar()
    count, day = 0, start + timedelta(days=1)
    while day <= end:
        if day.month == 1 and day.day == 1 and date(day.year, 12, 31) <= end:
            # a whole year at once
            year_days = (date(day.year + 1, 1, 1) - day).days
            count += year_days - len(calendar.days_off(day.year))
            day = date(day.year + 1, 1, 1)
            continue
        count += calendar.is_working(day)
        day += timedelta(days=1)
    return count


@dataclass(frozen=True)
class CalendarEntry:
    """A date worth showing in a year's calendar: a day off, or a weekend date that is worked."""

    date: date
    is_working: bool
    kind: str  # weekend | holiday | day_off | working_weekend | override
    name: str = ""


def year_calendar(year: int) -> list[CalendarEntry]:
    """Every day off of ``year`` and every weekend date worked, with why, in date order."""
    official = production.official_year(year)
    names = production.holiday_names(year, get_language() or "ru")
    overrides = {row.date: row for row in CalendarDay.objects.filter(date__year=year)}
    entries = []
    day = date(year, 1, 1)
    while day.year == year:
        override = overrides.get(day)
        if override is not None:
            entries.append(CalendarEntry(day, override.is_working, "override", override.note))
        elif day in official.holidays:
            kind = "day_off" if "substituted" in official.holidays[day] else "holiday"
            entries.append(CalendarEntry(day, False, kind, names.get(day, official.holidays[day])))
        elif day in official.working_weekends:
            entries.append(CalendarEntry(day, True, "working_weekend"))
        elif production.is_weekend(day):
            entries.append(CalendarEntry(day, False, "weekend"))
        day += timedelta(days=1)
    return entries


def overrides(*, year: int | None = None):
    """The administrators' overrides, by date (of one year if given)."""
    rows = CalendarDay.objects.select_related("updated_by")
    return rows.filter(date__year=year) if year else rows
