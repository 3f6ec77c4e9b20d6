"""When a reminder is next due (single, repeating with left-out days, whole-day entries, done and past ones), and
setting an entry's reminders through the service."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from krai.core.events.models import Event
from krai.org.tests.factories import StaffFactory
from krai.planner.models import Reminder
from krai.planner.services.entries import entry_restore, entry_set_done, entry_skip, entry_update
from krai.planner.services.reminders import (
    ReminderSpec,
    clean_reminders,
    next_remind_at,
    reminders_reschedule,
    reminders_set,
)
from krai.planner.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")


def msk(*args: int) -> datetime:
    return datetime(*args, tzinfo=MSK)


def test_a_single_meeting_is_reminded_before_its_start_and_never_after_it() -> None:
    entry = EntryFactory(starts_at=msk(2026, 12, 10, 11, 0))
    assert next_remind_at(entry, 15, after=msk(2026, 12, 1, 8, 0)) == msk(2026, 12, 10, 10, 45)
    assert next_remind_at(entry, 24 * 60, after=msk(2026, 12, 1, 8, 0)) == msk(2026, 12, 9, 11, 0)
    # set 15 minutes before a meeting that starts in 10: due at once (the moment is already past)
    assert next_remind_at(entry, 15, after=msk(2026, 12, 10, 10, 50)) == msk(2026, 12, 10, 10, 45)
    # the meeting has started: nothing more
    assert next_remind_at(entry, 15, after=msk(2026, 12, 10, 11, 0)) is None
    # already reminded of this occurrence (sent at 10:46): not again
    assert next_remind_at(entry, 15, after=msk(2026, 12, 10, 10, 50), sent_at=msk(2026, 12, 10, 10, 46)) is None


def test_a_daily_meeting_skips_its_left_out_days_given_as_a_date_or_a_moment() -> None:
    entry = EntryFactory(starts_at=msk(2026, 12, 7, 9, 30), rrule="FREQ=DAILY;COUNT=5",
                         exdates=["2026-12-08", "2026-12-09T06:30:00+00:00"])  # the 9th's 09:30 MSK in UTC
    after_first = msk(2026, 12, 7, 9, 30)
    assert next_remind_at(entry, 10, after=msk(2026, 12, 1, 0, 0)) == msk(2026, 12, 7, 9, 20)
    assert next_remind_at(entry, 10, after=after_first) == msk(2026, 12, 10, 9, 20)
    # COUNT=5: the 7th…11th; after the 11th nothing is left
    assert next_remind_at(entry, 10, after=msk(2026, 12, 11, 9, 30)) is None


def test_a_weekly_rule_keeps_its_local_hour_and_its_utc_until() -> None:
    # Mondays 10:00 Moscow time until 21 December 10:00 MSK (07:00 UTC, as RFC 5545 writes UNTIL)
    entry = EntryFactory(starts_at=msk(2026, 12, 7, 10, 0), rrule="RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20261221T070000Z")
    assert next_remind_at(entry, 60, after=msk(2026, 12, 7, 12, 0)) == msk(2026, 12, 14, 9, 0)
    assert next_remind_at(entry, 60, after=msk(2026, 12, 14, 12, 0)) == msk(2026, 12, 21, 9, 0)
    assert next_remind_at(entry, 60, after=msk(2026, 12, 21, 12, 0)) is None


def test_a_whole_day_entry_is_reminded_that_morning_or_days_before() -> None:
    entry = EntryFactory(starts_at=msk(2026, 12, 10, 0, 0), ends_at=msk(2026, 12, 10, 0, 0), all_day=True)
    assert next_remind_at(entry, 0, after=msk(2026, 12, 1, 0, 0)) == msk(2026, 12, 10, 9, 0)
    assert next_remind_at(entry, 24 * 60, after=msk(2026, 12, 1, 0, 0)) == msk(2026, 12, 9, 9, 0)
    assert next_remind_at(entry, 0, after=msk(2026, 12, 10, 9, 0)) is None
    yearly = EntryFactory(starts_at=msk(2026, 3, 8, 0, 0), ends_at=msk(2026, 3, 8, 0, 0), all_day=True,
                          rrule="FREQ=YEARLY", exdates=["2027-03-08"])
    assert next_remind_at(yearly, 24 * 60, after=msk(2026, 12, 1, 0, 0)) == msk(2028, 3, 7, 9, 0)


def test_a_done_task_has_no_reminder() -> None:
    entry = EntryFactory(starts_at=msk(2026, 12, 10, 11, 0), done_at=msk(2026, 12, 1, 8, 0))
    assert next_remind_at(entry, 15, after=msk(2026, 12, 1, 9, 0)) is None


def test_reminders_are_set_by_the_owner_with_their_next_moments_and_an_event() -> None:
    owner = StaffFactory()
    entry = EntryFactory(owner=owner, starts_at=msk(2026, 12, 10, 11, 0))
    now = msk(2026, 12, 1, 8, 0)
    rows = reminders_set(actor=owner, entry=entry, now=now,
                         reminders=[(15, ["push", "inapp"]), {"minutes_before": 1440, "channels": ["email"]}])
    assert [(r.minutes_before, r.channels, r.next_at) for r in rows] == [
        (15, ["inapp", "push"], msk(2026, 12, 10, 10, 45)), (1440, ["email"], msk(2026, 12, 9, 11, 0))]
    event = Event.objects.filter(kind="planner.reminders_set").get()
    assert event.actor_id == owner.pk and event.subject_id == str(entry.pk)
    # set again: 15 kept with new channels (its last sending kept), 1440 removed, 60 added
    Reminder.objects.filter(entry=entry, minutes_before=15).update(last_sent_at=now)
    reminders_set(actor=owner, entry=entry, now=now, reminders=[ReminderSpec(15, ("email",)), (60, "inapp")])
    assert sorted(Reminder.objects.filter(entry=entry).values_list("minutes_before", "channels", "last_sent_at")) == [
        (15, ["email"], now), (60, ["inapp"], None)]


def test_another_person_cannot_set_reminders_and_nothing_changes() -> None:
    entry = EntryFactory(starts_at=msk(2026, 12, 10, 11, 0))
    with pytest.raises(PermissionDenied):
        reminders_set(actor=StaffFactory(), entry=entry, reminders=[(15, ["inapp"])])
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("raw", [
    [(15, [])], [(15, ["sms"])], [(-1, ["inapp"])], [(40321, ["inapp"])], [("soon", ["inapp"])],
    [(m, ["inapp"]) for m in range(6)], ["15"],
])
def test_invalid_reminders_are_refused(raw: list) -> None:
    with pytest.raises(ValidationError) as error:
        clean_reminders(raw)
    assert "reminders" in error.value.message_dict


def test_the_same_minutes_twice_make_one_reminder_with_both_channels() -> None:
    assert clean_reminders([(15, ["email"]), (15, "inapp")]) == [ReminderSpec(15, ("inapp", "email"))]


def test_an_entry_moved_later_moves_its_reminders_and_a_reminded_occurrence_is_not_reminded_again() -> None:
    owner = StaffFactory()
    now = msk(2026, 12, 10, 10, 50)
    entry = EntryFactory(owner=owner, starts_at=msk(2026, 12, 10, 11, 0))
    reminders_set(actor=owner, entry=entry, now=now - timedelta(days=1), reminders=[(15, ["inapp"])])
    Reminder.objects.update(last_sent_at=msk(2026, 12, 10, 10, 45), next_at=None)  # sent for 11:00
    assert reminders_reschedule(entry, now=now) == 0  # the same meeting: not again
    entry.starts_at, entry.ends_at = msk(2026, 12, 10, 15, 0), msk(2026, 12, 10, 16, 0)
    entry.save()
    assert reminders_reschedule(entry, now=now) == 1
    assert Reminder.objects.get().next_at == msk(2026, 12, 10, 14, 45)


def test_the_entries_services_move_the_reminders_with_the_entry() -> None:
    """A change through the service (pages and the API alike) moves the next reminder: a later time, a skipped
    occurrence and its return, a task ticked done (no reminder) and back."""
    owner = StaffFactory()
    day = (datetime.now(MSK) + timedelta(days=2)).date()
    start = datetime(day.year, day.month, day.day, 11, 0, tzinfo=MSK)
    daily = EntryFactory(owner=owner, starts_at=start, ends_at=start + timedelta(hours=1), rrule="FREQ=DAILY")
    reminders_set(actor=owner, entry=daily, reminders=[(15, ["inapp"])])
    assert Reminder.objects.get().next_at == start - timedelta(minutes=15)
    daily = entry_update(actor=owner, entry=daily, starts_at=start + timedelta(hours=3),
                         ends_at=start + timedelta(hours=4))
    assert Reminder.objects.get().next_at == start + timedelta(hours=3, minutes=-15)
    daily = entry_skip(actor=owner, entry=daily, occurrence=start + timedelta(hours=3))
    assert Reminder.objects.get().next_at == start + timedelta(days=1, hours=3, minutes=-15)
    daily = entry_restore(actor=owner, entry=daily, occurrence=start + timedelta(hours=3))
    assert Reminder.objects.get().next_at == start + timedelta(hours=3, minutes=-15)
    task = EntryFactory(owner=owner, kind="task", starts_at=start, ends_at=None)
    reminders_set(actor=owner, entry=task, reminders=[(60, ["inapp"])])
    entry_set_done(actor=owner, entry=task)
    assert Reminder.objects.get(entry=task).next_at is None
    entry_set_done(actor=owner, entry=task, done=False)
    assert Reminder.objects.get(entry=task).next_at == start - timedelta(hours=1)
