"""Workers sending reminders at the same minute tell each reminder once. Threads need a database several sessions
share (PostgreSQL, or SQLite in a file: ``KRAI_TEST_SQLITE_FILE=1``)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection

from krai.core.notifications.models import Notification
from krai.core.tests.concurrency import at_once
from krai.org.tests.factories import StaffFactory
from krai.planner import reminding
from krai.planner.models import Reminder
from krai.planner.services.reminders import reminders_set
from krai.planner.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db(transaction=True)
MSK = ZoneInfo("Europe/Moscow")


@pytest.fixture(autouse=True)
def _shared_database():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need a shared database (PostgreSQL, or SQLite in a file: KRAI_TEST_SQLITE_FILE=1)")


def test_two_workers_at_once_tell_each_due_reminder_once() -> None:
    owners = [StaffFactory() for _ in range(3)]
    for index in range(12):
        owner = owners[index % 3]
        entry = EntryFactory(owner=owner, starts_at=datetime(2026, 12, 10, 11, index, tzinfo=MSK))
        reminders_set(actor=owner, entry=entry, reminders=[(15, ["inapp", "email"])],
                      now=datetime(2026, 12, 1, 8, 0, tzinfo=MSK))
    now = datetime(2026, 12, 10, 11, 0, tzinfo=MSK)

    def worker() -> int:
        return reminding.send_due(now=now).reminded

    outcomes = at_once(worker, worker, worker)
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert sum(outcomes) == 12  # each by one worker
    assert Notification.objects.filter(kind="planner.reminder").count() == 12
    assert len(mail.outbox) == 12
    assert not Reminder.objects.filter(next_at__isnull=False).exists()
    # a second round at the same minute finds nothing
    assert sum(at_once(worker, worker)) == 0
    assert Notification.objects.count() == 12 and len(mail.outbox) == 12
