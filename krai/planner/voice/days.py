"""Date arithmetic the deadline reader needs: months added, the next weekday, the ends of periods, a day and month
without a year read as the next such date. Pure functions of ``today``; working days are the caller's."""

from __future__ import annotations

import calendar as _calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, the day clipped to the month's length (31 January + 1 month = 28/29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _calendar.monthrange(year, month)[1]))


def next_weekday(today: date, weekday: int, *, next_week: bool = False) -> date:
    """The first ``weekday`` strictly after ``today``; with ``next_week`` the one in the week after today's."""
    if next_week:
        monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
        return monday + timedelta(days=weekday)
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def period_end(today: date, period: str, *, shift: int = 0) -> date:
    """The last day of today's (``shift`` = 1: the next) day, week, month, quarter or year."""
    if period == "day":
        return today + timedelta(days=shift)
    if period == "week":
        return today + timedelta(days=6 - today.weekday() + 7 * shift)
    if period == "month":
        first = add_months(today.replace(day=1), shift)
        return first.replace(day=_calendar.monthrange(first.year, first.month)[1])
    if period == "quarter":
        first = add_months(today.replace(day=1, month=(today.month - 1) // 3 * 3 + 1), 3 * shift)
        last = add_months(first, 2)
        return last.replace(day=_calendar.monthrange(last.year, last.month)[1])
    return date(today.year + shift, 12, 31)


def month_end(today: date, month: int) -> date:
    """The last day of the next ``month`` from today on (this year's, or next year's when it has passed)."""
    year = today.year if month >= today.month else today.year + 1
    return date(year, month, _calendar.monthrange(year, month)[1])


def day_month(today: date, day: int, month: int, year: int | None) -> date | None:
    """The date, or None for an impossible one; without a year the next such date from today on (29 February: the
    next leap year's)."""
    if year is not None:
        year += 2000 if year < 100 else 0
        try:
            return date(year, month, day)
        except ValueError:
            return None
    for ahead in range(9):
        try:
            found = date(today.year + ahead, month, day)
        except ValueError:
            if not (month == 2 and day == 29):
                return None
            continue
        if found >= today:
            return found
    return None


def day_of_month(today: date, day: int) -> date | None:
    """"к 25-му": this month's day, or next month's when it has passed (None for a day the month lacks)."""
    for months in (0, 1, 2):
        first = add_months(today.replace(day=1), months)
        if day <= _calendar.monthrange(first.year, first.month)[1]:
            found = first.replace(day=day)
            if found >= today:
                return found
    return None
