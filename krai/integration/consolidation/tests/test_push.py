"""The source side: the snapshot of an order, the batches read from the outbox after the cursor, the cursor moving
only on the receiver's acknowledgement, retries with back-off, resends, and skipped ids pushed when they commit."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
import requests
from django.utils import timezone

from krai.core.events.models import Event
from krai.integration.consolidation import protocol, pushing, services
from krai.integration.consolidation import snapshot as outbox
from krai.integration.consolidation.models import ConsolidatedOrder, PushCursor
from krai.integration.consolidation.tests.helpers import CODE, SITE, UPSTREAM, configure
from krai.integration.models import ExchangeMessage
from krai.orders.services import control, order_create
from krai.orders.tests.factories import issued_order

pytestmark = pytest.mark.django_db


def _latest_event(order) -> int:
    ids = [e.pk for e in Event.objects.all() if outbox.order_of(e.kind, e.subject_type_id, e.subject_id, e.payload,
                                                                outbox._order_type_id()) == order.pk]
    return max(ids)


def test_nothing_configured_is_idle(gov, settings):
    settings.KRAI_CONSOLIDATION_UPSTREAM_URL = ""
    issued_order(gov)
    assert pushing.push_some().state == "idle"
    assert not PushCursor.objects.exists()


def test_the_snapshot_holds_the_order_as_it_is_and_no_person(gov, settings):
    configure(settings)
    order = issued_order(gov, co_executors=[(gov.finance, gov.finance_head)])
    control.control_report(actor=gov.head, assignment=order.assignment, text="Исполнено частично")
    [snap] = outbox.snapshots({order.pk: 77})
    root = order.assignment
    root.refresh_from_db()
    assert snap == {
        "id": order.pk, "version": 77, "number": order.number, "title": "Обеспечить ремонт поликлиник",
        "issued_on": root.issued_on.isoformat(),
        "lead_executor": {"name": gov.health.name, "code": gov.health.code},
        "co_executors": [{"name": gov.finance.name, "code": gov.finance.code}],
        "deadline": root.deadline.isoformat(), "status": "reported", "open": True, "closed_on": None,
        "overdue": False, "last_report_on": timezone.localdate().isoformat(),
        "url": f"{SITE}/workspace/orders/order/{order.pk}/"}
    text = str(snap)
    for person in (gov.head, gov.finance_head, gov.governor):
        assert person.surname not in text and person.email not in text


def test_drafts_stay_home_and_a_closed_order_says_when(gov, settings):
    configure(settings)
    draft = order_create(actor=gov.governor, title="Черновик", text="Текст", lead_organisation=gov.health,
                         controller_organisation=gov.control, working_days=5)
    order = issued_order(gov)
    control.control_report(actor=gov.head, assignment=order.assignment, text="Готово")
    control.control_accept(actor=gov.governor, assignment=order.assignment)
    snaps = outbox.snapshots({draft.pk: 1, order.pk: 2})
    assert [s["id"] for s in snaps] == [order.pk]
    assert snaps[0]["status"] == "done" and snaps[0]["open"] is False
    assert snaps[0]["closed_on"] == timezone.localdate().isoformat()


def test_a_push_sends_each_changed_order_once_with_its_latest_version(gov, settings, loopback):
    configure(settings)
    orders = [issued_order(gov) for _ in range(3)]
    order_create(actor=gov.governor, title="Черновик", text="Текст", lead_organisation=gov.health,
                 controller_organisation=gov.control, working_days=5)
    last = Event.objects.order_by("-id").first().pk
    result = pushing.push_some()
    assert (result.state, result.orders, result.accepted, result.ignored) == ("sent", 3, 3, 0)
    [call] = loopback.calls
    first = min(e.pk for e in Event.objects.filter(kind__startswith=("orders.")))
    assert call["headers"]["webhook-id"] == f"{CODE}:{first}-{last}"
    assert call["headers"][protocol.INSTALLATION_HEADER] == CODE
    assert call["body"]["installation"] == {"code": CODE, "name": "Экономический блок", "url": SITE}
    held = {o.remote_id: o.version for o in ConsolidatedOrder.objects.all()}
    assert held == {o.pk: _latest_event(o) for o in orders}
    cursor = PushCursor.objects.get(upstream=UPSTREAM)
    assert (cursor.last_event_id, cursor.failures, cursor.orders_sent, cursor.batches_sent) == (last, 0, 3, 1)
    assert pushing.push_some().state == "nothing"
    assert len(loopback.calls) == 1
    out = ExchangeMessage.objects.get(direction="out")
    assert (out.channel, out.status, out.http_status, out.correlation_id) == ("consolidation", "ok", 200,
                                                                            f"{CODE}:{first}-{last}")
    assert ExchangeMessage.objects.get(direction="in").status == "ok"


def test_a_change_of_status_goes_as_a_newer_version(gov, settings, loopback):
    configure(settings)
    order = issued_order(gov)
    pushing.push_some()
    control.control_report(actor=gov.head, assignment=order.assignment, text="Отчёт")
    result = pushing.push_some()
    assert (result.accepted, result.ignored) == (1, 0)
    held = ConsolidatedOrder.objects.get(remote_id=order.pk)
    assert (held.status, held.version) == ("reported", _latest_event(order))
    assert held.last_report_on == timezone.localdate()


def test_batches_hold_at_most_the_limit_and_follow_each_other(gov, settings, loopback, monkeypatch):
    configure(settings)
    monkeypatch.setattr(protocol, "BATCH_ORDERS", 2)
    orders = [issued_order(gov) for _ in range(5)]
    result = pushing.push_some()
    assert (result.state, result.more) == ("sent", False)
    assert [len(c["body"]["orders"]) for c in loopback.calls] == [2, 2, 1]
    ranges = [c["headers"]["webhook-id"].split(":")[1].split("-") for c in loopback.calls]
    assert all(int(a[1]) < int(b[0]) for a, b in itertools.pairwise(ranges))
    assert ConsolidatedOrder.objects.count() == len(orders)


def test_a_failed_push_leaves_the_cursor_and_waits_longer_each_time(gov, settings, loopback):
    configure(settings)
    issued_order(gov)
    loopback.fail_with = 503
    before = timezone.now()
    first = pushing.push_some()
    cursor = PushCursor.objects.get()
    assert (first.state, first.retry_in) == ("failed", 5)
    assert (cursor.last_event_id, cursor.failures) == (0, 1)
    assert "HTTP 503" in cursor.last_error
    assert before + timedelta(seconds=4) < cursor.next_attempt_at < timezone.now() + timedelta(seconds=6)
    assert pushing.push_some().state == "waiting"  # the back-off is respected …
    loopback.raise_error = requests.ConnectionError("connection refused")
    second = pushing.push_some(force=True)  # … unless forced ("push now", a restart)
    cursor.refresh_from_db()
    assert (second.retry_in, cursor.failures, cursor.last_event_id) == (10, 2, 0)
    assert "ConnectionError" in cursor.last_error
    assert not ConsolidatedOrder.objects.exists()
    failed = ExchangeMessage.objects.filter(direction="out", status="failed")
    assert failed.count() == 2 and failed.filter(http_status=503).exists()
    loopback.fail_with = loopback.raise_error = None
    assert pushing.push_some(force=True).state == "sent"
    cursor.refresh_from_db()
    assert (cursor.failures, cursor.last_error, cursor.next_attempt_at) == (0, "", None)
    assert cursor.last_event_id == Event.objects.filter(kind__startswith="orders.").order_by("-id").first().pk


def test_a_2xx_that_is_not_the_receivers_answer_is_a_failure(gov, settings, loopback):
    configure(settings)
    issued_order(gov)
    loopback.fail_with = 200  # a proxy's page, say
    assert pushing.push_some().state == "failed"
    assert PushCursor.objects.get().last_event_id == 0


def test_a_batch_sent_twice_changes_nothing(gov, settings, loopback):
    configure(settings)
    orders = [issued_order(gov) for _ in range(2)]
    pushing.push_some()
    held = list(ConsolidatedOrder.objects.order_by("pk").values_list("remote_id", "version", "received_at"))
    services.push_resend(actor=gov.controller, mode="events")
    result = pushing.push_some()
    assert (result.accepted, result.ignored) == (0, 2)
    assert list(ConsolidatedOrder.objects.order_by("pk").values_list("remote_id", "version", "received_at")) == held
    assert ConsolidatedOrder.objects.count() == len(orders)


def test_a_resend_of_every_order_as_it_is(gov, settings, loopback):
    configure(settings)
    orders = [issued_order(gov) for _ in range(3)]
    pushing.push_some()
    ConsolidatedOrder.objects.filter(remote_id=orders[0].pk).delete()  # the receiver lost one
    services.push_resend(actor=gov.controller, mode="orders")
    pushing.push_some()
    resend = loopback.calls[-1]
    last = Event.objects.filter(kind="orders.order_issued").order_by("-id").first().pk
    assert resend["headers"]["webhook-id"].startswith(f"{CODE}:orders-")
    assert {o["id"] for o in resend["body"]["orders"]} == {o.pk for o in orders}
    assert ConsolidatedOrder.objects.count() == 3
    assert ConsolidatedOrder.objects.get(remote_id=orders[0].pk).version >= last
    cursor = PushCursor.objects.get()
    assert cursor.resend_version is None


def test_other_areas_events_move_the_cursor_without_a_request(gov, settings, loopback):
    configure(settings)
    from django.db import transaction

    from krai.core.events.services import record_event

    with transaction.atomic():
        record_event(kind="social.post_published", payload={"kind": "post"})
        record_event(kind="control.opened", payload={"kind": "problem", "subject_type": "problems.problem",
                                                     "subject_id": "1"})
    assert pushing.push_some().state == "nothing"
    assert not loopback.calls
    assert PushCursor.objects.get().last_event_id == Event.objects.order_by("-id").first().pk


def test_an_id_skipped_while_its_transaction_was_open_is_pushed_when_it_commits(gov, settings, loopback):
    """Ids are taken before commit: a reader can see 11 before 10 commits. The skipped 10 is kept in view."""
    configure(settings)
    early, late = issued_order(gov), issued_order(gov)
    pushing.push_some()
    # the outbox as a reader saw it while another transaction held the next ids: a gap, then a later event
    # (ids far above the sequence, so the rows the test writes next cannot take them)
    base = Event.objects.order_by("-id").first().pk + 500
    Event.objects.create(id=base + 3, kind="social.post_published", payload={})
    pushing.push_some()
    cursor = PushCursor.objects.get()
    assert cursor.last_event_id == base + 3
    assert [int(pk) for pk, _seen in cursor.gaps][-2:] == [base + 1, base + 2]
    # the open transaction commits: its event about ``early`` has id base + 1, below the cursor
    Event.objects.create(id=base + 1, kind="orders.order_updated", subject_type_id=outbox._order_type_id(),
                         subject_id=str(early.pk), payload={})
    result = pushing.push_some()
    assert (result.state, result.accepted) == ("sent", 1)
    assert ConsolidatedOrder.objects.get(remote_id=early.pk).version == base + 1
    assert loopback.calls[-1]["headers"]["webhook-id"].startswith(f"{CODE}:{base + 1}-")
    assert base + 2 in [int(pk) for pk, _seen in PushCursor.objects.get().gaps]
    assert base + 1 not in [int(pk) for pk, _seen in PushCursor.objects.get().gaps]
    assert ConsolidatedOrder.objects.get(remote_id=late.pk).version < base


def test_a_gap_is_forgotten_after_an_hour(gov, settings):
    configure(settings)
    old = (timezone.now() - timedelta(hours=2)).timestamp()
    reading = outbox.read_outbox(after=0, gaps=[[999_999, old]], limit=200)
    assert reading.gaps == []
