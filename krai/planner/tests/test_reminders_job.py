"""The reminders' job: a due reminder is told once (in Krai, by e-mail) by the channels it names and the person's
preferences allow, then waits for the next occurrence; done tasks and occurrences already over are not told."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from krai.core.notifications.models import Notification
from krai.core.notifications.services import set_preference
from krai.org.tests.factories import StaffFactory
from krai.planner import reminding, tasks
from krai.planner.models import Entry, Reminder
from krai.planner.services.reminders import reminders_set
from krai.planner.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")


def msk(*args: int) -> datetime:
    return datetime(*args, tzinfo=MSK)


def remind(entry: Entry, *reminders: tuple[int, list[str]], now: datetime) -> None:
    reminders_set(actor=entry.owner, entry=entry, reminders=list(reminders), now=now)


def run(capture: Callable[..., Any], now: datetime) -> reminding.SendResult:
    with capture(execute=True):
        return reminding.send_due(now=now)


def test_a_due_reminder_is_told_in_krai_and_by_e_mail_once(django_capture_on_commit_callbacks) -> None:
    owner = StaffFactory(email="head@example.ru")
    entry = EntryFactory(owner=owner, title="Совещание по дорогам", location="каб. 305",
                         starts_at=msk(2026, 12, 10, 11, 0))
    remind(entry, (15, ["inapp", "email"]), now=msk(2026, 12, 1, 8, 0))
    assert run(django_capture_on_commit_callbacks, msk(2026, 12, 10, 10, 44)).reminded == 0  # not yet
    result = run(django_capture_on_commit_callbacks, msk(2026, 12, 10, 10, 45))
    assert (result.reminded, result.skipped) == (1, 0)
    note = Notification.objects.get(user=owner)
    assert note.kind == "planner.reminder" and note.in_app
    assert note.title == "Напоминание: Совещание по дорогам"  # the owner's language, Russian by default
    assert "11:00" in note.body and "каб. 305" in note.body
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["head@example.ru"]
    assert "Совещание по дорогам" in mail.outbox[0].subject
    # run again, and a minute later: nothing more
    assert run(django_capture_on_commit_callbacks, msk(2026, 12, 10, 10, 45)).reminded == 0
    assert run(django_capture_on_commit_callbacks, msk(2026, 12, 10, 10, 46)).reminded == 0
    assert Notification.objects.count() == 1 and len(mail.outbox) == 1
    reminder = Reminder.objects.get()
    assert (reminder.next_at, reminder.last_sent_at) == (None, msk(2026, 12, 10, 10, 45))


def test_only_the_channels_the_reminder_names(django_capture_on_commit_callbacks) -> None:
    owner = StaffFactory()
    in_app_only = EntryFactory(owner=owner, title="Только в Крае", starts_at=msk(2026, 12, 10, 11, 0))
    email_only = EntryFactory(owner=owner, title="Только письмом", starts_at=msk(2026, 12, 10, 11, 0))
    remind(in_app_only, (15, ["inapp"]), now=msk(2026, 12, 1, 8, 0))
    remind(email_only, (15, ["email"]), now=msk(2026, 12, 1, 8, 0))
    assert run(django_capture_on_commit_callbacks, msk(2026, 12, 10, 10, 50)).reminded == 2
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.endswith("Напоминание: Только письмом")
    assert list(Notification.objects.filter(in_app=True).values_list("title", flat=True)) == [
        "Напоминание: Только в Крае"]


def test_the_persons_preferences_can_switch_a_channel_off(django_capture_on_commit_callbacks) -> None:
    owner = StaffFactory()
    set_preference(user=owner, channel="email", enabled=False, kind="planner")
    entry = EntryFactory(owner=owner, starts_at=msk(2026, 12, 10, 11, 0))
    remind(entry, (15, ["inapp", "email"]), now=msk(2026, 12, 1, 8, 0))
    assert run(django_capture_on_commit_callbacks, msk(2026, 12, 10, 10, 50)).reminded == 1
    assert mail.outbox == []
    assert Notification.objects.get().in_app


def test_a_daily_meeting_is_reminded_each_day_but_not_on_a_left_out_one(django_capture_on_commit_callbacks) -> None:
    owner = StaffFactory()
    entry = EntryFactory(owner=owner, starts_at=msk(2026, 12, 7, 9, 30), rrule="FREQ=DAILY",
                         exdates=["2026-12-08"])
    remind(entry, (10, ["inapp"]), now=msk(2026, 12, 1, 8, 0))
    assert run(django_capture_on_commit_callbacks, msk(2026, 12, 7, 9, 20)).reminded == 1
    assert Reminder.objects.get().next_at == msk(2026, 12, 9, 9, 20)
    assert run(django_capture_on_commit_callbacks, msk(2026, 12, 8, 9, 25)).reminded == 0
    assert run(django_capture_on_commit_callbacks, msk(2026, 12, 9, 9, 21)).reminded == 1
    assert Notification.objects.filter(user=owner).count() == 2


def test_a_task_done_meanwhile_and_an_occurrence_long_over_are_not_told(django_capture_on_commit_callbacks) -> None:
    owner = StaffFactory()
    task = EntryFactory(owner=owner, kind="task", starts_at=msk(2026, 12, 10, 11, 0), ends_at=None)
    daily = EntryFactory(owner=owner, starts_at=msk(2026, 12, 7, 9, 30), ends_at=msk(2026, 12, 7, 10, 0),
                         rrule="FREQ=DAILY")
    remind(task, (15, ["inapp"]), now=msk(2026, 12, 1, 8, 0))
    remind(daily, (10, ["inapp"]), now=msk(2026, 12, 1, 8, 0))
    task.done_at = msk(2026, 12, 9, 18, 0)
    task.save()  # (the entries' service reschedules; here the job meets a stale row)
    # the worker was down from the 7th 09:00 until the 8th 12:00: the 7th's meeting is long over
    result = run(django_capture_on_commit_callbacks, msk(2026, 12, 8, 12, 0))
    assert (result.reminded, result.skipped) == (0, 1)
    assert Reminder.objects.get(entry=daily).next_at == msk(2026, 12, 9, 9, 20)
    assert run(django_capture_on_commit_callbacks, msk(2026, 12, 9, 9, 25)).reminded == 1  # the 9th's, on time
    # the 10th: the task is done, and the 10th's meeting is long over when the worker comes back
    result = run(django_capture_on_commit_callbacks, msk(2026, 12, 10, 10, 50))
    assert (result.reminded, result.skipped) == (0, 2)
    assert Reminder.objects.get(entry=task).next_at is None
    assert not Notification.objects.filter(title__contains=task.title).exists()


def test_an_inactive_person_is_not_reminded(django_capture_on_commit_callbacks) -> None:
    owner = StaffFactory()
    entry = EntryFactory(owner=owner, starts_at=msk(2026, 12, 10, 11, 0))
    remind(entry, (15, ["inapp", "email"]), now=msk(2026, 12, 1, 8, 0))
    owner.is_active = False
    owner.save()
    assert run(django_capture_on_commit_callbacks, msk(2026, 12, 10, 10, 50)).skipped == 1
    assert not Notification.objects.exists() and mail.outbox == []


def test_the_periodic_job_sends_what_is_due_now(django_capture_on_commit_callbacks) -> None:
    from django.utils import timezone

    owner = StaffFactory()
    entry = EntryFactory(owner=owner, starts_at=timezone.now() + timedelta(minutes=5))
    remind(entry, (15, ["inapp"]), now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        tasks.planner_send_reminders.call_local()
    assert Notification.objects.filter(user=owner, kind="planner.reminder").count() == 1


def test_an_occurrence_left_out_or_an_entry_moved_after_the_moment_was_set_is_not_told(
        django_capture_on_commit_callbacks) -> None:
    owner = StaffFactory()
    daily = EntryFactory(owner=owner, starts_at=msk(2026, 12, 7, 9, 30), rrule="FREQ=DAILY")
    moved = EntryFactory(owner=owner, starts_at=msk(2026, 12, 7, 15, 0))
    remind(daily, (10, ["inapp"]), now=msk(2026, 12, 1, 8, 0))
    remind(moved, (10, ["inapp"]), now=msk(2026, 12, 1, 8, 0))
    daily.exdates = ["2026-12-07"]  # written without a reschedule: the job still holds the 7th's moment
    daily.save()
    moved.starts_at, moved.ends_at = msk(2026, 12, 7, 17, 0), msk(2026, 12, 7, 18, 0)
    moved.save()
    result = run(django_capture_on_commit_callbacks, msk(2026, 12, 7, 9, 21))  # the left-out 7th, on time
    assert (result.reminded, result.skipped) == (0, 1)
    assert Reminder.objects.get(entry=daily).next_at == msk(2026, 12, 8, 9, 20)
    result = run(django_capture_on_commit_callbacks, msk(2026, 12, 7, 14, 55))  # 15:00 is now 17:00
    assert (result.reminded, result.skipped) == (0, 1)
    assert not Notification.objects.exists()
    assert Reminder.objects.get(entry=moved).next_at == msk(2026, 12, 7, 16, 50)
