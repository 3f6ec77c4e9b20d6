"""The receiver's push endpoint: the signature is the authentication (unknown installation, bad or stale signature,
a body changed on the way: 401, nothing stored), a malformed batch is refused whole, and an order is stored or
replaced only by a newer version."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from krai.core.events.models import Event
from krai.integration.consolidation import protocol, services
from krai.integration.consolidation.models import ConsolidatedOrder, ConsolidationSource
from krai.integration.consolidation.tests.helpers import (
    CODE,
    PUSH_PATH,
    batch,
    configure,
    new_secret,
    signed_push,
    snapshot,
)
from krai.integration.models import ExchangeMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(settings):
    return configure(settings, source=False)


def _nothing_stored() -> bool:
    return not ConsolidatedOrder.objects.exists() and not ConsolidationSource.objects.exists() and \
        not Event.objects.filter(kind__startswith="consolidation.").exists()


def test_a_signed_push_is_stored_with_the_sources_contact(client, secret):
    response = signed_push(client, batch(snapshot(1, 5), snapshot(2, 6), first=3, last=6), secret=secret)
    assert response.status_code == 200, response.content
    assert response.json() == {"accepted": 2, "ignored": 0, "last_version": 6}
    source = ConsolidationSource.objects.get(code=CODE)
    assert (source.name, source.last_version, source.batches_received) == ("Экономический блок", 6, 1)
    assert source.last_received_at is not None
    row = ConsolidatedOrder.objects.get(remote_id=2)
    assert (row.number, row.executor, row.executor_code, row.status, row.is_open, row.version) == (
        "2026-00002", "Министерство экономики", "min-economy", "in_progress", True, 6)
    assert row.snapshot["url"].endswith("/workspace/orders/order/2/")
    event = Event.objects.get(kind="consolidation.batch_received")
    assert event.actor is None
    assert event.payload == {"source": CODE, "first_event": 3, "last_event": 6, "orders": 2, "accepted": 2,
                             "ignored": 0, "last_version": 6}
    log = ExchangeMessage.objects.get()
    assert (log.channel, log.direction, log.status, log.http_status, log.correlation_id, log.peer) == (
        "consolidation", "in", "ok", 200, "economy:1-2", CODE)
    assert '"orders"' in log.payload


def test_only_a_newer_version_replaces_an_order(client, secret):
    signed_push(client, batch(snapshot(1, 10, status="in_progress")), secret=secret)
    older = signed_push(client, batch(snapshot(1, 7, status="issued"), snapshot(2, 7)), secret=secret)
    assert older.json() == {"accepted": 1, "ignored": 1, "last_version": 10}
    same = signed_push(client, batch(snapshot(1, 10, status="cancelled", open=False)), secret=secret)
    assert same.json()["ignored"] == 1
    assert ConsolidatedOrder.objects.get(remote_id=1).status == "in_progress"
    newer = signed_push(client, batch(snapshot(1, 12, status="done", open=False, closed_on="2026-03-30")),
                        secret=secret)
    assert newer.json() == {"accepted": 1, "ignored": 0, "last_version": 12}
    row = ConsolidatedOrder.objects.get(remote_id=1)
    assert (row.status, row.is_open, row.version, str(row.closed_on)) == ("done", False, 12, "2026-03-30")
    assert ConsolidatedOrder.objects.count() == 2


def test_the_same_batch_twice_changes_nothing(client, secret):
    body = batch(snapshot(1, 5), snapshot(2, 5))
    signed_push(client, body, secret=secret)
    held = list(ConsolidatedOrder.objects.values_list("pk", "version", "received_at"))
    again = signed_push(client, body, secret=secret)
    assert again.json() == {"accepted": 0, "ignored": 2, "last_version": 5}
    assert list(ConsolidatedOrder.objects.values_list("pk", "version", "received_at")) == held


def test_an_unknown_installation_is_refused_and_nothing_stored(client, secret):
    response = signed_push(client, batch(snapshot(1, 5), code="stranger"), secret=secret, code="stranger")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "This installation is not a known source."
    assert response.headers["WWW-Authenticate"]
    assert _nothing_stored()
    log = ExchangeMessage.objects.get()
    assert (log.status, log.http_status, log.peer, log.payload) == ("refused", 401, "stranger", "")


@pytest.mark.parametrize("tamper", ["other secret", "changed body", "stale", "no signature"])
def test_a_bad_signature_is_refused_and_nothing_stored(client, secret, tamper):
    body = json.dumps(batch(snapshot(1, 5))).encode()
    if tamper == "other secret":
        response = signed_push(client, body, secret=new_secret())
    elif tamper == "changed body":
        signed = protocol.sign(secret, message_id="economy:1-2", body=body, at=timezone.now())
        response = client.post(PUSH_PATH, data=body.replace(b'"version": 5', b'"version": 9'),
                               content_type="application/json", headers={protocol.INSTALLATION_HEADER: CODE, **signed})
    elif tamper == "stale":
        response = signed_push(client, body, secret=secret, at=timezone.now() - timedelta(minutes=10))
    else:
        response = client.post(PUSH_PATH, data=body, content_type="application/json",
                               headers={protocol.INSTALLATION_HEADER: CODE})
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "The signature does not match this installation's secret."
    assert _nothing_stored()
    assert ExchangeMessage.objects.get().status == "refused"


def test_a_malformed_batch_is_refused_whole(client, secret):
    bad = snapshot(2, 5, deadline="первое апреля")
    response = signed_push(client, batch(snapshot(1, 5), bad), secret=secret)
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["orders"] == ["Field deadline: a date (YYYY-MM-DD) expected."]
    assert _nothing_stored()
    for body, field in ((b"not json", "non_field_errors"), (json.dumps({"orders": "x"}).encode(), "orders"),
                        (json.dumps(batch(snapshot(1, 5), snapshot(1, 6))).encode(), "orders"),
                        (json.dumps(batch(snapshot(1, 5, url="javascript:alert(1)"))).encode(), "orders")):
        response = signed_push(client, body, secret=secret)
        assert response.status_code == 400 and field in response.json()["error"]["fields"], body
    assert _nothing_stored()
    assert ExchangeMessage.objects.filter(status="refused", http_status=400).count() == 5


def test_a_batch_naming_another_installation_than_its_header_is_refused(client, secret):
    response = signed_push(client, batch(snapshot(1, 5), code="social"), secret=secret)
    assert response.status_code == 400
    assert _nothing_stored()


def test_a_body_over_the_cap_is_refused_before_it_is_read(client, secret, monkeypatch):
    monkeypatch.setattr(protocol, "MAX_BODY", 100)
    response = signed_push(client, batch(snapshot(1, 5)), secret=secret)
    assert response.status_code == 413
    assert _nothing_stored()


def test_more_than_the_batch_limit_is_refused(client, secret, monkeypatch):
    monkeypatch.setattr(protocol, "BATCH_ORDERS", 1)
    response = signed_push(client, batch(snapshot(1, 5), snapshot(2, 5)), secret=secret)
    assert response.status_code == 400
    assert _nothing_stored()


def test_the_endpoint_needs_no_csrf_token_nor_session(secret):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = signed_push(strict, batch(snapshot(1, 5)), secret=secret)
    assert response.status_code == 200


def test_the_service_refuses_a_source_the_settings_do_not_name(secret):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.batch_receive(source_code="stranger", batch=protocol.parse(json.dumps(batch()).encode()))
    assert _nothing_stored()
