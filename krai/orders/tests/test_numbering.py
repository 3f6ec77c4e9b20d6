"""Order numbers under concurrency: clients creating orders at the same moment all succeed, numbered in a row.

The threads open their own database connections, so the test needs a database several sessions can share:
PostgreSQL, or SQLite in a file (``KRAI_TEST_SQLITE_FILE=1``); SQLite's in-memory test database is one
connection's alone.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection
from rest_framework.test import APIClient

from krai.core.tests.concurrency import at_once
from krai.orders.models import Order
from krai.orders.services import order_create
from krai.orders.services import orders as order_services
from krai.orders.tests.factories import TODAY, government

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _shared_database():
    # asked once the test database is set up (at collection the connection still names the real one)
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need a shared database (PostgreSQL, or SQLite in a file: KRAI_TEST_SQLITE_FILE=1)")


@pytest.fixture
def slow_transactions(monkeypatch):
    """Hold each order's transaction open a moment after its number is taken, so the clients overlap
    however the threads are scheduled (without it the race is there, only less certain to show)."""
    real = order_services.record_event

    def record_event_slowly(**kwargs):
        time.sleep(0.3)
        return real(**kwargs)

    monkeypatch.setattr(order_services, "record_event", record_event_slowly)


def test_orders_created_at_once_get_distinct_consecutive_numbers(slow_transactions):
    gov = government()
    Order.objects.create(number=f"{TODAY.year}-00007", title="Старое", text="Старое", issuer=gov.governor,
                         controller_organisation=gov.control, lead_organisation=gov.health)

    def by_service():
        return order_create(actor=gov.governor, title="Параллельно", text="Текст", lead_organisation=gov.health,
                            controller_organisation=gov.control).number

    def by_api():
        client = APIClient()
        client.force_authenticate(gov.governor)
        response = client.post("/api/v1/orders/orders/", {
            "title": "Через API", "text": "Текст", "lead_organisation": gov.health.pk,
            "controller_organisation": gov.control.pk}, format="json")
        return response.json()["number"] if response.status_code == 201 else response.status_code

    outcomes = at_once(by_service, by_service, by_service, by_service, by_api)
    assert all(isinstance(o, str) for o in outcomes), outcomes
    # numbering goes on after the highest number of the year, without gaps or repeats
    assert sorted(outcomes) == [f"{TODAY.year}-{n:05d}" for n in range(8, 13)]
    assert Order.objects.count() == 6
