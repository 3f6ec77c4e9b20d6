"""The issue's test: a system on 127.0.0.1 receives signed webhooks for real events, is stopped, misses what
happens meanwhile (the deliveries back off until dead), comes back, and after the administrator's replay holds
every message exactly once by ``webhook-id``; a forged signature is refused by it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import requests
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from krai.integration.models import ExchangeMessage
from krai.integration.tests.factories import administrator, external_system
from krai.integration.webhooks import delivery
from krai.integration.webhooks.models import Delivery, DeliveryStatus
from krai.integration.webhooks.services.replay import endpoint_replay_dead, endpoint_replay_since
from krai.integration.webhooks.tests.helpers import dispatch_events, endpoint, exhaust
from krai.integration.webhooks.tests.receiver import Receiver
from krai.orders.tests.factories import government, issued_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.stop()


def test_downtime_dead_letters_and_replay_reach_the_receiver_exactly_once(receiver, settings):
    settings.KRAI_WEBHOOKS_MAX_ATTEMPTS = 4
    gov = government()
    admin = administrator()
    system = external_system("sed-control")
    hook = endpoint(actor=admin, system=system, url=receiver.url, kinds=["orders.*", "control.opened"])
    receiver.secret = hook.secret
    receiver.start()

    # up: an order issued through the orders' services reaches the system, signed
    first = issued_order(gov)
    dispatch_events()
    sent = delivery.send_due()
    assert sent.delivered == 3 and not receiver.rejected
    assert sorted(receiver.kinds()) == ["control.opened", "orders.order_created", "orders.order_issued"]
    issued = next(m for m in receiver.messages.values() if m["type"] == "orders.order_issued")
    assert issued["data"]["subject_type"] == "orders.order" and issued["data"]["subject_id"] == str(first.pk)
    assert issued["data"]["number"] == first.number and "event_id" in issued["data"]
    assert all(mid.startswith("msg_") and mid.endswith(f"_{hook.pk}") for mid in receiver.order)
    log = ExchangeMessage.objects.filter(channel="webhook", direction="out")
    assert log.count() == 3 and set(log.values_list("status", "http_status")) == {("ok", 204)}
    assert set(log.values_list("correlation_id", flat=True)) == set(receiver.order)

    # down: two more orders; every attempt fails and backs off until the deliveries are dead
    receiver.stop()
    issued_order(gov)
    issued_order(gov, lead=gov.finance)
    dispatch_events()
    missed = list(Delivery.objects.filter(status=DeliveryStatus.PENDING).values_list("pk", flat=True))
    assert len(missed) == 6
    start = timezone.now()
    delivery.send_due(now=start)
    row = Delivery.objects.get(pk=missed[0])
    assert row.attempts == 1 and row.status == DeliveryStatus.PENDING and row.last_http_status is None
    assert "ConnectionError" in row.last_error
    assert row.next_attempt_at == start + timedelta(seconds=5)
    assert delivery.send_due(now=start + timedelta(seconds=4)).attempted == 0  # not due yet
    exhaust(start=start + timedelta(seconds=5))
    dead = Delivery.objects.filter(pk__in=missed)
    assert set(dead.values_list("status", "attempts")) == {(DeliveryStatus.DEAD, 4)}
    assert log.filter(status="failed").count() == 6 * 4

    # back up; the administrator replays the dead letters: every missed message arrives once
    receiver.start()
    assert endpoint_replay_dead(actor=admin, endpoint=hook) == 6
    assert delivery.send_due().delivered == 6
    assert len(receiver.messages) == 9 and not receiver.duplicates and not receiver.rejected
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.DELIVERED}

    # "everything since" re-sends what was delivered too: the receiver drops the copies by webhook-id
    assert endpoint_replay_since(actor=admin, endpoint=hook, since=start - timedelta(hours=1)) == 9
    assert delivery.send_due().delivered == 9
    assert len(receiver.messages) == 9 and len(receiver.duplicates) == 9
    assert sorted(receiver.duplicates) == sorted(receiver.order)


def test_a_forged_or_altered_message_is_refused_by_the_receiver(receiver):
    hook = endpoint(url=receiver.url, kinds=["orders.*"])
    receiver.secret = hook.secret
    receiver.start()
    body = b'{"type":"orders.order_issued","timestamp":"2026-01-01T00:00:00+00:00","data":{"event_id":1}}'
    now = datetime.now(UTC)
    forged = Webhook("whsec_" + "QUJD" * 11).sign("msg_1_1", now, body)
    answer = requests.post(receiver.url, data=body, timeout=5, headers={
        "webhook-id": "msg_1_1", "webhook-timestamp": str(int(now.timestamp())), "webhook-signature": forged})
    assert answer.status_code == 401
    genuine = Webhook(hook.secret).sign("msg_1_1", now, body)
    altered = body.replace(b'"event_id":1', b'"event_id":2')
    answer = requests.post(receiver.url, data=altered, timeout=5, headers={
        "webhook-id": "msg_1_1", "webhook-timestamp": str(int(now.timestamp())), "webhook-signature": genuine})
    assert answer.status_code == 401
    assert len(receiver.rejected) == 2 and not receiver.messages


def test_a_test_ping_is_signed_and_received_now(receiver):
    from krai.integration.webhooks.services.endpoints import endpoint_ping

    admin = administrator()
    hook = endpoint(actor=admin, url=receiver.url, kinds=["orders.*"], is_active=False)
    receiver.secret = hook.secret
    receiver.start()
    result = endpoint_ping(actor=admin, endpoint=hook)
    assert result.ok and result.http_status == 204
    assert receiver.kinds() == ["webhook.test"]
    assert receiver.messages[result.message_id]["data"] == {"endpoint_id": hook.pk}
    receiver.stop()
    failed = endpoint_ping(actor=admin, endpoint=hook)
    assert not failed.ok and failed.http_status is None and "ConnectionError" in failed.error
    assert ExchangeMessage.objects.filter(kind="webhook.test").count() == 2


def test_a_system_limited_to_a_body_hears_only_of_that_body(receiver):
    gov = government()
    system = external_system("sed-health", organisation=gov.health, role="head")
    hook = endpoint(system=system, url=receiver.url, kinds=["orders.order_issued"], scope="organisation",
                    organisation=gov.health)
    receiver.secret = hook.secret
    receiver.start()
    issued_order(gov)  # to health
    issued_order(gov, lead=gov.finance)
    dispatch_events()
    delivery.send_due()
    assert receiver.kinds() == ["orders.order_issued"]
