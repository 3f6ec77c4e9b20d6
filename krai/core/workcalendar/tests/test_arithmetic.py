"""Working-day arithmetic across the Russian calendar's holidays and transfers, and overrides."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from krai.core.workcalendar import production, selectors
from krai.core.workcalendar.models import CalendarDay
from krai.core.workcalendar.selectors import (
    add_working_days,
    is_working_day,
    next_working_day,
    previous_working_day,
    working_days_between,
)

pytestmark = pytest.mark.django_db


def brute_count(a: date, b: date) -> int:
    """Working days in (a, b] by the plain definition, one day at a time."""
    return sum(is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


def test_official_2025_transfers_derived():
    official = production.official_year(2025)
    # 2025-11-01 (Saturday) was moved to Monday 2025-11-03: the Saturday is worked.
    assert set(official.working_weekends) == {date(2025, 11, 1)}
    # 2025-01-04 → 2025-05-02: the source is a New Year holiday, so it stays a day off.
    assert date(2025, 1, 4) in official.holidays
    assert date(2025, 1, 4) not in official.working_weekends
    assert "substituted" in official.holidays[date(2025, 5, 2)]


def test_official_2024_has_three_working_saturdays():
    assert set(production.official_year(2024).working_weekends) == {
        date(2024, 4, 27), date(2024, 11, 2), date(2024, 12, 28)}


@pytest.mark.parametrize(("day", "working"), [
    (date(2025, 1, 1), False), (date(2025, 1, 8), False), (date(2025, 1, 9), True),
    (date(2025, 5, 2), False), (date(2025, 5, 8), False), (date(2025, 5, 12), True),
    (date(2025, 11, 1), True),   # transferred working Saturday
    (date(2025, 11, 3), False),  # the day off it was moved to
    (date(2025, 11, 2), False),  # a plain Sunday
    (date(2025, 12, 31), False), (date(2025, 6, 13), False), (date(2025, 6, 11), True),
])
def test_is_working_day(day, working):
    assert is_working_day(day) is working


def test_add_zero_is_start_or_next_working_day():
    assert add_working_days(date(2025, 1, 9), 0) == date(2025, 1, 9)
    assert add_working_days(date(2025, 1, 1), 0) == date(2025, 1, 9)
    assert add_working_days(date(2025, 11, 1), 0) == date(2025, 11, 1)


def test_add_across_new_year_holidays():
    # 2025-12-30 (Tue): 31 Dec off, 1–8 Jan holidays, 9 Jan off (moved from 3 Jan), 10–11 weekend.
    assert add_working_days(date(2025, 12, 30), 1) == date(2026, 1, 12)
    assert add_working_days(date(2024, 12, 27), 1) == date(2024, 12, 28)  # a working Saturday
    assert add_working_days(date(2024, 12, 28), 1) == date(2025, 1, 9)


def test_add_across_may_holidays():
    # 2025-04-30 (Wed) → 1–4 May off, 5–7 working, 8–11 off, 12 working.
    assert add_working_days(date(2025, 4, 30), 1) == date(2025, 5, 5)
    assert add_working_days(date(2025, 4, 30), 3) == date(2025, 5, 7)
    assert add_working_days(date(2025, 4, 30), 4) == date(2025, 5, 12)


def test_add_over_transferred_working_saturday():
    assert add_working_days(date(2025, 10, 31), 1) == date(2025, 11, 1)
    assert add_working_days(date(2025, 10, 31), 2) == date(2025, 11, 5)  # 2, 3, 4 Nov are off


def test_add_from_a_day_off_does_not_count_it():
    # strictly after the start: the first working day after a holiday is day 1, not day 0
    assert add_working_days(date(2025, 1, 4), 1) == date(2025, 1, 9)
    assert add_working_days(date(2025, 1, 4), 2) == date(2025, 1, 10)


def test_add_rejects_negative():
    with pytest.raises(ValueError):
        add_working_days(date(2025, 1, 1), -1)


def test_previous_and_next_working_day():
    assert previous_working_day(date(2025, 11, 4)) == date(2025, 11, 1)
    assert previous_working_day(date(2026, 1, 11)) == date(2025, 12, 30)
    assert previous_working_day(date(2025, 11, 5)) == date(2025, 11, 5)
    assert next_working_day(date(2025, 11, 2)) == date(2025, 11, 5)


def test_between_counts_half_open_interval_and_inverts_add():
    assert working_days_between(date(2025, 10, 31), date(2025, 11, 5)) == 2
    assert working_days_between(date(2025, 11, 5), date(2025, 10, 31)) == -2
    assert working_days_between(date(2025, 3, 3), date(2025, 3, 3)) == 0
    start = date(2025, 12, 25)
    for n in (1, 2, 5, 17, 40):
        assert working_days_between(start, add_working_days(start, n)) == n


def test_between_whole_years_matches_day_by_day():
    a, b = date(2024, 6, 15), date(2026, 2, 3)
    assert working_days_between(a, b) == brute_count(a, b)
    # the official number of working days in 2025 (five-day week) is 247
    assert working_days_between(date(2024, 12, 31), date(2025, 12, 31)) == 247


def test_datetimes_are_taken_as_local_dates():
    moment = datetime(2025, 10, 31, 22, 30, tzinfo=ZoneInfo("UTC"))  # already 1 Nov in Moscow
    assert add_working_days(moment, 0) == date(2025, 11, 1)


def test_overrides_win_and_invalidate_cache(admin_user):
    from krai.core.workcalendar import services

    assert is_working_day(date(2025, 7, 15)) is True  # the version and the year are now cached
    services.calendar_day_set(actor=admin_user, day=date(2025, 7, 15), is_working=False, note="Регион")
    assert is_working_day(date(2025, 7, 15)) is False
    assert add_working_days(date(2025, 7, 14), 1) == date(2025, 7, 16)
    services.calendar_day_set(actor=admin_user, day=date(2025, 11, 3), is_working=True)
    assert is_working_day(date(2025, 11, 3)) is True
    assert add_working_days(date(2025, 11, 1), 1) == date(2025, 11, 3)
    services.calendar_day_remove(actor=admin_user, day=date(2025, 7, 15))
    assert is_working_day(date(2025, 7, 15)) is True


def test_override_seen_by_another_process_after_commit(admin_user, django_capture_on_commit_callbacks):
    from krai.core.workcalendar import services

    assert is_working_day(date(2025, 7, 16)) is True
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=date(2025, 7, 16), is_working=False)  # written around the services
    # a stale version would still say "working"; the version is cached, so this is what the TTL covers
    assert is_working_day(date(2025, 7, 16)) is True
    selectors.invalidate()
    assert is_working_day(date(2025, 7, 16)) is False
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_day_remove(actor=admin_user, day=date(2025, 7, 16))
    assert is_working_day(date(2025, 7, 16)) is True


def test_year_calendar_lists_reasons():
    entries = {entry.date: entry for entry in selectors.year_calendar(2025)}
    assert entries[date(2025, 11, 1)].kind == "working_weekend" and entries[date(2025, 11, 1)].is_working
    assert entries[date(2025, 11, 3)].kind == "day_off"
    assert entries[date(2025, 1, 7)].kind == "holiday"
    assert entries[date(2025, 11, 2)].kind == "weekend"
    assert date(2025, 11, 5) not in entries
    assert sum(not entry.is_working for entry in entries.values()) == 365 - 247
