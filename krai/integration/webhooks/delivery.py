"""Sending webhooks: due deliveries claimed one at a time, POSTed, and their outcome recorded.

Why a lease rather than a held row: an HTTP request may take up to ``KRAI_WEBHOOKS_TIMEOUT_SECONDS``, and no
transaction may stay open that long (on SQLite it would hold the one write lock of the installation). So a claim is
a short transaction — the row taken with ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL (SQLite's immediate
transactions serialise it), its attempt counted and its ``next_attempt_at`` moved a lease ahead — and the request
runs outside any transaction. A second worker skips the row while it is leased. The outcome is written only if the
row is still the one claimed (same status and attempt count), so a replay made meanwhile wins. A worker that dies
mid-request leaves the row to come due again after the lease; as the attempt was counted at the claim, a delivery
that kills its worker still ends dead at the limit. The lease outlasts the timeout, so a live sender is never
overtaken; were it ever, the receiver drops the second copy by ``webhook-id``.

Every attempt is a row of the exchange log (channel ``webhook``, direction ``out``) with the HTTP status, the
error and the body. A 2xx answer delivers; any other answer, a redirect (never followed), a timeout or a connection
error is retried after ``backoff(attempt)`` until ``KRAI_WEBHOOKS_MAX_ATTEMPTS``, then the delivery is **dead**
(the dead-letter list, replayed by an administrator). A disabled endpoint's deliveries wait, pending, until it is
enabled again.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from krai.core.events.models import Event
from krai.integration.models import Channel, Direction, ExchangeStatus
from krai.integration.services.exchange import record_exchange
from krai.integration.webhooks import messages
from krai.integration.webhooks.models import Delivery, DeliveryStatus, Endpoint

logger = logging.getLogger(__name__)

#: seconds to wait after the n-th failed attempt (the last figure repeats)
BACKOFF_SECONDS = (5, 60, 300, 1800, 7200, 21600, 43200, 86400)
ERROR_KEPT = 2000


def backoff(attempt: int) -> timedelta:
    """The wait after ``attempt`` failed attempts: 5 s, 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, then a day."""
    return timedelta(seconds=BACKOFF_SECONDS[min(max(attempt, 1), len(BACKOFF_SECONDS)) - 1])


def max_attempts() -> int:
    return int(settings.KRAI_WEBHOOKS_MAX_ATTEMPTS)


def timeout() -> float:
    return float(settings.KRAI_WEBHOOKS_TIMEOUT_SECONDS)


def lease() -> timedelta:
    """How long a claimed delivery is left to its sender: the request's timeout and a margin."""
    return timedelta(seconds=timeout() * 2 + 30)


@dataclass(frozen=True)
class Outcome:
    """What one request gave: delivered or not, the HTTP status (if an answer came) and the error."""

    ok: bool
    http_status: int | None
    error: str


@dataclass
class SendResult:
    delivered: int = 0
    retrying: int = 0
    dead: int = 0
    skipped: int = 0

    @property
    def attempted(self) -> int:
        return self.delivered + self.retrying + self.dead


def post(*, url: str, message_id: str, body: bytes, secrets_: list[str], kind: str, system: object | None,
         correlation: str = "") -> Outcome:
    """POST one signed message (no redirects followed) and log it in the exchange log, whatever happens."""
    started = time.monotonic()
    try:
        response = requests.post(url, data=body, timeout=timeout(), allow_redirects=False,
                                 headers=messages.headers(message_id=message_id, body=body, secrets_=secrets_))
    except requests.RequestException as exc:
        outcome = Outcome(ok=False, http_status=None, error=f"{type(exc).__name__}: {exc}"[:ERROR_KEPT])
    else:
        with response:
            if 200 <= response.status_code < 300:
                outcome = Outcome(ok=True, http_status=response.status_code, error="")
            else:
                answer = response.text[:500] if not 300 <= response.status_code < 400 else (
                    f"redirect to {response.headers.get('location', '')[:300]!r} (not followed)")
                outcome = Outcome(ok=False, http_status=response.status_code,
                                  error=f"HTTP {response.status_code}: {answer}"[:ERROR_KEPT])
    record_exchange(channel=Channel.WEBHOOK, direction=Direction.OUT, kind=kind, system=system, peer=url,
                    status=ExchangeStatus.OK if outcome.ok else ExchangeStatus.FAILED,
                    correlation_id=correlation or message_id, summary=f"{kind} → {url}"[:500], payload=body,
                    content_type="application/json", http_status=outcome.http_status, error=outcome.error,
                    started=started)
    return outcome


def _due(now: datetime):
    return Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now, endpoint__is_active=True,
                                   endpoint__system__is_active=True)


def claim(now: datetime) -> tuple[int, int] | None:
    """Take the next due delivery: count its attempt and lease it; returns (id, attempt) or None."""
    with transaction.atomic():
        row = (_due(now).select_for_update(skip_locked=True, of=("self",)).order_by("next_attempt_at", "id")
               .values_list("id", "attempts").first())
        if row is None:
            return None
        pk, attempts = row
        Delivery.objects.filter(pk=pk).update(attempts=F("attempts") + 1, next_attempt_at=now + lease(),
                                              last_attempt_at=now)
    return pk, attempts + 1


def send_one(delivery_id: int, attempt: int, now: datetime) -> str:
    """Send a claimed delivery and record its outcome; returns the ``SendResult`` counter it adds to."""
    delivery = Delivery.objects.select_related("endpoint__system").filter(pk=delivery_id).first()
    if delivery is None:
        return "skipped"
    endpoint = delivery.endpoint
    event = Event.objects.select_related("subject_type").get(pk=delivery.event_id)
    outcome = post(url=endpoint.url, message_id=delivery.message_id, body=messages.body_for(event),
                   secrets_=endpoint.signing_secrets(), kind=delivery.kind, system=endpoint.system)
    fields: dict[str, object] = {"last_http_status": outcome.http_status, "last_error": outcome.error}
    if outcome.ok:
        fields.update(status=DeliveryStatus.DELIVERED, delivered_at=now)
        counter = "delivered"
    elif attempt >= max_attempts():
        fields.update(status=DeliveryStatus.DEAD, dead_at=now)
        counter = "dead"
        logger.warning("Webhook %s to %s is dead after %s attempts", delivery.message_id, endpoint.url, attempt)
    else:
        fields.update(next_attempt_at=now + backoff(attempt))
        counter = "retrying"
    with transaction.atomic():
        # only the claimed state is overwritten: a replay made meanwhile keeps its fresh start
        written = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING,
                                          attempts=attempt).update(**fields)
    return counter if written else "skipped"


def send_due(*, limit: int = 200, now: datetime | None = None) -> SendResult:
    """Send due deliveries, one claim right before each request, at most ``limit``. ``now`` fixes the clock of
    the schedule (tests); the signature's timestamp is always the real moment of sending."""
    result = SendResult()
    while result.attempted + result.skipped < limit:
        moment = now or timezone.now()
        claimed = claim(moment)
        if claimed is None:
            break
        counter = send_one(*claimed, moment)
        setattr(result, counter, getattr(result, counter) + 1)
    return result


def ping(endpoint: Endpoint, *, now: datetime | None = None) -> tuple[str, Outcome]:
    """Send a ``webhook.test`` message to ``endpoint`` now (whether or not it is active); (message id, outcome)."""
    moment = now or timezone.now()
    message_id = f"msg_test_{endpoint.pk}_{int(time.time() * 1000)}"
    outcome = post(url=endpoint.url, message_id=message_id, body=messages.test_body(endpoint.pk, moment),
                   secrets_=endpoint.signing_secrets(), kind=messages.TEST_KIND, system=endpoint.system)
    return message_id, outcome


def _enqueue_send() -> None:
    from krai.integration.webhooks import tasks

    tasks.send_webhooks()


def schedule_send() -> None:
    """Queue a send once the current transaction commits (once per transaction)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(entry[1] is _enqueue_send for entry in connection.run_on_commit):
        return
    # robust: the change has committed; a queue that is down leaves the sending to the minute's sweep
    transaction.on_commit(_enqueue_send, robust=True)


def backlog() -> dict[str, int]:
    """Counts an operator watches."""
    return {"pending": Delivery.objects.filter(status=DeliveryStatus.PENDING).count(),
            "dead": Delivery.objects.filter(status=DeliveryStatus.DEAD).count()}
