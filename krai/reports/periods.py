"""Report periods and schedule moments.

An edition reports on the last *complete* period before its scheduled moment: a weekly report due on a Monday
(or any day of the week) covers the week before the current one (Monday to Sunday), a monthly one the month
before, a quarterly one the quarter before. Moments are in the installation's time zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.utils import timezone

WEEKLY, MONTHLY, QUARTERLY = "weekly", "monthly", "quarterly"
#: how many missed moments the scheduler makes editions for, at most, when it was down for a while
CATCH_UP = 12


def _month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def _months_back(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def period_of(frequency: str, day: date) -> tuple[date, date]:
    """The period of ``frequency`` that holds ``day``: (its first day, its last day)."""
    if frequency == WEEKLY:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    start = _month_start(day) if frequency == MONTHLY else date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    months = 1 if frequency == MONTHLY else 3
    return start, _months_back(start, -months) - timedelta(days=1)


def previous_period(frequency: str, day: date) -> tuple[date, date]:
    """The last complete period before the one that holds ``day``."""
    start, _end = period_of(frequency, day)
    return period_of(frequency, start - timedelta(days=1))


def _moment(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def moments_back(*, frequency: str, weekday: int, day: int, at: time, now: datetime) -> Iterator[datetime]:
    """The scheduled moments at or before ``now``, the latest first (without end)."""
    today = timezone.localtime(now).date()
    if frequency == WEEKLY:
        moment = _moment(today - timedelta(days=(today.weekday() - weekday) % 7), at)
        if moment > now:
            moment = _moment(moment.date() - timedelta(days=7), at)
        while True:
            yield moment
            moment = _moment(moment.date() - timedelta(days=7), at)
    step = 1 if frequency == MONTHLY else 3
    first = _month_start(today) if frequency == MONTHLY else period_of(QUARTERLY, today)[0]
    while True:
        moment = _moment(first.replace(day=day), at)
        if moment <= now:
            yield moment
        first = _months_back(first, step)


def due_periods(template, now: datetime) -> list[tuple[date, date]]:
    """The periods whose moments have come since the template was made (the latest ``CATCH_UP`` at most), the
    latest first: the scheduler makes an edition for each one missing."""
    found = []
    for moment in moments_back(frequency=template.frequency, weekday=template.weekday, day=template.day,
                               at=template.at, now=now):
        if moment < template.created_at or len(found) >= CATCH_UP:
            break
        found.append(previous_period(template.frequency, timezone.localtime(moment).date()))
    return found


def latest_period(frequency: str, today: date | None = None) -> tuple[date, date]:
    """The last complete period before today: what "generate now" makes."""
    return previous_period(frequency, today or timezone.localdate())
