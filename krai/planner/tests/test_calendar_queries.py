"""The calendar's events.json costs the same number of queries however many entries (repeating ones, with reminders)
and however many of the areas' items (the control engine's deadlines, real providers) fill the period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from krai.orders.tests.conftest import gov  # noqa: F401 (the fixture)
from krai.orders.tests.factories import TODAY, issued_order
from krai.planner.models import Entry, Reminder
from krai.planner.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db


def _fill(gov, count: int) -> None:  # noqa: F811
    """``count`` entries of each shape and ``count`` orders led by the executor, all within the next four weeks."""
    owner = gov.executor
    start = timezone.now().replace(minute=0, second=0, microsecond=0)
    for n in range(count):
        EntryFactory(owner=owner, starts_at=start + timedelta(days=n % 20, hours=1))
        weekly = EntryFactory(owner=owner, starts_at=start + timedelta(hours=2 + n), rrule="FREQ=WEEKLY",
                              exdates=[(start + timedelta(days=7, hours=2 + n)).isoformat()])
        Reminder.objects.create(entry=weekly, minutes_before=15, channels=["inapp"])
        EntryFactory(owner=owner, kind=Entry.Kind.TASK, all_day=True, ends_at=None,
                     starts_at=start + timedelta(days=n % 20))
        issued_order(gov, lead=gov.subunit, lead_user=owner, deadline=TODAY + timedelta(days=3 + n % 20))


def _queries(client, start: str, end: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(reverse("planner:events"), {"start": start, "end": end})
    assert answer.status_code == 200
    return len(captured.captured_queries), len(answer.json())


def test_events_json_queries_do_not_grow_with_the_items(client, gov):  # noqa: F811
    client.force_login(gov.executor)
    first, last = TODAY - timedelta(days=1), TODAY + timedelta(days=28)
    period = (first.isoformat(), last.isoformat())
    _fill(gov, 1)
    _queries(client, *period)  # warm the caches a first request fills (the session, the work calendar)
    few, shown_few = _queries(client, *period)
    _fill(gov, 4)
    many, shown_many = _queries(client, *period)
    assert shown_many > shown_few + 15, "the period must hold the added items for the comparison to mean anything"
    assert many == few
