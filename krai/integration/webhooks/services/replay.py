"""Replaying webhooks: dead deliveries (one, several chosen, or all of an endpoint) and everything an endpoint was
sent since a moment (delivered ones too — after a receiver lost its data). A replayed delivery is pending again
with its attempts reset and due at once, under **the same message id**: the receiver deduplicates by
``webhook-id``, so a message it already has is not taken twice. One ``webhooks.deliveries_replayed`` event per
endpoint touched, naming the deliveries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.integration.webhooks import delivery
from krai.integration.webhooks.models import Delivery, DeliveryStatus, Endpoint
from krai.integration.webhooks.policy import require_manager

__all__ = ["deliveries_replay", "endpoint_replay_dead", "endpoint_replay_since"]

#: the ids named in one event (a replay of thousands names its count, and the first ones)
IDS_IN_EVENT = 200
MAX_SELECTED = 1000
EVER = datetime(1900, 1, 1, tzinfo=UTC)


def _replay(actor: Any, rows: QuerySet[Delivery], *, how: str, since: datetime | None = None) -> int:
    """Reset ``rows`` to pending (locked first), and record an event per endpoint; returns how many."""
    now = timezone.now()
    locked = list(rows.select_for_update().order_by("id").values_list("id", "endpoint_id"))
    if not locked:
        return 0
    by_endpoint: dict[int, list[int]] = defaultdict(list)
    for pk, endpoint_id in locked:
        by_endpoint[endpoint_id].append(pk)
    Delivery.objects.filter(pk__in=[pk for pk, _e in locked]).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now, dead_at=None, delivered_at=None,
        replays=F("replays") + 1)
    for endpoint in Endpoint.objects.filter(pk__in=by_endpoint).order_by("pk"):
        ids = by_endpoint[endpoint.pk]
        record_event(kind="webhooks.deliveries_replayed", actor=actor, subject=endpoint, payload={
            "endpoint_id": endpoint.pk, "how": how, "count": len(ids), "delivery_ids": ids[:IDS_IN_EVENT],
            "since": since.isoformat() if since else None})
    delivery.schedule_send()
    return len(locked)


@transaction.atomic
def deliveries_replay(*, actor: Any, deliveries: Iterable[int | Delivery]) -> int:
    """Replay the chosen dead deliveries (ids or rows); those not dead are left alone. Returns how many."""
    require_manager(actor)
    ids = sorted({item.pk if isinstance(item, Delivery) else int(item) for item in deliveries})
    ids = [pk for pk in ids if 0 < pk < 2**31]  # no row has any other id
    if not ids:
        raise ValidationError({"deliveries": _("Choose the deliveries to replay.")}, code="required")
    if len(ids) > MAX_SELECTED:
        raise ValidationError({"deliveries": _("At most %(n)s deliveries at once.") % {"n": MAX_SELECTED}},
                              code="too_many")
    return _replay(actor, Delivery.objects.filter(pk__in=ids, status=DeliveryStatus.DEAD), how="selected")


@transaction.atomic
def endpoint_replay_dead(*, actor: Any, endpoint: Endpoint) -> int:
    """Replay every dead delivery of ``endpoint``; returns how many."""
    require_manager(actor)
    return _replay(actor, Delivery.objects.filter(endpoint=endpoint, status=DeliveryStatus.DEAD), how="dead")


@transaction.atomic
def endpoint_replay_since(*, actor: Any, endpoint: Endpoint, since: datetime) -> int:
    """Send again everything of ``endpoint`` whose event happened at or after ``since``, delivered or dead
    (pending ones are on their way anyway); returns how many."""
    require_manager(actor)
    if not isinstance(since, datetime):
        raise ValidationError({"since": _("Enter a valid date and time.")}, code="invalid")
    if timezone.is_naive(since):
        since = timezone.make_aware(since)
    since = max(since, EVER)  # earlier is as good as "ever", and stays safe to move to UTC
    if since > timezone.now():
        raise ValidationError({"since": _("The moment is in the future.")}, code="future")
    rows = Delivery.objects.filter(endpoint=endpoint, event__occurred_at__gte=since,
                                   status__in=[DeliveryStatus.DELIVERED, DeliveryStatus.DEAD])
    return _replay(actor, rows, how="since", since=since)
