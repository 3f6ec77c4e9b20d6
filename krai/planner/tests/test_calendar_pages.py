"""The calendar's page and its events.json: a week of the person's own entries (a repeating one as each occurrence,
one left out) beside the areas' items, listed without JavaScript and read by FullCalendar; day and month views;
the Russian page loads FullCalendar's Russian locale; a resident gets 403, a stranger's entries are never shown."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from krai.core import agenda
from krai.core.agenda import AgendaItem
from krai.org.tests.factories import StaffFactory, UserFactory
from krai.planner.models import Entry
from krai.planner.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
MONDAY = date(2026, 12, 7)


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, 0, tzinfo=MSK)


@pytest.fixture
def week(monkeypatch):
    """Someone's week: a weekly meeting (Wednesday's left out), a task, a trip, another person's meeting, and an
    area's deadline (from a provider put in for the test)."""
    owner = StaffFactory()
    weekly = EntryFactory(owner=owner, title="Планёрка", starts_at=at(1, 9), ends_at=at(1, 10),
                          rrule="FREQ=WEEKLY;BYDAY=MO,WE", exdates=[at(9, 9).isoformat()])
    task = EntryFactory(owner=owner, kind=Entry.Kind.TASK, title="Справка", starts_at=at(8, 0), ends_at=None,
                        all_day=True)
    trip = EntryFactory(owner=owner, kind=Entry.Kind.TRIP, title="Командировка", starts_at=at(10, 0),
                        ends_at=at(11, 0), all_day=True)
    EntryFactory(title="Чужая встреча", starts_at=at(8, 11))
    asked: list[tuple] = []

    def orders_items(user, start, end):
        asked.append((user, start, end))
        return [AgendaItem(key="orders:deadline:7", area="orders", kind="deadline", title="Срок поручения № 7",
                           start=date(2026, 12, 11), url="/workspace/orders/control/7/", overdue=True,
                           status="in progress", detail="№ 7")] if user == owner and start < at(11, 12) < end else []

    monkeypatch.setattr(agenda, "providers", lambda: [("orders", orders_items)])
    return {"owner": owner, "weekly": weekly, "task": task, "trip": trip, "asked": asked}


def test_the_week_is_listed_without_javascript(client, week):
    client.force_login(week["owner"])
    page = client.get(reverse("planner:home"), {"date": "2026-12-09"})
    assert page.status_code == 200
    html = page.content.decode()
    listed = re.findall(r'data-key="([^"]+)"', html)
    weekly, task, trip = week["weekly"].pk, week["task"].pk, week["trip"].pk
    assert listed == [f"planner:entry:{weekly}:2026-12-07T09:00:00+03:00", f"planner:entry:{task}:2026-12-08",
                      f"planner:entry:{trip}:2026-12-10", "orders:deadline:7"]
    assert 'id="krai-planner-count">4<' in html
    assert "Чужая встреча" not in html
    assert "Срок поручения № 7" in html and 'href="/workspace/orders/control/7/"' in html
    assert "07.12.2026 – 13.12.2026" in html
    # the task can be ticked from the list, and the period's links lead on
    assert reverse("planner:entry_done", args=[task]) in html
    assert "?view=week&amp;date=2026-12-14" in html and "?view=week&amp;date=2026-11-30" in html
    start, end = week["asked"][0][1:]
    assert (start, end) == (at(7, 0), at(14, 0))
    # the calendar's script reads the page's settings; no script is inline
    assert 'data-view="timeGridWeek"' in html and 'data-events-url="/workspace/planner/events.json"' in html
    assert "vendor/fullcalendar/index.global.min.js" in html and "planner/calendar.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_day_and_month_views(client, week):
    client.force_login(week["owner"])
    day = client.get(reverse("planner:home"), {"view": "day", "date": "2026-12-09"}).content.decode()
    assert re.findall(r'data-key="([^"]+)"', day) == []  # Wednesday's meeting is left out
    assert 'data-view="timeGridDay"' in day and "?view=day&amp;date=2026-12-10" in day
    month = client.get(reverse("planner:home"), {"view": "month", "date": "2026-12-20"}).content.decode()
    keys = re.findall(r'data-key="([^"]+)"', month)
    assert len([k for k in keys if k.startswith(f"planner:entry:{week['weekly'].pk}:")]) == 8  # 9 less Wed 9th
    assert 'data-view="dayGridMonth"' in month and "?view=month&amp;date=2027-01-01" in month


def test_the_russian_page_loads_the_russian_locale(client, week):
    client.force_login(week["owner"])
    html = client.get(reverse("planner:home"), {"date": "2026-12-09"}, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert 'data-locale="ru"' in html and "vendor/fullcalendar/locales/ru.global.min.js" in html
    assert '<html lang="ru"' in html and "онедельник, 07.12.2026" in html  # Django's own Russian day names
    english = client.get(reverse("planner:home")).content.decode()
    assert 'data-locale="en"' in english and "locales/ru.global.min.js" not in english


def test_events_json(client, week):
    client.force_login(week["owner"])
    answer = client.get(reverse("planner:events"), {"start": "2026-12-07T00:00:00+03:00",
                                                     "end": "2026-12-14T00:00:00+03:00"})
    assert answer.status_code == 200
    events = {event["id"]: event for event in answer.json()}
    weekly = events[f"planner:entry:{week['weekly'].pk}:2026-12-07T09:00:00+03:00"]
    assert (weekly["start"], weekly["end"], weekly["allDay"]) == ("2026-12-07T09:00:00+03:00",
                                                                   "2026-12-07T10:00:00+03:00", False)
    assert weekly["url"] == f"/workspace/planner/entries/{week['weekly'].pk}/"
    assert weekly["extendedProps"]["occurrence"] == "2026-12-07T09:00:00+03:00"
    assert not weekly["extendedProps"]["readonly"]
    trip = events[f"planner:entry:{week['trip'].pk}:2026-12-10"]
    assert (trip["start"], trip["end"], trip["allDay"]) == ("2026-12-10", "2026-12-12", True)  # end exclusive
    deadline = events["orders:deadline:7"]
    assert deadline["extendedProps"]["readonly"] and deadline["extendedProps"]["source"] == "orders"
    assert deadline["url"] == "/workspace/orders/control/7/" and deadline["extendedProps"]["overdue"]
    assert deadline["allDay"] and deadline["start"] == "2026-12-11"
    assert len(events) == 4
    # FullCalendar's "+" of an offset may arrive as a space
    spaced = client.get(reverse("planner:events") + "?start=2026-12-07T00:00:00 03:00&end=2026-12-08T00:00:00 03:00")
    assert [e["title"] for e in spaced.json()] == ["Планёрка"]


@pytest.mark.parametrize("query", [{}, {"start": "2026-12-07"}, {"start": "tomorrow", "end": "2026-12-08"},
                                   {"start": "2026-12-08", "end": "2026-12-07"},
                                   {"start": "2026-01-01", "end": "2027-06-01"}])
def test_events_json_refuses_a_bad_period(client, week, query):
    client.force_login(week["owner"])
    answer = client.get(reverse("planner:events"), query)
    assert answer.status_code == 400 and answer.json()["error"]


def test_a_resident_gets_403_and_a_visitor_the_login(client):
    client.force_login(UserFactory())
    for name in ("planner:home", "planner:events", "planner:given", "planner:entry_new"):
        assert client.get(reverse(name)).status_code == 403, name
    client.logout()
    assert client.get(reverse("planner:home")).status_code == 302


def test_an_empty_week_and_the_quick_task_form(client):
    client.force_login(StaffFactory())
    html = client.get(reverse("planner:home"), {"date": (MONDAY + timedelta(days=2)).isoformat()}).content.decode()
    assert html.count("Nothing planned.") == 7
    assert 'name="client_key"' in html and f'action="{reverse("planner:quick_task")}"' in html
