"""Reads of webhooks shared by the pages and the API: endpoints with their counts, an endpoint's deliveries, the
dead letters with their filters, a delivery's attempts (rows of the exchange log under its message id).

Webhooks are the administrators' business: every read here refuses anyone else (``PermissionDenied``), and a
missing row is a 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from krai.integration.models import Channel, ExchangeMessage, ExternalSystem
from krai.integration.webhooks.models import Delivery, DeliveryStatus, Endpoint
from krai.integration.webhooks.policy import require_manager


def endpoint_list(user: Any) -> QuerySet[Endpoint]:
    """Every endpoint with its pending and dead counts, by system."""
    require_manager(user)
    return (Endpoint.objects.select_related("system", "organisation", "municipality", "block")
            .annotate(pending=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.PENDING)),
                      dead=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DEAD)))
            .order_by("system__name", "id"))


def endpoint_get(user: Any, pk: Any) -> Endpoint:
    require_manager(user)
    if not str(pk).isdigit():
        raise Http404
    endpoint = endpoint_list(user).filter(pk=pk).first()
    if endpoint is None:
        raise Http404
    return endpoint


def systems(user: Any) -> QuerySet[ExternalSystem]:
    """The systems an endpoint may be made for: the registered active ones."""
    require_manager(user)
    return ExternalSystem.objects.filter(is_active=True).order_by("name")


def deliveries_of(user: Any, endpoint: Endpoint, *, status: str = "") -> QuerySet[Delivery]:
    require_manager(user)
    rows = Delivery.objects.filter(endpoint=endpoint).select_related("event")
    if status in DeliveryStatus.values:
        rows = rows.filter(status=status)
    return rows.order_by("-created_at", "-id")


@dataclass(frozen=True)
class DeadFilter:
    """The dead-letter list's filters: the endpoint, a kind (or a prefix ending in ``*``), a period of the event."""

    endpoint: Endpoint | None = None
    kind: str = ""
    since: date | None = None
    until: date | None = None


#: dates outside these are taken as these (an aware midnight of year 1 would not survive the move to UTC)
EARLIEST, LATEST = date(1900, 1, 1), date(9000, 12, 31)


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(min(max(day, EARLIEST), LATEST), time.min))


def _end(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(min(max(day, EARLIEST), LATEST), time.max))


def deliveries(user: Any, filters: DeadFilter | None = None, *, status: str = "") -> QuerySet[Delivery]:
    """Deliveries of every endpoint (or the filtered one) by status, kind and the event's dates, the latest
    first."""
    require_manager(user)
    filters = filters or DeadFilter()
    rows = Delivery.objects.select_related("endpoint__system", "event")
    if status in DeliveryStatus.values:
        rows = rows.filter(status=status)
    if filters.endpoint is not None:
        rows = rows.filter(endpoint=filters.endpoint)
    kind = filters.kind.strip()
    if kind.endswith("*"):
        rows = rows.filter(kind__startswith=kind[:-1])
    elif kind:
        rows = rows.filter(kind=kind)
    if filters.since:
        rows = rows.filter(event__occurred_at__gte=_start(filters.since))
    if filters.until:
        rows = rows.filter(event__occurred_at__lte=_end(filters.until))
    return rows.order_by("-created_at", "-id")


def dead_letters(user: Any, filters: DeadFilter | None = None) -> QuerySet[Delivery]:
    """Dead deliveries, the latest given up first."""
    return deliveries(user, filters, status=DeliveryStatus.DEAD).order_by("-dead_at", "-id")


def delivery_get(user: Any, pk: Any) -> Delivery:
    require_manager(user)
    if not str(pk).isdigit():
        raise Http404
    row = Delivery.objects.select_related("endpoint__system", "event").filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


def attempts_of(user: Any, delivery: Delivery) -> QuerySet[ExchangeMessage]:
    """Each attempt to send ``delivery`` (replays included), the latest first, from the exchange log."""
    require_manager(user)
    return ExchangeMessage.objects.filter(channel=Channel.WEBHOOK, correlation_id=delivery.message_id).order_by(
        "-created_at", "-id")


def counts(user: Any) -> dict[str, int]:
    """Pending and dead deliveries over every endpoint (the list's heading)."""
    require_manager(user)
    row = Delivery.objects.aggregate(pending=Count("id", filter=Q(status=DeliveryStatus.PENDING)),
                                     dead=Count("id", filter=Q(status=DeliveryStatus.DEAD)))
    return {"pending": row["pending"] or 0, "dead": row["dead"] or 0}
