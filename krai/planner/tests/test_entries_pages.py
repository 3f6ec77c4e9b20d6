"""The entries' pages: writing an entry (with the repeat chooser, a rule written by hand, a reminder), its page,
changing it, leaving an occurrence out and bringing it back, ticking a task, deleting after a confirmation, the quick
task sent twice; errors shown by the fields in English and in Russian with nothing saved; another person's entry
answers 404 everywhere."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from krai.core.events.models import Event
from krai.org.tests.factories import StaffFactory
from krai.planner.models import Entry, Reminder
from krai.planner.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
#: a Monday a week or two ahead: its occurrences are all still to come whenever the tests run
MONDAY = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday() + 7)
NO_REMINDERS = {"reminders-TOTAL_FORMS": "0", "reminders-INITIAL_FORMS": "0"}


def at(hour: int, minute: int = 0, days: int = 0) -> datetime:
    return datetime.combine(MONDAY + timedelta(days=days), time(hour, minute), tzinfo=MSK)


def form(**fields) -> dict:
    return {"kind": "meeting", "title": "Планёрка", "start_date": MONDAY.isoformat(), "start_time": "09:00",
            "end_time": "10:00", "repeat": "none", **NO_REMINDERS, **fields}


@pytest.fixture
def owner(client):
    person = StaffFactory()
    client.force_login(person)
    return person


def test_write_a_weekly_meeting_with_a_reminder(client, owner):
    assert client.get(reverse("planner:entry_new"), {"date": MONDAY.isoformat()}).status_code == 200
    answer = client.post(reverse("planner:entry_new"), form(
        repeat="weekdays", repeat_count="10", location="каб. 301",
        **{"reminders-TOTAL_FORMS": "1", "reminders-0-minutes_before": "15", "reminders-0-channels": ["inapp"]}))
    entry = Entry.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("planner:entry", args=[entry.pk])
    assert (entry.starts_at, entry.ends_at) == (at(9), at(10))
    assert (entry.rrule, entry.location, entry.owner, entry.created_by) == (
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10", "каб. 301", owner, owner)
    assert list(Reminder.objects.filter(entry=entry).values_list("minutes_before", flat=True)) == [15]
    page = client.get(answer["Location"]).content.decode()
    assert "Every working day (Monday to Friday), 10 times" in page
    assert page.count('name="occurrence"') == 10  # the next occurrences, each can be left out


def test_a_rule_written_by_hand_and_a_whole_day_task(client, owner):
    client.post(reverse("planner:entry_new"), form(repeat="custom", rrule="freq=monthly;byday=1mo"))
    assert Entry.objects.get().rrule == "FREQ=MONTHLY;BYDAY=1MO"
    client.post(reverse("planner:entry_new"), form(kind="task", title="Справка", start_time="", end_time=""))
    task = Entry.objects.get(kind="task")
    assert task.all_day and task.starts_at == at(0) and task.ends_at is None


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"title": ""}, "title", "This field is required."),
    ({"rrule": "FREQ=SOMETIMES"}, "rrule", "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY."),
    ({"repeat": "custom"}, "rrule", "Write the rule, or choose how it repeats."),
    ({"repeat": "daily", "repeat_until": "2026-12-31", "repeat_count": "3"}, "repeat_count",
     "Give either the last day or the number of times, not both."),
    ({"repeat": "daily", "repeat_until": "2020-12-01"}, "repeat_until", "The repeats cannot end before the first one."),
    ({"end_time": "08:00"}, "end_time", "It cannot end before it starts."),
    ({"start_time": "", "end_time": "10:00"}, "start_time", "Give the time it starts, or tick “All day”."),
])
def test_errors_by_the_fields_and_nothing_saved(client, owner, fields, field, message):
    answer = client.post(reverse("planner:entry_new"), form(**fields))
    assert answer.status_code == 400
    errors = answer.context["form"].errors
    assert message in " ".join(errors[field])
    assert message.replace("'", "&#x27;") in answer.content.decode()
    assert "Nothing is saved" in answer.content.decode()
    assert not Entry.objects.exists() and not Event.objects.filter(kind__startswith="planner.").exists()


def test_an_error_in_russian(client, owner):
    answer = client.post(reverse("planner:entry_new"), form(title=""), HTTP_ACCEPT_LANGUAGE="ru")
    assert answer.status_code == 400
    assert "Обязательное поле." in answer.content.decode()
    assert not Entry.objects.exists()


def test_change_an_entry(client, owner):
    entry = EntryFactory(owner=owner, title="Планёрка", starts_at=at(9), ends_at=at(10), rrule="FREQ=WEEKLY;COUNT=4")
    page = client.get(reverse("planner:entry_edit", args=[entry.pk]))
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert (initial["repeat"], initial["repeat_count"], str(initial["start_time"])) == ("weekly", 4, "09:00:00")
    answer = client.post(reverse("planner:entry_edit", args=[entry.pk]),
                         form(title="Планёрка отдела", start_time="11:00", end_time="12:30", repeat="monthly"))
    assert answer.status_code == 302
    entry.refresh_from_db()
    assert (entry.title, entry.rrule, entry.sequence) == ("Планёрка отдела", "FREQ=MONTHLY", 1)
    assert entry.starts_at == at(11)


def test_leave_an_occurrence_out_and_bring_it_back(client, owner):
    entry = EntryFactory(owner=owner, starts_at=at(9), ends_at=at(10), rrule="FREQ=WEEKLY;COUNT=60")
    page = client.get(reverse("planner:entry", args=[entry.pk])).content.decode()
    keys = re.findall(r'name="occurrence" value="([^"]+)"', page)
    assert len(keys) == 10
    client.post(reverse("planner:entry_skip", args=[entry.pk]), {"occurrence": keys[1]})
    entry.refresh_from_db()
    assert entry.exdates == [keys[1]]
    page = client.get(reverse("planner:entry", args=[entry.pk])).content.decode()
    assert keys[1] not in re.findall(r'action="[^"]+/skip/"[^>]*>.*?value="([^"]+)"', page, flags=re.S)
    assert f'value="{keys[1]}"' in page and "Bring back" in page
    client.post(reverse("planner:entry_restore", args=[entry.pk]), {"occurrence": keys[1]})
    entry.refresh_from_db()
    assert entry.exdates == []
    wrong = client.post(reverse("planner:entry_skip", args=[entry.pk]), {"occurrence": at(9, days=1).isoformat()},
                        follow=True)
    assert "The entry has no occurrence then." in wrong.content.decode()


def test_tick_a_task_and_delete_after_confirming(client, owner):
    task = EntryFactory(owner=owner, kind=Entry.Kind.TASK, title="Справка")
    client.post(reverse("planner:entry_done", args=[task.pk]), {"done": "1", "next": "/workspace/planner/"})
    task.refresh_from_db()
    assert task.done_at is not None
    client.post(reverse("planner:entry_done", args=[task.pk]))
    task.refresh_from_db()
    assert task.done_at is None
    confirm = client.get(reverse("planner:entry_delete", args=[task.pk]))
    assert confirm.status_code == 200 and "This cannot be undone." in confirm.content.decode()
    assert Entry.objects.filter(pk=task.pk).exists()
    gone = client.post(reverse("planner:entry_delete", args=[task.pk]))
    assert gone.status_code == 302 and gone["Location"] == reverse("planner:home")
    assert not Entry.objects.filter(pk=task.pk).exists()


def test_the_quick_task_sent_twice_makes_one(client, owner):
    sent = {"title": "Позвонить в минздрав", "due": "2026-12-08", "client_key": "abc123",
            "next": "/workspace/planner/?date=2026-12-08"}
    first = client.post(reverse("planner:quick_task"), sent)
    again = client.post(reverse("planner:quick_task"), sent)
    assert first.status_code == again.status_code == 302 and first["Location"] == "/workspace/planner/?date=2026-12-08"
    task = Entry.objects.get()
    assert (task.kind, task.all_day, task.client_key) == ("task", True, "abc123")
    assert task.starts_at == datetime(2026, 12, 8, tzinfo=MSK)
    empty = client.post(reverse("planner:quick_task"), {"title": "", "next": "https://evil.example/"}, follow=True)
    assert empty.redirect_chain[0][0] == reverse("planner:home")
    assert "This field is required." in empty.content.decode() and Entry.objects.count() == 1


def test_another_persons_entry_answers_404(client, owner):
    theirs = EntryFactory(title="Чужое", rrule="FREQ=DAILY")
    for name in ("planner:entry", "planner:entry_edit", "planner:entry_delete"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404, name
    for name in ("planner:entry_edit", "planner:entry_delete", "planner:entry_done", "planner:entry_skip"):
        assert client.post(reverse(name, args=[theirs.pk]), form()).status_code == 404, name
    theirs.refresh_from_db()
    assert theirs.title == "Чужое" and theirs.done_at is None and theirs.exdates == []
    assert client.get(reverse("planner:entry", args=[999999])).status_code == 404
