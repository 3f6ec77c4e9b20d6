"""Delivery of events to subscribers: the outbox's other half.

Two steps, each in short transactions so that several workers can run side by side (rows are taken
with ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite runs one writer at a time anyway):

1. **fan-out** — an undispatched event gets one ``EventDelivery`` per matching subscriber;
2. **delivery** — a due pending delivery is *claimed* (its attempt counted, and a short lease set so
   that other workers leave it alone), then at once its handler runs in a transaction that holds the
   delivery's row and also marks it done. A worker that dies mid-handler rolls back both; the lease
   expires within seconds and another run retries it. Because the attempt was counted at the claim, a
   handler that kills its worker every time still stops at the attempt limit.

Why a short lease and no heartbeat: the lease only has to cover the moment between the claim's commit
and the handler's transaction taking the row (deliveries are claimed one at a time, right before they
run). While a handler works, its transaction holds the row itself — ``FOR UPDATE`` on PostgreSQL, which
every other claim skips (``SKIP LOCKED``) however old the lease; on SQLite, the database's one write
lock — so a slow handler that is alive is never taken over, and the lock dies with a dead worker's connection.
A heartbeat renewing a lease would need a second connection writing beside the handler's transaction,
which SQLite cannot do while that transaction is open.

``schedule_after_commit`` (called by ``record_event``) enqueues the Huey job once per transaction,
after commit; a periodic job sweeps whatever a dead worker left behind.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from krai.core.events import registry
from krai.core.events.models import Event, EventDelivery

logger = logging.getLogger(__name__)

_state = threading.local()

FAN_OUT_BATCH = 200
CLAIM_BATCH = 50


def max_attempts() -> int:
    return int(getattr(settings, "KRAI_EVENTS_MAX_ATTEMPTS", 8))


def lease_seconds() -> int:
    """How long a claimed delivery whose handler has not taken its row yet is left to its worker (seconds);
    after a worker's death, the bound on how long its delivery waits for another run."""
    return int(getattr(settings, "KRAI_EVENTS_LEASE_SECONDS", 10))


def backoff(attempt: int) -> timedelta:
    """Delay before the next try after ``attempt`` failed tries: 30 s, 1 min, 2 min … at most 6 h."""
    base = int(getattr(settings, "KRAI_EVENTS_RETRY_SECONDS", 30))
    return timedelta(seconds=min(base * 2 ** max(attempt - 1, 0), 6 * 3600))


@dataclass
class DispatchResult:
    """What one run of the dispatcher did."""

    fanned_out: int = 0
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0

    @property
    def attempted(self) -> int:
        return self.delivered + self.retrying + self.failed

    def __str__(self) -> str:
        return (f"{self.fanned_out} events fanned out, {self.delivered} deliveries done, "
                f"{self.retrying} to retry, {self.failed} failed")


# --- scheduling -----------------------------------------------------------------------------------

def schedule_after_commit() -> None:
    """Ask the worker to deliver pending events once the current transaction commits.

    Called by ``record_event``; many events in one transaction enqueue one job. Inside a running
    dispatcher (a handler that records events) nothing is enqueued: the running loop picks them up.
    """
    if getattr(_state, "dispatching", False):
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _enqueue()
        return
    if any(entry[1] is _enqueue for entry in connection.run_on_commit):
        return
    # robust: the change has committed; a queue that is down must not turn it into an error
    # (the periodic sweep delivers the event later).
    transaction.on_commit(_enqueue, robust=True)


def _enqueue() -> None:
    from krai.core.events import tasks

    tasks.deliver_events()


# --- the dispatcher -------------------------------------------------------------------------------

def deliver_pending(*, limit: int = 1000, now: datetime | None = None) -> DispatchResult:
    """Fan out undispatched events and run due deliveries, at most ``limit`` handler runs.

    ``now`` fixes the clock (tests, an operator retrying leased rows); by default the real time.
    Events recorded by handlers during the run are delivered by the same run, without recursion.
    """
    result = DispatchResult()
    if getattr(_state, "dispatching", False):
        return result
    clock: Callable[[], datetime] = (lambda: now) if now is not None else timezone.now
    _state.dispatching = True
    try:
        while result.attempted < limit:
            fanned = _fan_out(clock())
            result.fanned_out += fanned
            ran, batch = 0, min(CLAIM_BATCH, limit - result.attempted)
            # one claim right before each run: a batch claimed ahead would wait behind slow handlers while
            # its short leases ran out
            while ran < batch:
                claimed = _claim(clock(), 1)
                if not claimed:
                    break
                [(delivery_id, attempt)] = claimed
                outcome = _deliver(delivery_id, attempt, clock())
                setattr(result, outcome, getattr(result, outcome) + 1)
                ran += 1
            if not ran and not fanned:
                break
    finally:
        _state.dispatching = False
    return result


def _fan_out(now: datetime) -> int:
    with transaction.atomic():
        events = list(Event.objects.select_for_update(skip_locked=True)
                      .filter(dispatched_at__isnull=True).order_by("id")[:FAN_OUT_BATCH])
        if not events:
            return 0
        rows = [EventDelivery(event=event, subscriber=entry.name, next_attempt_at=now)
                for event in events for entry in registry.subscribers_for(event.kind)]
        EventDelivery.objects.bulk_create(rows, ignore_conflicts=True)
        Event.objects.filter(pk__in=[event.pk for event in events]).update(dispatched_at=now)
    return len(events)


def _claim(now: datetime, batch: int) -> list[tuple[int, int]]:
    """Take up to ``batch`` due deliveries: count the attempt and lease them; returns (id, attempt)."""
    if batch <= 0:
        return []
    with transaction.atomic():
        rows = list(EventDelivery.objects.select_for_update(skip_locked=True)
                    .filter(status=EventDelivery.Status.PENDING, next_attempt_at__lte=now)
                    .order_by("next_attempt_at", "id").values_list("id", "attempts")[:batch])
        if rows:
            EventDelivery.objects.filter(pk__in=[pk for pk, _ in rows]).update(
                attempts=F("attempts") + 1, next_attempt_at=now + timedelta(seconds=lease_seconds()))
    return [(pk, attempts + 1) for pk, attempts in rows]


def _deliver(delivery_id: int, attempt: int, now: datetime) -> str:
    """Run one claimed delivery; returns the name of the ``DispatchResult`` counter it adds to."""
    with transaction.atomic():
        delivery = (EventDelivery.objects.select_for_update(skip_locked=True)
                    .filter(pk=delivery_id, status=EventDelivery.Status.PENDING, attempts=attempt).first())
        if delivery is None:  # another worker took it over after our lease ran out
            return "skipped"
        entry = registry.get(delivery.subscriber)
        error = ""
        if entry is None:
            error = f"No subscriber named {delivery.subscriber!r} is registered."
        else:
            event = Event.objects.get(pk=delivery.event_id)
            try:
                with transaction.atomic():
                    entry.handler(event)
            except Exception:
                error = traceback.format_exc(limit=20)
                logger.warning("Subscriber %s failed on event %s (attempt %s)", entry.name, event.pk, attempt,
                               exc_info=True)
        if not error:
            delivery.status = EventDelivery.Status.DONE
            delivery.delivered_at = now
            delivery.last_error = ""
            delivery.save(update_fields=["status", "delivered_at", "last_error"])
            return "delivered"
        delivery.last_error = error[-4000:]
        limit = entry.max_attempts if entry is not None and entry.max_attempts else max_attempts()
        if attempt >= limit:
            delivery.status = EventDelivery.Status.FAILED
            logger.error("Subscriber %s gave up on event %s after %s attempts", delivery.subscriber,
                         delivery.event_id, attempt)
        else:
            delivery.next_attempt_at = now + backoff(attempt)
        delivery.save(update_fields=["status", "last_error", "next_attempt_at"])
        return "failed" if delivery.status == EventDelivery.Status.FAILED else "retrying"


# --- operators --------------------------------------------------------------------------------------

def retry_failed(*, subscriber: str | None = None) -> int:
    """Give failed deliveries a fresh set of attempts; returns how many."""
    rows = EventDelivery.objects.filter(status=EventDelivery.Status.FAILED)
    if subscriber:
        rows = rows.filter(subscriber=subscriber)
    return rows.update(status=EventDelivery.Status.PENDING, attempts=0, next_attempt_at=timezone.now())


def backlog() -> dict[str, int]:
    """Counts an operator watches: undispatched events, pending and failed deliveries."""
    return {
        "undispatched_events": Event.objects.filter(dispatched_at__isnull=True).count(),
        "pending_deliveries": EventDelivery.objects.filter(status=EventDelivery.Status.PENDING).count(),
        "failed_deliveries": EventDelivery.objects.filter(status=EventDelivery.Status.FAILED).count(),
    }
