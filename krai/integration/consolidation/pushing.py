"""The source side's pusher: one batch read from the outbox after the cursor, signed, posted, acknowledged.

This is delivery machinery like the events dispatcher, not a change of state of its own: the cursor is
bookkeeping (how far the upstream has acknowledged), every attempt is a row of the exchange log, and the
people's actions on it ("push now", "resend everything") are services with their events
(``krai.integration.consolidation.services``). No database transaction is held while a request is in flight.

Two pushes at once (a worker's job and the minute's sweep) are harmless: the receiver ignores what it already
holds, and the cursor moves only from the value the push started from (compare-and-set), so it never goes back.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import requests
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F
from django.utils import timezone

from krai.integration.consolidation import conf, protocol
from krai.integration.consolidation import snapshot as outbox
from krai.integration.consolidation.models import PushCursor
from krai.integration.models import Direction, ExchangeStatus
from krai.integration.services.exchange import record_exchange

#: batches one job sends before it hands over to the next (so a long backlog does not hold a worker)
BATCHES_PER_JOB = 10


@dataclass
class PushResult:
    """What one push did: ``idle`` (not a source), ``nothing`` (nothing to send), ``sent``, ``waiting`` (a
    back-off not over yet) or ``failed``."""

    state: str
    orders: int = 0
    accepted: int = 0
    ignored: int = 0
    more: bool = False
    retry_in: int | None = None
    error: str = ""


def current_cursor() -> PushCursor | None:
    """This installation's cursor for its upstream (None when it pushes nowhere)."""
    if not conf.is_source():
        return None
    return PushCursor.objects.get_or_create(upstream=conf.upstream_url())[0]


def _installation() -> dict[str, str]:
    return {"code": conf.installation_code(), "name": conf.installation_name(), "url": conf.site_url()}


@dataclass
class _Batch:
    message_id: str
    body: dict[str, Any]
    orders: int
    on_success: dict[str, Any]
    summary: str


def _next_batch(cursor: PushCursor) -> tuple[_Batch | None, bool]:
    """The batch to send from ``cursor`` and whether more may follow; no batch when there is nothing to send
    (the cursor may have moved past other areas' events, drafts and expired gaps on the way)."""
    code = conf.installation_code()
    if cursor.resend_version is not None:
        ids = outbox.issued_order_ids(after=cursor.resend_after, limit=protocol.BATCH_ORDERS)
        if not ids:
            PushCursor.objects.filter(pk=cursor.pk, generation=cursor.generation).update(resend_version=None,
                                                                                          resend_after=0)
            return None, True
        orders = outbox.snapshots(dict.fromkeys(ids, cursor.resend_version))
        return _Batch(message_id=f"{code}:orders-{cursor.resend_version}-{ids[-1]}",
                      body={"installation": _installation(), "first_event": None, "last_event": None,
                            "orders": orders}, orders=len(orders), on_success={"resend_after": ids[-1]},
                      summary=f"resend of orders {ids[0]}–{ids[-1]} at version {cursor.resend_version}"), True
    reading = outbox.read_outbox(after=cursor.last_event_id, gaps=cursor.gaps, limit=protocol.BATCH_ORDERS)
    orders = outbox.snapshots(reading.versions) if reading.versions else []
    moved = {"last_event_id": reading.last_event, "gaps": reading.gaps}
    if not orders:
        if reading.last_event != cursor.last_event_id or reading.gaps != cursor.gaps:
            PushCursor.objects.filter(pk=cursor.pk, generation=cursor.generation,
                                      last_event_id=cursor.last_event_id).update(**moved)
        return None, reading.more
    first = reading.first_event if reading.first_event is not None else reading.last_event
    return _Batch(message_id=f"{code}:{first}-{reading.last_event}",
                  body={"installation": _installation(), "first_event": first, "last_event": reading.last_event,
                        "orders": orders}, orders=len(orders), on_success=moved,
                  summary=f"{len(orders)} orders, events {first}–{reading.last_event}"), reading.more


def _answer(response: requests.Response) -> dict[str, Any] | None:
    """The receiver's acknowledgement, or None (a 2xx from anything else — a proxy's page — is not one)."""
    try:
        data = response.json()
    except ValueError:
        return None
    if isinstance(data, dict) and isinstance(data.get("accepted"), int) and isinstance(data.get("ignored"), int):
        return data
    return None


def _post(batch: _Batch) -> tuple[dict[str, Any] | None, int | None, str]:
    body = json.dumps(batch.body, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder).encode()
    headers = {"Content-Type": "application/json", protocol.INSTALLATION_HEADER: conf.installation_code(),
               **protocol.sign(conf.secret(), message_id=batch.message_id, body=body, at=timezone.now())}
    started = time.monotonic()
    answer, status, error = None, None, ""
    try:
        response = requests.post(conf.push_url(), data=body, headers=headers, timeout=conf.timeout_seconds(),
                                 allow_redirects=False)
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"
    else:
        status = response.status_code
        answer = _answer(response) if 200 <= status < 300 else None
        if answer is None:
            error = f"HTTP {status}: {response.text[:500]}"
    summary = batch.summary + (f"; accepted {answer['accepted']}, ignored {answer['ignored']}" if answer else "")
    record_exchange(channel=protocol.CHANNEL, direction=Direction.OUT, kind=protocol.KIND,
                    status=ExchangeStatus.OK if answer else ExchangeStatus.FAILED, peer=conf.push_url(),
                    correlation_id=batch.message_id, summary=summary, payload=body, content_type="application/json",
                    http_status=status, error=error, started=started)
    return answer, status, error


def push_once(*, force: bool = False) -> PushResult:
    """Send the next batch, if any; respects the back-off after failures unless ``force``."""
    cursor = current_cursor()
    if cursor is None:
        return PushResult("idle")
    now = timezone.now()
    if not force and cursor.next_attempt_at and cursor.next_attempt_at > now + timedelta(seconds=1):
        return PushResult("waiting", retry_in=int((cursor.next_attempt_at - now).total_seconds()) + 1)
    batch, more = _next_batch(cursor)
    if batch is None:
        return PushResult("nothing", more=more)
    answer, _status, error = _post(batch)
    now = timezone.now()
    if answer is None:
        wait = conf.backoff_seconds(cursor.failures + 1)
        PushCursor.objects.filter(pk=cursor.pk).update(
            failures=F("failures") + 1, last_error=error[:2000], last_attempt_at=now,
            next_attempt_at=now + timedelta(seconds=wait))
        return PushResult("failed", orders=batch.orders, retry_in=wait, error=error)
    PushCursor.objects.filter(pk=cursor.pk, generation=cursor.generation, last_event_id=cursor.last_event_id,
                              resend_after=cursor.resend_after).update(
        **batch.on_success, failures=0, last_error="", last_attempt_at=now, last_success_at=now,
        next_attempt_at=None, orders_sent=F("orders_sent") + batch.orders, batches_sent=F("batches_sent") + 1)
    return PushResult("sent", orders=batch.orders, accepted=answer["accepted"], ignored=answer["ignored"],
                      more=more)


def push_some(*, force: bool = False, batches: int = BATCHES_PER_JOB) -> PushResult:
    """Send batches while there are more, at most ``batches``; the last result says whether more wait."""
    result = push_once(force=force)
    sent = 1
    while result.more and result.state in ("sent", "nothing") and sent < batches:
        result = push_once(force=force)
        sent += 1
    return result


def pending_events(cursor: PushCursor) -> int:
    return outbox.pending_count(cursor.last_event_id)
