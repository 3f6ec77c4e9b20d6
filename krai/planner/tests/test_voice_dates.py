"""Deadlines said in words: weekdays, ends of periods, spans, dates with and without a year, in Russian and English;
working days from the work calendar (an administrator's day off moves them); what is not a deadline is not read."""

from datetime import date

import pytest

from krai.core.workcalendar.models import CalendarDay
from krai.core.workcalendar.selectors import invalidate
from krai.planner.voice.dates import find_deadline
from krai.planner.voice.text import tokenize

WEDNESDAY = date(2026, 12, 2)
FRIDAY = date(2026, 12, 4)


def read(phrase: str, today: date = WEDNESDAY, language: str = "ru") -> date | None:
    found = find_deadline(tokenize(phrase, language), language, today, phrase)
    return found.day if found else None


@pytest.mark.parametrize(("phrase", "expected"), [
    ("до пятницы", date(2026, 12, 4)),
    ("к пятнице", date(2026, 12, 4)),
    ("в пятницу", date(2026, 12, 4)),
    ("к понедельнику", date(2026, 12, 7)),
    ("до среды", date(2026, 12, 9)),  # said on a Wednesday: next week's
    ("к следующей пятнице", date(2026, 12, 11)),
    ("завтра", date(2026, 12, 3)),
    ("послезавтра", date(2026, 12, 4)),
    ("к завтрашнему дню", date(2026, 12, 3)),
    ("через две недели", date(2026, 12, 16)),
    ("через 3 дня", date(2026, 12, 5)),
    ("через неделю", date(2026, 12, 9)),
    ("через месяц", date(2027, 1, 2)),
    ("через пару дней", date(2026, 12, 4)),
    ("через двадцать один день", date(2026, 12, 23)),
    ("в трёхдневный срок", date(2026, 12, 5)),
    ("в 10-дневный срок", date(2026, 12, 12)),
    ("к 25 декабря", date(2026, 12, 25)),
    ("к двадцать пятому декабря", date(2026, 12, 25)),
    ("до 25.12", date(2026, 12, 25)),
    ("до 25.12.2027", date(2027, 12, 25)),
    ("к 25 декабря 2027 года", date(2027, 12, 25)),
    ("к 25-му числу", date(2026, 12, 25)),
    ("к первому числу", date(2027, 1, 1)),
    ("до конца недели", date(2026, 12, 4)),
    ("до конца следующей недели", date(2026, 12, 11)),
    ("на следующей неделе", date(2026, 12, 11)),
    ("до следующей недели", date(2026, 12, 4)),
    ("к концу января", date(2027, 1, 29)),  # 31 January 2027 is a Sunday
    ("до конца дня", date(2026, 12, 2)),
    ("не позднее чем через пять дней", date(2026, 12, 7)),
])
def test_russian_deadlines(phrase, expected, db):
    assert read(phrase) == expected


@pytest.mark.parametrize(("phrase", "expected"), [
    ("by Friday", date(2026, 12, 4)),
    ("on Monday", date(2026, 12, 7)),
    ("by next Friday", date(2026, 12, 11)),
    ("tomorrow", date(2026, 12, 3)),
    ("the day after tomorrow", date(2026, 12, 4)),
    ("in two weeks", date(2026, 12, 16)),
    ("in 3 days", date(2026, 12, 5)),
    ("in a couple of days", date(2026, 12, 4)),
    ("within a week", date(2026, 12, 9)),
    ("in a fortnight", date(2026, 12, 16)),
    ("in twenty-one days", date(2026, 12, 23)),
    ("by December 25", date(2026, 12, 25)),
    ("by 25 December", date(2026, 12, 25)),
    ("by the 25th of December", date(2026, 12, 25)),
    ("by the twenty-fifth of December", date(2026, 12, 25)),
    ("by Dec 25th, 2027", date(2027, 12, 25)),
    ("by January first", date(2027, 1, 1)),
    ("by 25.12", date(2026, 12, 25)),
    ("by 2027-03-01", date(2027, 3, 1)),
    ("by the 25th", date(2026, 12, 25)),
    ("by the end of the week", date(2026, 12, 4)),
    ("by the end of next week", date(2026, 12, 11)),
    ("next week", date(2026, 12, 11)),
])
def test_english_deadlines(phrase, expected, db):
    assert read(phrase, language="en") == expected


def test_a_weekday_is_the_next_one_after_today_never_today(db):
    assert read("до пятницы", today=FRIDAY) == date(2026, 12, 11)
    assert read("by Friday", today=FRIDAY, language="en") == date(2026, 12, 11)
    assert read("до субботы", today=FRIDAY) == date(2026, 12, 5)


def test_a_date_without_a_year_that_has_passed_is_next_years(db):
    assert read("к 10 января") == date(2027, 1, 10)
    assert read("by January 10", language="en") == date(2027, 1, 10)
    assert read("до 10.01") == date(2027, 1, 10)
    assert read("к 1 декабря") == date(2027, 12, 1)  # yesterday's date: the next one
    assert read("к 2 декабря") == WEDNESDAY  # today's date is today


def test_ends_of_periods_fall_back_to_a_working_day(db):
    # 31 December 2026 is a day off in the official calendar: "the end of the month" is the 30th
    assert read("до конца месяца") == date(2026, 12, 30)
    assert read("by the end of the year", language="en") == date(2026, 12, 30)
    assert read("до конца квартала") == date(2026, 12, 30)
    # a date said is kept as said, a day off or not
    assert read("до 31 декабря") == date(2026, 12, 31)


def test_working_days_come_from_the_work_calendar_with_its_overrides(db):
    assert read("в течение пяти рабочих дней") == date(2026, 12, 9)
    assert read("within 3 working days", language="en") == date(2026, 12, 7)
    assert read("within five business days", language="en") == date(2026, 12, 9)
    # an administrator makes Monday 7 December a day off: every count of working days past it moves
    CalendarDay.objects.create(date=date(2026, 12, 7), is_working=False, note="Региональный праздник")
    invalidate()
    assert read("в течение пяти рабочих дней") == date(2026, 12, 10)
    assert read("within 3 working days", language="en") == date(2026, 12, 8)


@pytest.mark.parametrize(("phrase", "language"), [
    ("подготовить справку по дорогам", "ru"),
    ("до 31 февраля", "ru"),  # no such day
    ("отчёт за 5 мая", "ru"),  # what the report is about
    ("на две недели", "ru"),  # how long, not by when
    ("после пятницы", "ru"),
    ("обследовать мост через реку", "ru"),
    ("к январю", "ru"),  # a month alone: not guessed
    ("a report for May 5", "en"),
    ("after Friday", "en"),
    ("for two weeks", "en"),
    ("prepare a note on the roads", "en"),
])
def test_what_is_not_a_deadline_is_not_read(phrase, language, db):
    assert read(phrase, language=language) is None


def test_the_words_read_are_returned_as_written(db):
    phrase = "Поручить Петровой проверить отчёт К 25 Декабря, срочно"
    found = find_deadline(tokenize(phrase, "ru"), "ru", WEDNESDAY, phrase)
    assert found is not None and found.words == "К 25 Декабря"


def test_of_two_dates_the_one_said_as_a_deadline_wins(db):
    assert read("подготовить справку о событиях 12 декабря до пятницы") == date(2026, 12, 4)
    assert read("prepare the report on the May 5 meeting by Friday", language="en") == date(2026, 12, 4)
