"""Report periods: an edition covers the last complete week, month or quarter before its moment; the moments come
on the template's day and time; the scheduler catches up every moment it missed since the template was made."""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from krai.reports import periods

MSK = ZoneInfo("Europe/Moscow")


def test_periods_of_a_day():
    assert periods.period_of("weekly", date(2026, 12, 9)) == (date(2026, 12, 7), date(2026, 12, 13))
    assert periods.period_of("monthly", date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))
    assert periods.period_of("quarterly", date(2026, 11, 30)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert periods.previous_period("weekly", date(2026, 12, 7)) == (date(2026, 11, 30), date(2026, 12, 6))
    assert periods.previous_period("monthly", date(2026, 1, 3)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert periods.previous_period("quarterly", date(2026, 1, 3)) == (date(2025, 10, 1), date(2025, 12, 31))


def _template(frequency: str, *, weekday: int = 0, day: int = 1, at: time = time(7, 0),
              created: datetime = datetime(2026, 1, 1, tzinfo=MSK)) -> SimpleNamespace:
    return SimpleNamespace(frequency=frequency, weekday=weekday, day=day, at=at, created_at=created)


def test_due_periods_come_at_the_moment_and_catch_up(settings):
    settings.TIME_ZONE = "Europe/Moscow"
    weekly = _template("weekly", weekday=2, at=time(9, 30), created=datetime(2026, 11, 20, tzinfo=MSK))
    # Wednesday 9 December 2026, 9:29: the moment of this week is still to come
    assert periods.due_periods(weekly, datetime(2026, 12, 9, 9, 29, tzinfo=MSK)) == [
        (date(2026, 11, 23), date(2026, 11, 29)), (date(2026, 11, 16), date(2026, 11, 22))]
    assert periods.due_periods(weekly, datetime(2026, 12, 9, 9, 30, tzinfo=MSK))[0] == (
        date(2026, 11, 30), date(2026, 12, 6))
    monthly = _template("monthly", day=3, created=datetime(2026, 10, 1, tzinfo=MSK))
    assert periods.due_periods(monthly, datetime(2026, 12, 3, 7, 0, tzinfo=MSK)) == [
        (date(2026, 11, 1), date(2026, 11, 30)), (date(2026, 10, 1), date(2026, 10, 31)),
        (date(2026, 9, 1), date(2026, 9, 30))]
    quarterly = _template("quarterly", day=10, created=datetime(2026, 3, 1, tzinfo=MSK))
    assert periods.due_periods(quarterly, datetime(2026, 12, 9, tzinfo=MSK)) == [
        (date(2026, 7, 1), date(2026, 9, 30)), (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 1, 1), date(2026, 3, 31))]
    old = _template("weekly", created=datetime(2020, 1, 1, tzinfo=MSK))
    assert len(periods.due_periods(old, datetime(2026, 12, 9, tzinfo=MSK))) == periods.CATCH_UP
