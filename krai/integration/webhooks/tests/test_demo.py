"""Webhooks' demo: two endpoints of the demo systems at the discard port, a few dead deliveries with their attempts
in the exchange log; nothing is sent while loading, and a second run adds nothing."""

from __future__ import annotations

import io

import pytest
import requests
from django.core.management import call_command

from krai.core.events import dispatch
from krai.integration.models import ExchangeMessage
from krai.integration.webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db


def test_the_demo_makes_endpoints_and_dead_letters_without_sending(monkeypatch) -> None:
    def no_request(*args, **kwargs):
        raise AssertionError("the demo sent a request")

    monkeypatch.setattr(requests, "post", no_request)
    call_command("demo", only=["krai.integration.webhooks.demo"], stdout=io.StringIO())  # nothing to subscribe yet
    assert not Endpoint.objects.exists()
    call_command("demo", only=["krai.org.demo", "krai.orders.demo", "krai.integration.demo",
                               "krai.integration.webhooks.demo"], stdout=io.StringIO())
    endpoints = {e.system.code: e for e in Endpoint.objects.select_related("system")}
    assert set(endpoints) == {"ais-health", "krai-control"}
    assert all(e.url.startswith("http://127.0.0.1:9/") for e in endpoints.values())
    assert endpoints["ais-health"].organisation.code == "health"
    dead = Delivery.objects.filter(status="dead")
    assert dead.count() == 15 and not Delivery.objects.exclude(status="dead").exists()
    dispatch.deliver_pending()  # the fan-out of the demo's events finds their deliveries there
    assert Delivery.objects.count() == 15 and not Delivery.objects.exclude(status="dead").exists()
    row = dead.first()
    attempts = ExchangeMessage.objects.filter(channel="webhook", correlation_id=row.message_id)
    assert attempts.count() == row.attempts and set(attempts.values_list("status", flat=True)) == {"failed"}
    counts = (Endpoint.objects.count(), Delivery.objects.count(), ExchangeMessage.objects.count())
    call_command("demo", only=["krai.integration.webhooks.demo"], stdout=io.StringIO())
    assert (Endpoint.objects.count(), Delivery.objects.count(), ExchangeMessage.objects.count()) == counts
