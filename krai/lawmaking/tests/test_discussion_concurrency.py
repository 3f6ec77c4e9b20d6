"""Supporters at the same moment: the initiative's row is locked, so the count is exact and the move to the draft
elaboration happens once. Threads need a database several sessions share (PostgreSQL, or SQLite in a file:
``KRAI_TEST_SQLITE_FILE=1``)."""

from __future__ import annotations

import time

import pytest
from django.db import connection

from krai.core.tests.concurrency import at_once
from krai.lawmaking.models import Initiative, Stage, StageEntry, Support, Version
from krai.lawmaking.services import discussion
from krai.lawmaking.tests.factories import initiative
from krai.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _shared_database():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need a shared database (PostgreSQL, or SQLite in a file: KRAI_TEST_SQLITE_FILE=1)")


@pytest.fixture
def slow_events(monkeypatch):
    """Hold each support's transaction open a moment, so the clients overlap however the threads run."""
    real = discussion.record_event

    def slowly(**kwargs):
        time.sleep(0.2)
        return real(**kwargs)

    monkeypatch.setattr(discussion, "record_event", slowly)


def test_last_supporters_at_once_move_it_exactly_once(slow_events) -> None:
    item = initiative(support_threshold=3)
    people = [UserFactory() for _ in range(5)]
    outcomes = at_once(*[(lambda p=p: discussion.support_add(actor=p, initiative=item)) for p in people])
    item.refresh_from_db()
    accepted = [o for o in outcomes if isinstance(o, tuple)]
    assert len(accepted) == 3, outcomes  # the rest find the discussion over
    assert item.stage == Stage.ELABORATION
    assert item.support_count == Support.objects.filter(initiative=item).count() == 3
    assert StageEntry.objects.filter(initiative=item, stage=Stage.ELABORATION).count() == 1
    assert Version.objects.filter(initiative=item).count() == 1
    assert Initiative.objects.get(pk=item.pk).support_count == 3
