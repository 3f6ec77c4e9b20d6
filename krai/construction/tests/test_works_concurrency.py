"""Residents rating a work at the same moment: the work's row is locked and its sums recounted, so every rating
counts once. Threads need a database several sessions share (PostgreSQL, or SQLite in a file:
``KRAI_TEST_SQLITE_FILE=1``)."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.utils import timezone

from krai.construction.models import Work, WorkRating, WorkStatus
from krai.construction.services import works_residents as services
from krai.construction.tests.factories import resident, work
from krai.core.tests.concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _shared_database():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need a shared database (PostgreSQL, or SQLite in a file: KRAI_TEST_SQLITE_FILE=1)")


@pytest.fixture
def slow_events(monkeypatch):
    """Hold each rating's transaction open a moment, so the clients overlap however the threads run."""
    real = services.record_event

    def slowly(**kwargs):
        time.sleep(0.1)
        return real(**kwargs)

    monkeypatch.setattr(services, "record_event", slowly)


def test_ratings_at_once_keep_the_sums_right(slow_events, settings) -> None:
    settings.RATELIMIT_ENABLE = False
    today = timezone.localdate()
    item = work(status=WorkStatus.COMPLETED, planned_start=today, planned_end=today, actual_start=today,
                actual_end=today)
    people = [resident() for _ in range(6)]
    scores = [1, 2, 3, 4, 5, 5]
    first = people[0]
    outcomes = at_once(*[(lambda p=p, s=s: services.work_rate(actor=p, work=item, score=s))
                         for p, s in zip(people, scores, strict=True)],
                       lambda: services.work_rate(actor=first, work=item, score=4))  # the first one changes his
    assert all(isinstance(o, tuple) for o in outcomes), outcomes
    fresh = Work.objects.get(pk=item.pk)
    rows = list(WorkRating.objects.filter(work=item).values_list("score", flat=True))
    assert fresh.ratings_count == len(rows) == 6
    assert fresh.ratings_total == sum(rows)
