"""Workers claiming at the same moment never take the same delivery. Threads need a database several sessions
share (PostgreSQL, or SQLite in a file: ``KRAI_TEST_SQLITE_FILE=1``)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from krai.core.tests.concurrency import at_once
from krai.integration.webhooks import delivery
from krai.integration.webhooks.models import Delivery
from krai.integration.webhooks.tests.helpers import dispatch_events, endpoint
from krai.orders.tests.factories import government, issued_order

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _shared_database():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need a shared database (PostgreSQL, or SQLite in a file: KRAI_TEST_SQLITE_FILE=1)")


def _claim_all() -> list[int]:
    taken = []
    now = timezone.now()
    while (claimed := delivery.claim(now)) is not None:
        taken.append(claimed[0])
    return taken


def test_workers_at_once_never_take_the_same_delivery() -> None:
    gov = government()
    endpoint(kinds=["orders.order_issued", "control.opened"])
    for _ in range(5):
        issued_order(gov)
    dispatch_events()
    rows = sorted(Delivery.objects.values_list("pk", flat=True))
    assert len(rows) == 10
    # the fan-out's commit queued the send at once (Huey runs it inline in tests): each was tried, refused
    assert set(Delivery.objects.values_list("attempts", "last_http_status")) == {(1, None)}
    Delivery.objects.update(attempts=0, next_attempt_at=timezone.now() - timedelta(seconds=1))
    outcomes = at_once(_claim_all, _claim_all, _claim_all, _claim_all)
    assert all(isinstance(o, list) for o in outcomes), outcomes
    taken = [pk for outcome in outcomes for pk in outcome]
    assert sorted(taken) == rows  # each once, by one worker
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}


def test_the_send_job_runs_when_the_fan_out_commits_and_a_replay_commits() -> None:
    from krai.integration.tests.factories import administrator
    from krai.integration.webhooks.services.replay import endpoint_replay_dead

    gov = government()
    admin = administrator()
    hook = endpoint(actor=admin, kinds=["orders.order_issued"])
    issued_order(gov)
    dispatch_events()
    row = Delivery.objects.get()
    assert row.attempts == 1 and "ConnectionError" in row.last_error  # sent right after the fan-out committed
    Delivery.objects.update(status="dead")
    endpoint_replay_dead(actor=admin, endpoint=hook)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.replays) == ("pending", 1, 1)  # the replay's commit sent it again

