"""The outbox of answers to document-flow systems: kept when the event happens, delivered by a job with retries.

An answer is built (and validated against the schema) when its event is handled (``subscribers``), then delivered
to the system's answers URL (an HTTP POST of the XML) and/or written to ``KRAI_DOCFLOW_OUTBOX/<system code>/``.
Each destination is done once: a retry after the URL failed does not write the file twice. A failure is retried
with growing pauses (1, 2, 4 … minutes, at most six hours) up to ``KRAI_DOCFLOW_MAX_ATTEMPTS`` (10) attempts, then
the answer stays ``failed`` on the package's page until someone sends it again; an answer for a system with
nowhere to deliver is ``held`` there the same way. Every attempt is a line of the exchange log. Nothing here is a
change of state of the region's work (the outbox is bookkeeping, like the events' own); people's actions on it go
through ``services.answers``.

Claiming: a due answer is taken by moving its next attempt a lease ahead in one conditional UPDATE, so two
workers never deliver the same answer at once, and a worker that died mid-delivery leaves it due again after the
lease.
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from krai.integration.docflow import notifications
from krai.integration.docflow.models import AnswerStatus, DocflowAnswer, DocflowItem
from krai.integration.models import Channel, Direction, ExchangeStatus, ExternalSystem
from krai.integration.services.exchange import record_exchange

LEASE = timedelta(minutes=2)
CONTENT_TYPE = "application/xml; charset=utf-8"


def max_attempts() -> int:
    return int(getattr(settings, "KRAI_DOCFLOW_MAX_ATTEMPTS", 10))


def backoff(attempt: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(0, attempt - 1)), timedelta(hours=6))


def destinations(system: ExternalSystem) -> tuple[str, Path | None]:
    """(answers URL or '', the system's outbox folder or None)."""
    root = getattr(settings, "KRAI_DOCFLOW_OUTBOX", "") or ""
    return system.answer_url or "", (Path(root) / system.code) if root else None


def _schedule() -> None:
    from krai.integration.docflow import tasks  # late: the job module imports this one

    transaction.on_commit(tasks.docflow_send_answers_now)


def enqueue(*, event_id: int, item: DocflowItem, kind: str, **facts: Any) -> DocflowAnswer | None:
    """Keep the answer to ``item`` that event ``event_id`` calls for (once per event and item: redelivered events
    add nothing); ``facts`` are ``notifications.build``'s keywords beyond the package, item and order."""
    if DocflowAnswer.objects.filter(event_id=event_id, item=item).exists():
        return None
    uid = notifications.new_uid()
    content = notifications.build(kind=kind, uid=uid, package=item.package, item=item, order=item.order, **facts)
    url, folder = destinations(item.package.system)
    answer = DocflowAnswer.objects.create(item=item, event_id=event_id, kind=kind, uid=uid, content=content,
                                          status=AnswerStatus.PENDING if (url or folder) else AnswerStatus.HELD)
    if answer.status == AnswerStatus.PENDING:
        _schedule()
    return answer


def _post(answer: DocflowAnswer, system: ExternalSystem, url: str) -> str:
    """POST the answer; '' when the system took it, else why not (the attempt is logged either way)."""
    started = time.monotonic()
    status, error = None, ""
    try:
        response = requests.post(url, data=answer.content.encode("utf-8"), timeout=getattr(
            settings, "KRAI_WEBHOOKS_TIMEOUT_SECONDS", 10), allow_redirects=False, headers={
            "Content-Type": CONTENT_TYPE, "X-Krai-Message-Id": answer.uid, "Idempotency-Key": answer.uid})
        status = response.status_code
        if not 200 <= status < 300:
            error = f"HTTP {status}: {response.text[:500]}"
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:1000]
    record_exchange(channel=Channel.MEDO, direction=Direction.OUT, kind=f"medo.notification.{answer.kind}",
                    status=ExchangeStatus.FAILED if error else ExchangeStatus.OK, system=system, peer=url,
                    correlation_id=answer.uid, payload=answer.content, content_type=CONTENT_TYPE, http_status=status,
                    error=error, started=started, summary=f"{answer.item.package.uid} / {answer.item.number}")
    return error


def _write(answer: DocflowAnswer, system: ExternalSystem, folder: Path) -> str:
    """Write the answer as ``<uid>.xml`` (through a temporary name, so a reader never sees half a file)."""
    started = time.monotonic()
    target = folder / f"{answer.uid}.xml"
    error = ""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{answer.uid}.xml.part"
        partial.write_text(answer.content, encoding="utf-8")
        os.replace(partial, target)
    except OSError as exc:
        error = f"{type(exc).__name__}: {exc}"[:1000]
    record_exchange(channel=Channel.FOLDER, direction=Direction.OUT, kind=f"medo.notification.{answer.kind}",
                    status=ExchangeStatus.FAILED if error else ExchangeStatus.OK, system=system, peer=str(target),
                    correlation_id=answer.uid, payload=answer.content, content_type=CONTENT_TYPE, error=error,
                    started=started, summary=f"{answer.item.package.uid} / {answer.item.number}")
    return error


def _attempt(answer: DocflowAnswer, now: datetime) -> str:
    system = answer.item.package.system
    url, folder = destinations(system)
    errors = []
    if url and not answer.http_done:
        error = _post(answer, system, url)
        answer.http_done = not error
        errors += [error] if error else []
    if folder is not None and not answer.file_done:
        error = _write(answer, system, folder)
        answer.file_done = not error
        errors += [error] if error else []
    answer.attempts += 1
    if not url and folder is None:
        answer.status, answer.last_error = AnswerStatus.HELD, ""
    elif not errors:
        answer.status, answer.sent_at, answer.last_error = AnswerStatus.SENT, timezone.now(), ""
    else:
        answer.last_error = "\n".join(errors)[:5000]
        if answer.attempts >= max_attempts():
            answer.status = AnswerStatus.FAILED
        else:
            answer.next_attempt_at = now + backoff(answer.attempts)
    answer.save(update_fields=["http_done", "file_done", "attempts", "status", "sent_at", "last_error",
                               "next_attempt_at"])
    return answer.status


def deliver_due(*, now: datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Deliver the answers that are due; counts by the status each ended in."""
    now = now or timezone.now()
    due = list(DocflowAnswer.objects.filter(status=AnswerStatus.PENDING, next_attempt_at__lte=now)
               .order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    counts: dict[str, int] = {}
    for pk in due:
        claimed = DocflowAnswer.objects.filter(pk=pk, status=AnswerStatus.PENDING, next_attempt_at__lte=now).update(
            next_attempt_at=now + LEASE)
        if not claimed:
            continue  # another worker took it
        answer = DocflowAnswer.objects.select_related("item__package__system", "item__order").get(pk=pk)
        status = _attempt(answer, now)
        counts[status] = counts.get(status, 0) + 1
    return counts
