"""Webhooks' demo (after the registered systems of ``krai.integration.demo``): the Ministry of Health's management
system subscribed to the ministry's orders and assignments, and the Department of Control's installation to every
order, assignment and problem of the region — both at ``http://127.0.0.1:9/…`` (the discard port: nothing listens),
so the pages show what an unreachable receiver looks like: three orders to the ministry issued through the orders'
services, each message of theirs given up after every attempt, in the dead-letter list with its attempts in the
exchange log.

Nothing is sent while loading: the endpoints are made through the service (a new endpoint receives only events that
happen after it, so the demo's own past is not fanned out to it), and the dead deliveries are written as they would
stand after their attempts — the dispatcher's fan-out later finds them and adds nothing. Idempotent: endpoints by
(system, URL); the orders and deliveries only while the endpoints have no delivery.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any, TextIO

from django.utils import timezone

from krai.core.demo import demo_loader
from krai.core.events.models import Event
from krai.integration.models import Channel, Direction, ExchangeMessage, ExchangeStatus, ExternalSystem
from krai.integration.webhooks import messages
from krai.integration.webhooks.delivery import BACKOFF_SECONDS
from krai.integration.webhooks.matching import endpoints_for
from krai.integration.webhooks.models import Delivery, DeliveryStatus, Endpoint, EndpointScope
from krai.integration.webhooks.services.endpoints import endpoint_create
from krai.orders.services.control import quiet
from krai.orders.services.orders import order_create, order_issue
from krai.org.models import Organisation, User

ADMIN = "admin@demo.krai"
ENDPOINTS = [
    {"system": "ais-health", "url": "http://127.0.0.1:9/ais-health/krai-webhooks",
     "description": "Поручения министерства и ход их исполнения для АИС «Здравоохранение Кубани»",
     "kinds": ["orders.order_issued", "control.*"], "scope": EndpointScope.ORGANISATION, "organisation": "health",
},
    {"system": "krai-control", "url": "http://127.0.0.1:9/krai-control/webhooks",
     "description": "Все поручения, их исполнение и обращения граждан — для сводной установки Департамента контроля",
     "kinds": ["orders.*", "control.*", "problems.*"], "scope": EndpointScope.REGION},
]
REFUSED = "ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded (Connection refused)"


def _endpoint(spec: dict[str, Any], admin: User) -> Endpoint | None:
    system = ExternalSystem.objects.filter(code=spec["system"]).first()
    if system is None:
        return None
    existing = Endpoint.objects.filter(system=system, url=spec["url"]).first()
    if existing is not None:
        return existing
    organisation = None
    if spec["scope"] == EndpointScope.ORGANISATION:
        organisation = Organisation.objects.filter(code=spec["organisation"]).first()
        if organisation is None:
            return None
    return endpoint_create(actor=admin, system=system, url=spec["url"], description=spec["description"],
                           event_kinds=spec["kinds"], scope=spec["scope"], organisation=organisation)


ORDERS = [
    ("health", "Обеспечить бесперебойную работу информационной системы записи к врачу в районных больницах"),
    ("health", "Представить график капитального ремонта фельдшерско-акушерских пунктов на следующий год"),
    ("health", "Организовать выездные приёмы врачей-специалистов в отдалённых поселениях"),
]


def _issue_orders(admin: User, rng: random.Random) -> list[Event]:
    """Orders issued "while the receivers were down" (the orders' demo writes its rows without events); returns the
    events their issue recorded."""
    governor = User.objects.filter(email="governor@demo.krai").first()
    control = Organisation.objects.filter(code="control").first()
    if governor is None or control is None:
        return []
    first = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with quiet():
        for code, title in ORDERS:
            lead = Organisation.objects.filter(code=code).first()
            if lead is None:
                continue
            order = order_create(actor=governor, title=title, text=f"{title}. Доложить о выполнении.",
                                 lead_organisation=lead, controller_organisation=control,
                                 working_days=rng.choice([10, 15, 20]))
            order_issue(actor=governor, order=order)
    return list(Event.objects.filter(id__gt=first).select_related("subject_type").order_by("id"))


def _attempt_moments(start: datetime, end: datetime) -> list[datetime]:
    """The attempts of a dead delivery, spaced like the back-off but fitted between ``start`` and ``end``."""
    offsets = [0]
    for wait in BACKOFF_SECONDS[:len(BACKOFF_SECONDS) - 1]:
        offsets.append(offsets[-1] + wait)
    span = max((end - start).total_seconds(), 0.0)
    scale = min(1.0, span / offsets[-1]) if offsets[-1] else 1.0
    return [start + timedelta(seconds=offset * scale) for offset in offsets]


def _dead(events: list[Event], rng: random.Random) -> int:
    """A dead delivery of each event to every endpoint it goes to, with its attempts in the exchange log; the
    dispatcher's fan-out of these events later finds them there and adds nothing."""
    made = 0
    now = timezone.now()
    for event in events:
        for endpoint in endpoints_for(event):
            moments = _attempt_moments(event.occurred_at, now)
            row, created = Delivery.objects.get_or_create(endpoint=endpoint, event=event, defaults={
                "kind": event.kind, "status": DeliveryStatus.DEAD, "attempts": len(moments),
                "next_attempt_at": moments[-1], "last_attempt_at": moments[-1], "last_error": REFUSED,
                "dead_at": moments[-1], "created_at": event.occurred_at})
            if not created:
                continue
            body = messages.body_for(event).decode("utf-8")
            ExchangeMessage.objects.bulk_create([ExchangeMessage(
                system=endpoint.system, peer=endpoint.url, channel=Channel.WEBHOOK, direction=Direction.OUT,
                kind=event.kind, status=ExchangeStatus.FAILED, correlation_id=row.message_id,
                summary=f"{event.kind} → {endpoint.url}", content_type="application/json", payload=body,
                payload_size=len(body.encode("utf-8")), error=REFUSED, duration_ms=rng.randint(1, 4),
                created_at=moment) for moment in moments])
            made += 1
    return made


@demo_loader(order=91)
def load_webhooks(*, scale: int, stdout: TextIO, rng: random.Random) -> list[str]:
    admin = User.objects.filter(email=ADMIN).first()
    if admin is None or not ExternalSystem.objects.exists():
        stdout.write("  webhooks: skipped (no administrator or no registered systems)\n")
        return []
    endpoints = [endpoint for spec in ENDPOINTS if (endpoint := _endpoint(spec, admin)) is not None]
    dead = 0
    if endpoints and not Delivery.objects.filter(endpoint__in=endpoints).exists():
        dead = _dead(_issue_orders(admin, rng), rng)
    stdout.write(f"  webhooks: {len(endpoints)} endpoints, {dead} dead deliveries added\n")
    return []
