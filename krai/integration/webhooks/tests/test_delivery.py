"""Sending: back-off, claiming (never the same delivery twice at once), redirects not followed, a disabled endpoint
waiting, a replay made while a request was under way, and the exchange log's row of every attempt."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from krai.integration.models import ExchangeMessage
from krai.integration.webhooks import delivery
from krai.integration.webhooks.models import Delivery, DeliveryStatus
from krai.integration.webhooks.services.endpoints import endpoint_update
from krai.integration.webhooks.services.replay import deliveries_replay
from krai.integration.webhooks.tests.helpers import dispatch_events, endpoint
from krai.integration.webhooks.tests.receiver import Receiver
from krai.orders.tests.factories import government, issued_order

pytestmark = pytest.mark.django_db


def test_backoff_grows_from_seconds_to_a_day():
    waits = [delivery.backoff(n).total_seconds() for n in range(1, 11)]
    assert waits[:6] == [5, 60, 300, 1800, 7200, 21600]
    assert waits[-1] == 86400 and waits == sorted(waits)


def _pending(count: int = 1, **fields) -> list[Delivery]:
    gov = government()
    hook = endpoint(kinds=["orders.order_issued"], **fields)
    for _ in range(count):
        issued_order(gov)
    dispatch_events()
    rows = list(Delivery.objects.filter(endpoint=hook).order_by("id"))
    assert len(rows) == count
    return rows


def test_a_claim_counts_the_attempt_and_leases_the_row_from_other_workers():
    first, second = _pending(2)
    now = timezone.now()
    assert delivery.claim(now) == (first.pk, 1)
    assert delivery.claim(now) == (second.pk, 1)
    assert delivery.claim(now) is None  # both leased
    assert delivery.claim(now + delivery.lease() - timedelta(seconds=1)) is None
    # a dead worker's claim comes due again after the lease; the attempt it used counts
    assert delivery.claim(now + delivery.lease() + timedelta(seconds=1)) == (first.pk, 2)


def test_a_failed_answer_is_retried_and_logged_and_a_redirect_is_not_followed():
    with Receiver(status=302) as receiver:
        [row] = _pending(url=receiver.url)
        receiver.secret = row.endpoint.secret
        now = timezone.now()
        assert delivery.send_due(now=now).retrying == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_http_status) == (DeliveryStatus.PENDING, 1, 302)
    assert row.next_attempt_at == now + timedelta(seconds=5) and "not followed" in row.last_error
    assert receiver.requests == 1
    logged = ExchangeMessage.objects.get(correlation_id=row.message_id)
    assert (logged.channel, logged.direction, logged.status, logged.http_status) == ("webhook", "out", "failed", 302)
    assert logged.system == row.endpoint.system and logged.kind == "orders.order_issued"
    assert json.loads(logged.payload)["data"]["event_id"] == row.event_id
    assert logged.peer == row.endpoint.url and logged.duration_ms is not None


def test_a_server_error_then_success_delivers_with_one_log_row_per_attempt():
    receiver = Receiver(status=500).start()
    try:
        [row] = _pending(url=receiver.url)
        receiver.secret = row.endpoint.secret
        now = timezone.now()
        delivery.send_due(now=now)
        receiver.status = 200
        delivery.send_due(now=now + timedelta(seconds=5))
    finally:
        receiver.stop()
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_http_status, row.last_error) == (DeliveryStatus.DELIVERED, 2, 200, "")
    assert list(ExchangeMessage.objects.filter(correlation_id=row.message_id).order_by("id").values_list(
        "status", "http_status")) == [("failed", 500), ("ok", 200)]
    assert receiver.duplicates == [row.message_id]  # the receiver kept the first copy; the sender saw a 500


def test_a_disabled_endpoint_keeps_its_deliveries_pending_until_enabled(settings):
    settings.KRAI_WEBHOOKS_MAX_ATTEMPTS = 2
    with Receiver() as receiver:
        [row] = _pending(url=receiver.url)
        hook = row.endpoint
        receiver.secret = hook.secret
        from krai.integration.tests.factories import administrator

        admin = administrator()
        endpoint_update(actor=admin, endpoint=hook, is_active=False)
        later = timezone.now() + timedelta(days=3)
        assert delivery.send_due(now=later).attempted == 0
        row.refresh_from_db()
        assert (row.status, row.attempts) == (DeliveryStatus.PENDING, 0)
        endpoint_update(actor=admin, endpoint=hook, is_active=True)
        assert delivery.send_due().delivered == 1
    assert len(receiver.messages) == 1


def test_a_replay_made_during_a_request_keeps_its_fresh_start(settings):
    settings.KRAI_WEBHOOKS_MAX_ATTEMPTS = 1
    [row] = _pending()
    Delivery.objects.filter(pk=row.pk).update(status=DeliveryStatus.DEAD)
    from krai.integration.tests.factories import administrator

    now = timezone.now()
    Delivery.objects.filter(pk=row.pk).update(status=DeliveryStatus.PENDING)
    claimed = delivery.claim(now)
    Delivery.objects.filter(pk=row.pk).update(status=DeliveryStatus.DEAD)
    deliveries_replay(actor=administrator(), deliveries=[row.pk])  # while the request of the claim is out
    assert delivery.send_one(*claimed, now) == "skipped"  # port 9: refused, but the replay's state stays
    row.refresh_from_db()
    assert (row.status, row.attempts, row.replays) == (DeliveryStatus.PENDING, 0, 1)
