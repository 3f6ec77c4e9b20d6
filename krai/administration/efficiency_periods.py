"""The periods the efficiency measures are counted over: a month, a quarter, a year or custom dates, and the period
they are compared with.

A period is a run of whole days, **both ends included**: ``2026-03-01``..``2026-03-31`` is March. A date column
(an execution date) counts when ``start <= day <= end``; a moment (a return, an answer, a rating) when
``start 00:00 <= at < (end + 1 day) 00:00`` in the installation's time zone — the same days, written as a
half-open range of moments so that no instant of the last day is lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

#: the longest period one may ask for (ten years): beyond it a typo, not a question
MAX_DAYS = 3660

PRESETS = ("this_month", "last_month", "this_quarter", "last_quarter", "this_year", "last_year")


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def start_moment(self) -> datetime:
        """The first instant of the period (included)."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_moment(self) -> datetime:
        """The first instant after the period (excluded)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def kind(self) -> str:
        """``month``, ``quarter``, ``year`` when the period is exactly one, else ``custom``."""
        s, e = self.start, self.end
        if s.day != 1 or (e + timedelta(days=1)).day != 1:
            return "custom"
        after = e + timedelta(days=1)
        months = (after.year - s.year) * 12 + after.month - s.month
        if months == 1:
            return "month"
        if months == 3 and s.month in (1, 4, 7, 10):
            return "quarter"
        if months == 12 and s.month == 1:
            return "year"
        return "custom"

    def previous(self) -> Period:
        """The period just before: the previous month, quarter or year; else as many days just before."""
        months = {"month": 1, "quarter": 3, "year": 12}.get(self.kind)
        if months:
            start = _add_months(self.start, -months)
            return Period(start, self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def label(self) -> str:
        return f"{self.start:%d.%m.%Y} – {self.end:%d.%m.%Y}"

    def as_params(self, prefix: str = "") -> dict[str, str]:
        return {f"{prefix}from": self.start.isoformat(), f"{prefix}to": self.end.isoformat()}


def _add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` away from ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _quarter_start(day: date) -> date:
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def preset(name: str, today: date | None = None) -> Period:
    """A named period around ``today``: this or the last month, quarter or year (this one: up to its end)."""
    today = today or timezone.localdate()
    if name in ("this_month", "last_month"):
        start = _add_months(today, 0 if name == "this_month" else -1)
        return Period(start, _add_months(start, 1) - timedelta(days=1))
    if name in ("this_quarter", "last_quarter"):
        start = _add_months(_quarter_start(today), 0 if name == "this_quarter" else -3)
        return Period(start, _add_months(start, 3) - timedelta(days=1))
    if name in ("this_year", "last_year"):
        year = today.year if name == "this_year" else today.year - 1
        return Period(date(year, 1, 1), date(year, 12, 31))
    raise ValueError(name)


def preset_labels() -> list[tuple[str, str]]:
    return [("this_month", _("This month")), ("last_month", _("Last month")), ("this_quarter", _("This quarter")),
            ("last_quarter", _("Last quarter")), ("this_year", _("This year")), ("last_year", _("Last year"))]


def default_period(today: date | None = None) -> Period:
    """The last whole month: a period that is over, so its figures no longer move."""
    return preset("last_month", today)
