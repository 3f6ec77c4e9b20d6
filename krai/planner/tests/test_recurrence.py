"""Repeating entries expanded in a window: weekly with left-out occurrences, monthly, until a day and a number of
times, whole days, an occurrence that began before the window; wall-clock times kept in Europe/Moscow (no daylight
saving: 09:00 local is 06:00 UTC all year) and in a zone that has it; the chooser's rules read back; bad rules
refused with a clear message."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from krai.planner import recurrence
from krai.planner.models import Entry

MSK = ZoneInfo("Europe/Moscow")


def entry(start: datetime, rrule: str = "", *, hours: float | None = 1, all_day: bool = False,
          exdates: list[str] | None = None, end: datetime | None = None) -> Entry:
    """An unsaved entry (expansion needs no database)."""
    ends = end if end is not None else (start + timedelta(hours=hours) if hours is not None else None)
    return Entry(title="x", starts_at=start, ends_at=ends, all_day=all_day, rrule=rrule, exdates=exdates or [])


def starts(found: list[recurrence.Occurrence]) -> list[datetime]:
    return [o.start for o in found]


@pytest.fixture(autouse=True)
def _moscow():
    with timezone.override(MSK):
        yield


def test_weekly_with_left_out_occurrences():
    monday = datetime(2026, 1, 5, 9, 0, tzinfo=MSK)
    weekly = entry(monday, "FREQ=WEEKLY;BYDAY=MO,WE", exdates=[
        datetime(2026, 1, 7, 9, 0, tzinfo=MSK).isoformat(),  # a moment in Moscow
        datetime(2026, 1, 12, 6, 0, tzinfo=UTC).isoformat(),  # the same kind of moment written in UTC
    ])
    found = recurrence.occurrences(weekly, datetime(2026, 1, 1, tzinfo=MSK), datetime(2026, 1, 22, tzinfo=MSK))
    assert [(o.start.day, o.start.hour) for o in found] == [(5, 9), (14, 9), (19, 9), (21, 9)]
    assert all(o.end - o.start == timedelta(hours=1) for o in found)
    with_left_out = recurrence.occurrences(weekly, datetime(2026, 1, 1, tzinfo=MSK),
                                           datetime(2026, 1, 22, tzinfo=MSK), left_out=True)
    assert len(with_left_out) == 6
    assert found[1].key == "2026-01-14T09:00:00+03:00"


def test_moscow_keeps_nine_oclock_as_six_utc_all_year():
    weekly = entry(datetime(2026, 1, 5, 9, 0, tzinfo=MSK), "FREQ=WEEKLY")
    found = recurrence.occurrences(weekly, datetime(2026, 1, 1, tzinfo=MSK), datetime(2027, 1, 1, tzinfo=MSK))
    assert len(found) == 52
    assert {o.start.astimezone(UTC).hour for o in found} == {6}
    assert {o.start.hour for o in found} == {9}


def test_wall_clock_kept_across_daylight_saving():
    berlin = ZoneInfo("Europe/Berlin")
    with timezone.override(berlin):
        weekly = entry(datetime(2026, 3, 23, 9, 0, tzinfo=berlin), "FREQ=WEEKLY;COUNT=3")
        found = recurrence.occurrences(weekly, datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 5, 1, tzinfo=UTC))
    assert [o.start.hour for o in found] == [9, 9, 9]
    assert [o.start.astimezone(UTC).hour for o in found] == [8, 7, 7]  # the clocks went forward on 29 March


def test_monthly_and_the_first_monday():
    found = recurrence.occurrences(entry(datetime(2026, 1, 31, 10, 0, tzinfo=MSK), "FREQ=MONTHLY"),
                                   datetime(2026, 1, 1, tzinfo=MSK), datetime(2026, 6, 1, tzinfo=MSK))
    # a month without the 31st is skipped, as RFC 5545 says
    assert [o.start.date() for o in found] == [date(2026, 1, 31), date(2026, 3, 31), date(2026, 5, 31)]
    first_monday = entry(datetime(2026, 1, 5, 10, 0, tzinfo=MSK), "FREQ=MONTHLY;BYDAY=1MO")
    found = recurrence.occurrences(first_monday, datetime(2026, 1, 1, tzinfo=MSK), datetime(2026, 4, 1, tzinfo=MSK))
    assert [o.start.date() for o in found] == [date(2026, 1, 5), date(2026, 2, 2), date(2026, 3, 2)]


def test_until_and_count():
    start = datetime(2026, 2, 2, 9, 0, tzinfo=MSK)
    window = (datetime(2026, 1, 1, tzinfo=MSK), datetime(2027, 1, 1, tzinfo=MSK))
    counted = recurrence.occurrences(entry(start, "FREQ=DAILY;COUNT=4"), *window)
    assert [o.start.day for o in counted] == [2, 3, 4, 5]
    # the chooser writes UNTIL as a UTC moment: the last day's end in Moscow; the day itself is included
    rule = recurrence.build("daily", starts_at=start, all_day=False, until=date(2026, 2, 4))
    assert rule == "FREQ=DAILY;UNTIL=20260204T205959Z"
    assert [o.start.day for o in recurrence.occurrences(entry(start, rule), *window)] == [2, 3, 4]
    by_date = recurrence.occurrences(entry(start, "FREQ=DAILY;UNTIL=20260203"), *window)
    assert [o.start.day for o in by_date] == [2, 3]
    # the window cuts an endless rule
    endless = recurrence.occurrences(entry(start, "FREQ=DAILY"), datetime(2026, 3, 1, tzinfo=MSK),
                                     datetime(2026, 3, 8, tzinfo=MSK))
    assert [o.start.day for o in endless] == [1, 2, 3, 4, 5, 6, 7]


def test_whole_days_and_an_occurrence_begun_before_the_window():
    trip = entry(datetime(2026, 3, 2, tzinfo=MSK), "FREQ=WEEKLY;COUNT=3", all_day=True,
                 end=datetime(2026, 3, 4, tzinfo=MSK), exdates=["2026-03-09"])
    # the window opens on Wednesday 11 March: the second trip was left out, the third starts on the 16th
    found = recurrence.occurrences(trip, datetime(2026, 3, 4, tzinfo=MSK), datetime(2026, 3, 17, tzinfo=MSK))
    assert [(o.start.date(), o.end.date()) for o in found] == [(date(2026, 3, 2), date(2026, 3, 4)),
                                                               (date(2026, 3, 16), date(2026, 3, 18))]
    assert found[0].key == "2026-03-02"
    # the window opens on the trip's last day (Wednesday, 4 March): it is still there
    assert recurrence.occurrences(trip, datetime(2026, 3, 4, 12, 0, tzinfo=MSK), datetime(2026, 3, 5, tzinfo=MSK))
    night = entry(datetime(2026, 3, 2, 22, 0, tzinfo=MSK), "FREQ=DAILY", hours=4)
    found = recurrence.occurrences(night, datetime(2026, 3, 5, tzinfo=MSK), datetime(2026, 3, 6, tzinfo=MSK))
    assert [o.start.day for o in found] == [4, 5]  # the 4th's night shift lasts until 02:00 on the 5th


def test_a_single_entry_in_and_out_of_the_window():
    meeting = entry(datetime(2026, 3, 2, 10, 0, tzinfo=MSK))
    assert len(recurrence.occurrences(meeting, datetime(2026, 3, 2, tzinfo=MSK), datetime(2026, 3, 3, tzinfo=MSK)))
    assert not recurrence.occurrences(meeting, datetime(2026, 3, 2, 11, 0, tzinfo=MSK),
                                      datetime(2026, 3, 3, tzinfo=MSK))
    assert not recurrence.occurrences(meeting, datetime(2026, 3, 1, tzinfo=MSK),
                                      datetime(2026, 3, 2, 10, 0, tzinfo=MSK))


def test_is_occurrence():
    weekly = entry(datetime(2026, 1, 5, 9, 0, tzinfo=MSK), "FREQ=WEEKLY")
    assert recurrence.is_occurrence(weekly, datetime(2026, 1, 12, 9, 0, tzinfo=MSK))
    assert not recurrence.is_occurrence(weekly, datetime(2026, 1, 12, 10, 0, tzinfo=MSK))
    assert not recurrence.is_occurrence(weekly, datetime(2026, 1, 13, 9, 0, tzinfo=MSK))


@pytest.mark.parametrize(("choice", "rule"), [
    ("none", ""), ("daily", "FREQ=DAILY"), ("weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    ("weekly", "FREQ=WEEKLY"), ("monthly", "FREQ=MONTHLY"), ("yearly", "FREQ=YEARLY"),
])
def test_the_chooser_round_trips(choice, rule):
    start = datetime(2026, 1, 5, 9, 0, tzinfo=MSK)
    assert recurrence.build(choice, starts_at=start, all_day=False) == rule
    assert recurrence.read(rule)["choice"] == choice
    counted = recurrence.build(choice, starts_at=start, all_day=False, count=5)
    if choice != "none":
        assert recurrence.read(counted) == {"choice": choice, "until": None, "count": 5}
    until = recurrence.build(choice, starts_at=start, all_day=True, until=date(2026, 6, 30))
    if choice != "none":
        assert until.endswith("UNTIL=20260630") and recurrence.read(until)["until"] == date(2026, 6, 30)
    assert recurrence.read("FREQ=WEEKLY;INTERVAL=2")["choice"] == "custom"


def test_normalise_upper_cases_and_drops_the_prefix():
    start = datetime(2026, 1, 5, 9, 0, tzinfo=MSK)
    assert recurrence.normalise("RRULE:freq=weekly;byday=mo,we;", start) == "FREQ=WEEKLY;BYDAY=MO,WE"
    assert recurrence.normalise("  ", start) == ""
    # UNTIL of the start's own type (RFC 5545): a UTC moment beside a time, a date beside whole days
    assert recurrence.normalise("FREQ=DAILY;UNTIL=20260110", start, all_day=False) == (
        "FREQ=DAILY;UNTIL=20260110T205959Z")
    assert recurrence.normalise("FREQ=DAILY;UNTIL=20260110T205959Z", start, all_day=True) == (
        "FREQ=DAILY;UNTIL=20260110")
    assert recurrence.normalise("FREQ=DAILY;UNTIL=20260110", start) == "FREQ=DAILY;UNTIL=20260110"  # as written


@pytest.mark.parametrize(("rule", "message"), [
    ("BYDAY=MO", "A rule needs FREQ"),
    ("FREQ=HOURLY", "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY."),
    ("FREQ=WEEKLY;BYDAY=XX", "The rule cannot be read"),
    ("FREQ=WEEKLY;COUNT=3;UNTIL=20261231", "either UNTIL a day or after COUNT times"),
    ("FREQ=WEEKLY;COUNT=0", "COUNT must be a number from 1 to 1000."),
    ("FREQ=WEEKLY;UNTIL=tomorrow", "UNTIL must be a date like 20261231"),
    ("FREQ=WEEKLY;UNTIL=20251231", "The repeats end (UNTIL) before the entry starts."),
    ("FREQ=WEEKLY;COLOUR=RED", "The rule part COLOUR is not known."),
    ("FREQ=WEEKLY;FREQ=DAILY", "The rule names FREQ twice."),
    ("FREQ", "is not a NAME=VALUE part of a rule"),
    ("FREQ=WEEKLY\nRDATE:20260101", "Write one rule on one line"),
])
def test_bad_rules_are_refused_clearly(rule, message):
    with pytest.raises(ValidationError) as refused:
        recurrence.normalise(rule, datetime(2026, 1, 5, 9, 0, tzinfo=MSK))
    assert message in refused.value.messages[0]
