"""Test data of webhooks: an endpoint made through the service, a sent-and-settled clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from krai.core.events import dispatch
from krai.integration.models import ExternalSystem
from krai.integration.tests.factories import administrator, external_system
from krai.integration.webhooks import delivery
from krai.integration.webhooks.models import Endpoint
from krai.integration.webhooks.services.endpoints import endpoint_create


def endpoint(*, system: ExternalSystem | None = None, actor: Any = None, url: str = "http://127.0.0.1:9/hooks",
             kinds: Any = ("*",), **fields: Any) -> Endpoint:
    return endpoint_create(actor=actor or administrator(), system=system or external_system(), url=url,
                           event_kinds=list(kinds), **fields)


def dispatch_events() -> None:
    """The outbox's dispatcher runs (the fan-out to endpoints is one of its subscribers)."""
    dispatch.deliver_pending()


def exhaust(*, start: datetime | None = None, rounds: int = 20) -> datetime:
    """Send due deliveries over and over, a day later each round (past every back-off), until nothing is pending;
    returns the last moment used."""
    moment = start or timezone.now()
    for _ in range(rounds):
        result = delivery.send_due(now=moment)
        if not result.attempted and not delivery.backlog()["pending"]:
            break
        moment += timedelta(days=1)
    return moment
