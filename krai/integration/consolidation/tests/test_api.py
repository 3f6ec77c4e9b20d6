"""Consolidation's API with real tokens: the consolidated orders (paged, the page's filters) and the sources with
their counts, for controllers and administrators only; the services behind "push now" and "resend" refuse whom
they must and change nothing then; a change of an order queues one push."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from rest_framework.test import APIClient

from krai.accounts.tests.factories import make_token
from krai.core.events.models import Event
from krai.integration.consolidation import services, subscribers, tasks
from krai.integration.consolidation.models import ConsolidatedOrder, ConsolidationSource, PushCursor
from krai.integration.consolidation.tests.helpers import UPSTREAM, configure
from krai.integration.tests.factories import controller
from krai.org.models import Role
from krai.org.tests.factories import StaffFactory, assign

pytestmark = pytest.mark.django_db

ORDERS = "/api/v1/integration/consolidation/orders/"
SOURCES = "/api/v1/integration/consolidation/sources/"


@pytest.fixture
def held(db, settings):
    configure(settings, source=False)
    source = ConsolidationSource.objects.create(code="economy", name="Экономический блок")
    past, later = timezone.localdate() - timedelta(days=2), timezone.localdate() + timedelta(days=5)
    for n, (deadline, status, is_open) in enumerate([(past, "issued", True), (later, "in_progress", True),
                                                     (past, "done", False)], start=1):
        ConsolidatedOrder.objects.create(source=source, remote_id=n, number=f"2026-0000{n}", title=f"Поручение {n}",
                                         executor="Министерство экономики", deadline=deadline, status=status,
                                         is_open=is_open, version=n, snapshot={"co_executors": [{"name": "Минфин"}]})
    return source


def _api(user, scopes=("read",)) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(user, scopes=scopes)[1]}", HTTP_ACCEPT_LANGUAGE="en")
    return api


def test_a_controller_reads_the_consolidated_orders_with_filters(held):
    api = _api(controller())
    page = api.get(ORDERS).json()
    assert page["count"] == 3
    first = page["results"][0]
    assert {k: first[k] for k in ("source", "source_name", "remote_id", "number", "status", "open", "overdue",
                                  "co_executors")} == {
        "source": "economy", "source_name": "Экономический блок", "remote_id": 1, "number": "2026-00001",
        "status": "issued", "open": True, "overdue": True, "co_executors": ["Минфин"]}
    assert api.get(ORDERS, {"overdue": "true"}).json()["count"] == 1
    assert api.get(ORDERS, {"overdue": "false"}).json()["count"] == 2
    assert api.get(ORDERS, {"status": "open"}).json()["count"] == 2
    assert api.get(ORDERS, {"status": "done", "source": "economy"}).json()["count"] == 1
    assert api.get(ORDERS, {"source": "social"}).json()["count"] == 0
    assert api.get(ORDERS, {"q": "00002"}).json()["count"] == 1
    assert api.get(ORDERS, {"page_size": 1}).json()["next"]
    bad = api.get(ORDERS, {"status": "nonsense"})
    assert bad.status_code == 400 and "status" in bad.json()["error"]["fields"]


def test_the_sources_with_their_counts(held):
    data = _api(controller()).get(SOURCES).json()
    assert data == {"results": [{"code": "economy", "name": "Экономический блок", "configured": True,
                                 "last_received_at": None, "last_version": 0, "orders": 3, "open": 2,
                                 "overdue": 1}]}


@pytest.mark.parametrize("role", [None, Role.EXECUTOR, Role.HEAD, Role.VICE_GOVERNOR, Role.GOVERNOR])
def test_nobody_else_reads_them(held, role):
    user = StaffFactory()
    if role:
        assign(user, role)
    api = _api(user)
    for url in (ORDERS, SOURCES):
        response = api.get(url)
        assert response.status_code == 403
        assert response.json()["error"]["message"] == ("Consolidation is for the Department of Control and the "
                                                       "administrators.")


def test_the_anonymous_are_refused(held):
    assert APIClient().get(ORDERS).status_code in (401, 403)


def test_push_request_refusals_change_nothing(gov, settings):
    configure(settings, receiver=False)
    with pytest.raises(PermissionDenied):
        services.push_request(actor=gov.head)
    with pytest.raises(PermissionDenied):
        services.push_resend(actor=gov.outsider, mode="orders")
    with pytest.raises(ValidationError) as refused:
        services.push_resend(actor=gov.controller, mode="all of it")
    assert refused.value.message_dict == {"mode": ["Choose what to resend."]}
    settings.KRAI_CONSOLIDATION_SECRET = ""
    with pytest.raises(ValidationError):
        services.push_request(actor=gov.controller)
    assert not PushCursor.objects.exists()
    assert not Event.objects.filter(kind__startswith="consolidation.").exists()


def test_a_resend_of_every_order_starts_at_the_outbox_s_last_event(gov, settings):
    from krai.orders.tests.factories import issued_order

    configure(settings, receiver=False)
    issued_order(gov)
    cursor = services.push_resend(actor=gov.controller, mode="orders")
    last = Event.objects.exclude(kind__startswith="consolidation.").order_by("-id").first().pk
    assert (cursor.resend_version, cursor.resend_after, cursor.generation) == (last, 0, 1)
    event = Event.objects.get(kind="consolidation.resend_requested")
    assert event.payload == {"upstream": UPSTREAM, "mode": "orders", "version": last}


def test_a_change_of_an_order_queues_one_push(settings, monkeypatch, django_capture_on_commit_callbacks):
    configure(settings, receiver=False)
    queued = []
    monkeypatch.setattr(tasks, "request_push", lambda: queued.append(1))
    for kind, payload in (("orders.order_issued", {}), ("control.reported", {"kind": "order"}),
                          ("control.reported", {"kind": "problem"})):
        with django_capture_on_commit_callbacks(execute=True):
            subscribers.on_order_event(Event(kind=kind, payload=payload))
    assert len(queued) == 2


def test_request_push_queues_once_for_a_burst(settings, monkeypatch):
    configure(settings, receiver=False)
    scheduled = []
    monkeypatch.setattr(tasks.push_job, "schedule", lambda **kwargs: scheduled.append(kwargs))
    tasks.HUEY.get(tasks.QUEUED_KEY)
    for _ in range(5):
        tasks.request_push()
    assert scheduled == [{"kwargs": {"force": False}, "delay": 5}]
    tasks.HUEY.get(tasks.QUEUED_KEY)  # the job takes the mark when it runs: the next change queues again
    tasks.request_push()
    assert len(scheduled) == 2
    tasks.HUEY.get(tasks.QUEUED_KEY)
    settings.KRAI_CONSOLIDATION_UPSTREAM_URL = ""
    tasks.request_push()
    assert len(scheduled) == 2
