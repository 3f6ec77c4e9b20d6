"""Working-day arithmetic in O(1) per step for computations that make thousands of them (a project's re-plan).

``selectors.add_working_days`` walks day by day, which is right for one deadline and too slow for 15,000
dependencies. ``WorkingDays`` numbers every working day of a span of years once (the same calendar: weekends,
the official holidays and the region's overrides), so a date becomes an integer and back, and a lag of *n*
working days is an addition.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, timedelta

from krai.core.workcalendar.selectors import days_off


class WorkingDays:
    """The working days of ``first_year``..``last_year`` numbered 0, 1, 2…; grows when a date falls outside."""

    def __init__(self, first_year: int, last_year: int) -> None:
        self.first_year, self.last_year = first_year, first_year - 1
        self.days: list[date] = []
        self.number: dict[date, int] = {}
        self._extend_to(last_year)

    def _extend_to(self, last_year: int) -> None:
        if last_year <= self.last_year:
            return
        for year in range(self.last_year + 1, last_year + 1):
            off = days_off(year)
            day, end = date(year, 1, 1), date(year, 12, 31)
            while day <= end:
                if day not in off:
                    self.number[day] = len(self.days)
                    self.days.append(day)
                day += timedelta(days=1)
        self.last_year = last_year

    def _cover(self, day: date) -> None:
        if day.year < self.first_year:
            raise ValueError("A date before the span of the calendar index was asked for.")
        if day.year > self.last_year:
            self._extend_to(day.year + 1)

    def on_or_after(self, day: date) -> int:
        """The number of ``day`` if it is a working day, else of the next working day."""
        found = self.number.get(day)
        if found is not None:
            return found
        self._cover(day)
        position = bisect_left(self.days, day)
        if position >= len(self.days):
            self._extend_to(self.last_year + 1)
            return self.on_or_after(day)
        return position

    def on_or_before(self, day: date) -> int:
        """The number of ``day`` if it is a working day, else of the last working day before it."""
        found = self.number.get(day)
        if found is not None:
            return found
        self._cover(day)
        return bisect_left(self.days, day) - 1

    def day(self, number: int) -> date:
        """The working day with ``number`` (extending the span forward when needed)."""
        if number < 0:
            # numbers are positions in this span: a computation must start it early enough (callers do)
            raise ValueError("A working day before the span of the calendar index was asked for.")
        while number >= len(self.days):
            self._extend_to(self.last_year + 1)
        return self.days[number]

    def between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to ``end`` — ``selectors.working_days_between`` in O(1)."""
        return self.on_or_before(end) - self.on_or_before(start)
