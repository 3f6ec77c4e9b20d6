"""Importing .ics files as Outlook, Thunderbird and Google write them: entries with their UIDs, repeats and left-out
occurrences, an overridden occurrence as its own entry, times in Krai's zone; the same file twice updates instead of
doubling; a broken or foreign file is refused with nothing stored; a feed exported from one planner imports into
another with the same occurrences."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from icalendar import Calendar, Event

from krai.core.events.models import Event as DomainEvent
from krai.org.tests.factories import StaffFactory, UserFactory
from krai.planner import ical, recurrence
from krai.planner.models import Entry
from krai.planner.services import feed as feed_services
from krai.planner.services import ics_import
from krai.planner.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
MSK = ical.local_zone()
OUTLOOK_SERIES = ("040000008200E00074C5B7101A82E00800000000B0C1D2E3F4A5DB010000000000000000100000001A2B3C4D5E6F70"
                  "8192A3B4C5D6E7F8")


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def moscow(*args: int) -> datetime:
    return datetime(*args, tzinfo=MSK)


def starts(entry: Entry, start: datetime, end: datetime) -> list[date | datetime]:
    return [o.start.date() if entry.all_day else o.start for o in recurrence.occurrences(entry, start, end)]


@pytest.fixture
def official():
    return StaffFactory()


def test_outlook_series_with_left_out_and_moved_occurrences(official):
    plan = ics_import.ics_import(actor=official, data=data("outlook.ics"))
    assert (plan.added, plan.updated, plan.unchanged) == (4, 0, 0)
    series = Entry.objects.get(owner=official, uid=OUTLOOK_SERIES)
    assert series.source == Entry.Source.ICS and series.title == "Планёрка" and series.location == "Зал 2"
    assert series.starts_at == moscow(2026, 12, 7, 10) and series.ends_at == moscow(2026, 12, 7, 10, 30)
    assert series.notes == "Еженедельная планёрка отдела.\n\nЗал 2."
    assert series.rrule == "FREQ=WEEKLY;UNTIL=20270301T070000Z;BYDAY=MO"
    moved = Entry.objects.get(owner=official, uid=f"{OUTLOOK_SERIES}#20261214T070000Z")
    assert moved.title == "Планёрка (перенесена на вторник)" and not moved.rrule
    assert moved.starts_at == moscow(2026, 12, 15, 12)
    mondays = starts(series, moscow(2026, 12, 1), moscow(2027, 1, 20))
    # the 14th is moved to Tuesday (its own entry), the 28th and the 4th are left out
    assert mondays == [moscow(2026, 12, 7, 10), moscow(2026, 12, 21, 10), moscow(2027, 1, 11, 10),
                       moscow(2027, 1, 18, 10)]
    trip = Entry.objects.get(owner=official, title="Командировка в Тверь")
    assert trip.all_day and trip.starts_at == moscow(2026, 12, 17) and trip.ends_at == moscow(2026, 12, 18)
    assert DomainEvent.objects.filter(kind="planner.ics_imported", actor=official).count() == 1


def test_the_same_file_twice_updates_instead_of_doubling(official):
    ics_import.ics_import(actor=official, data=data("outlook.ics"))
    again = ics_import.ics_plan(actor=official, data=data("outlook.ics"))
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
    changed = data("outlook.ics").replace("SUMMARY;LANGUAGE=ru:Приём граждан".encode(),
                                          "SUMMARY;LANGUAGE=ru:Приём граждан (зал 3)".encode())
    plan = ics_import.ics_import(actor=official, data=changed)
    assert (plan.added, plan.updated, plan.unchanged) == (0, 1, 3)
    assert Entry.objects.filter(owner=official).count() == 4
    reception = Entry.objects.get(owner=official, title="Приём граждан (зал 3)")
    assert reception.sequence == 1  # raised, so that subscribed calendars take the change


def test_thunderbird_duration_whole_days_and_what_is_left_out(official):
    plan = ics_import.ics_import(actor=official, data=data("thunderbird.ics"))
    assert (plan.added, plan.skipped) == (2, 1)  # the cancelled meeting left out; the VTODO is not an event
    report = Entry.objects.get(owner=official, uid="6f1c2d3e-4a5b-4c6d-8e9f-0a1b2c3d4e5f")
    assert report.starts_at == moscow(2026, 12, 11, 9) and report.ends_at == moscow(2026, 12, 11, 9, 45)
    assert report.notes == "Финансовое управление, каб. 214"
    leave = Entry.objects.get(owner=official, title="Отпуск")
    assert leave.all_day and leave.starts_at == moscow(2026, 12, 28) and leave.ends_at == moscow(2027, 1, 8)
    assert not Entry.objects.filter(title="Отменённая встреча").exists()


def test_google_utc_floating_and_yearly_whole_day(official):
    ics_import.ics_import(actor=official, data=data("google.ics"))
    committee = Entry.objects.get(owner=official, uid="7sd8f9g0h1j2k3l4m5n6b7v8c9@google.com")
    assert committee.starts_at == moscow(2026, 12, 2, 9) and committee.sequence == 3
    wednesdays = starts(committee, moscow(2026, 12, 1), moscow(2027, 3, 1))
    assert moscow(2026, 12, 30, 9) not in wednesdays and moscow(2026, 12, 9, 9) not in wednesdays
    assert len(wednesdays) == 8  # ten times, one left out, one moved
    moved = Entry.objects.get(owner=official, uid="7sd8f9g0h1j2k3l4m5n6b7v8c9@google.com#20261209T060000Z")
    assert moved.starts_at == moscow(2026, 12, 9, 15)
    floating = Entry.objects.get(owner=official, uid="floating1@google.com")
    assert floating.starts_at == moscow(2026, 12, 5, 10)  # X-WR-TIMEZONE: the calendar's zone
    birthday = Entry.objects.get(owner=official, title="День рождения главы")
    assert birthday.all_day and birthday.rrule == "FREQ=YEARLY"
    assert starts(birthday, moscow(2027, 1, 1), moscow(2029, 1, 1)) == [date(2027, 1, 15), date(2028, 1, 15)]


def test_a_broken_file_is_refused_with_nothing_stored(official):
    with pytest.raises(ValidationError) as refused:
        ics_import.ics_import(actor=official, data=data("broken.ics"))
    assert "Испорченная встреча" in refused.value.message_dict["file"][0]
    assert not Entry.objects.filter(owner=official).exists()
    assert not DomainEvent.objects.filter(kind="planner.ics_imported").exists()


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n\x00\x00", "Дата;Тема\n10.12.2026;Встреча\n".encode(),
                                     b"", b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ivan\r\nEND:VCARD\r\n"])
def test_a_file_that_is_not_icalendar_is_refused(official, content):
    with pytest.raises(ValidationError) as refused:
        ics_import.ics_plan(actor=official, data=content)
    assert "file" in refused.value.message_dict
    assert not Entry.objects.exists()


def test_the_refusal_speaks_russian():
    with translation.override("ru"), pytest.raises(ValidationError) as refused:
        ics_import.read_calendar(b"not a calendar at all")
    assert refused.value.message_dict["file"] == [
        "Это не файл iCalendar (.ics): выгрузите календарь в формате .ics и попробуйте ещё раз."]


def test_too_big_a_file_is_refused(official):
    with pytest.raises(ValidationError):
        ics_import.ics_plan(actor=official, data=b"BEGIN:VCALENDAR\r\n" + b"X" * (ics_import.MAX_BYTES + 1))


def test_only_staff_import(official):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        ics_import.ics_plan(actor=UserFactory(), data=data("outlook.ics"))


def test_a_feed_imported_into_another_planner_gives_the_same_occurrences(official, monkeypatch):
    monkeypatch.setattr(feed_services, "agenda_items", lambda user, start, end: [])
    ics_import.ics_import(actor=official, data=data("outlook.ics"))
    ics_import.ics_import(actor=official, data=data("google.ics"))
    EntryFactory(owner=official, kind=Entry.Kind.TASK, title="Отчёт", starts_at=moscow(2026, 12, 9, 18),
                 ends_at=None, done_at=moscow(2026, 12, 9, 17, 5))
    EntryFactory(owner=official, title="Дежурство", all_day=True, rrule="FREQ=DAILY;COUNT=5",
                 starts_at=moscow(2026, 12, 20), exdates=["2026-12-22"])
    EntryFactory(owner=official, title="Сессия", all_day=True, starts_at=moscow(2027, 1, 25),
                 ends_at=moscow(2027, 1, 29))
    exported = feed_services.feed_calendar(official, absolute_url=lambda url: f"https://krai.example{url}",
                                           now=moscow(2026, 12, 6, 12))
    Calendar.from_ical(exported)  # a calendar program reads it
    colleague = StaffFactory()
    plan = ics_import.ics_import(actor=colleague, data=exported)
    assert plan.added == Entry.objects.filter(owner=official).count() == 11
    start, end = moscow(2026, 1, 1), moscow(2029, 1, 1)

    def everything(user) -> list[tuple[str, object]]:
        return sorted((entry.title, moment) for entry in Entry.objects.filter(owner=user)
                      for moment in starts(entry, start, end))

    assert everything(colleague) == everything(official)
    assert len(everything(colleague)) > 20
    task = Entry.objects.get(owner=colleague, kind=Entry.Kind.TASK)
    assert task.title == "Отчёт" and task.done_at == moscow(2026, 12, 9, 17, 5)
    session = Entry.objects.get(owner=colleague, title="Сессия")
    assert session.all_day and session.ends_at == moscow(2027, 1, 29)


def test_an_ics_built_with_the_library_imports(official):
    """A minimal file as any program may write it: no VTIMEZONE, UTC times, no end."""
    calendar = Calendar.new(prodid="-//Test//EN")
    calendar.add_component(Event.new(uid="min-1", summary="Звонок", start=datetime(2027, 2, 1, 7, tzinfo=MSK),
                                     stamp=datetime(2027, 1, 1, tzinfo=MSK)))
    ics_import.ics_import(actor=official, data=calendar.to_ical())
    call = Entry.objects.get(owner=official, uid="min-1")
    assert call.starts_at == moscow(2027, 2, 1, 7) and call.ends_at is None and call.kind == Entry.Kind.EVENT
