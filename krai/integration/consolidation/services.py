"""Consolidation's writes: on a source, "push now" and "resend everything" (a controller's or an administrator's
actions, each with its event); on the receiver, a verified batch stored order by order, only where newer.

The pusher's own bookkeeping (the cursor moving as the upstream acknowledges) is in ``pushing``; the receiver's
signature check is in the API view, before this service is called.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.integration.consolidation import conf, protocol
from krai.integration.consolidation import snapshot as outbox
from krai.integration.consolidation.models import ConsolidatedOrder, ConsolidationSource, PushCursor

RESEND_MODES = ("events", "orders")


def _check(actor, perm: str, message: str) -> None:
    if actor is None or not actor.has_perm(perm):
        raise PermissionDenied(message)


def _source_cursor() -> PushCursor:
    if not conf.is_source():
        raise ValidationError(_("This installation pushes its orders nowhere: no upstream installation is "
                                "configured (KRAI_CONSOLIDATION_UPSTREAM_URL and KRAI_CONSOLIDATION_SECRET)."),
                              code="not_configured")
    cursor, _created = PushCursor.objects.get_or_create(upstream=conf.upstream_url())
    return PushCursor.objects.select_for_update().get(pk=cursor.pk)


def _queue_push() -> None:
    from krai.integration.consolidation import tasks  # late: the job module imports the pusher

    transaction.on_commit(lambda: tasks.push_job(force=True))


@transaction.atomic
def push_request(*, actor) -> PushCursor:
    """Push what is waiting now, without waiting for the back-off after failures."""
    _check(actor, "consolidation.push", _("You may not push this installation's orders."))
    cursor = _source_cursor()
    cursor.next_attempt_at = timezone.now()
    cursor.save(update_fields=["next_attempt_at"])
    record_event(kind="consolidation.push_requested", actor=actor, subject=cursor,
                 payload={"upstream": cursor.upstream, "last_event_id": cursor.last_event_id})
    _queue_push()
    return cursor


@transaction.atomic
def push_resend(*, actor, mode: str) -> PushCursor:
    """Send everything again: the outbox from event 0 (``events``) or every issued order as it is now
    (``orders``) — for an upstream that lost its copy or was connected after the fact."""
    _check(actor, "consolidation.push", _("You may not push this installation's orders."))
    if mode not in RESEND_MODES:
        raise ValidationError({"mode": _("Choose what to resend.")}, code="invalid")
    cursor = _source_cursor()
    cursor.generation += 1
    cursor.next_attempt_at = timezone.now()
    if mode == "events":
        cursor.last_event_id, cursor.gaps, cursor.resend_version, cursor.resend_after = 0, [], None, 0
    else:
        cursor.resend_version, cursor.resend_after = outbox.last_event_id(), 0
    cursor.save()
    record_event(kind="consolidation.resend_requested", actor=actor, subject=cursor,
                 payload={"upstream": cursor.upstream, "mode": mode, "version": cursor.resend_version})
    _queue_push()
    return cursor


@dataclass(frozen=True)
class Received:
    accepted: int
    ignored: int
    last_version: int


def _fields(item: protocol.Snapshot) -> dict:
    return {"number": item.number, "title": item.title, "executor": item.executor,
            "executor_code": item.executor_code, "issued_on": item.issued_on, "deadline": item.deadline,
            "status": item.status, "is_open": item.is_open, "overdue": item.overdue, "closed_on": item.closed_on,
            "last_report_on": item.last_report_on, "url": item.url, "version": item.version, "snapshot": item.raw}


@transaction.atomic
def batch_receive(*, source_code: str, batch: protocol.Batch) -> Received:
    """Store a verified batch of ``source_code`` (the system acting: the signature was its authentication).

    Each order is created, or replaced when its version is newer than the one held; an older or equal version
    is ignored, so a batch sent twice or out of order changes nothing. The source's row is locked first, so
    two batches of one source are stored one after the other.
    """
    if source_code not in conf.sources():
        raise PermissionDenied(_("This installation is not a known source."))
    if batch.installation_code and batch.installation_code != source_code:
        raise ValidationError({"installation": [_("The batch names another installation than its header.")]},
                              code="mismatch")
    ConsolidationSource.objects.get_or_create(code=source_code, defaults={"name": batch.installation_name})
    source = ConsolidationSource.objects.select_for_update().get(code=source_code)
    now = timezone.now()
    held = dict(ConsolidatedOrder.objects.filter(source=source, remote_id__in=[o.remote_id for o in batch.orders])
                .values_list("remote_id", "version"))
    created, replaced = [], []
    for item in batch.orders:
        if item.remote_id not in held:
            created.append(ConsolidatedOrder(source=source, remote_id=item.remote_id, received_at=now, **_fields(item)))
        elif item.version > held[item.remote_id]:
            replaced.append(item)
    ConsolidatedOrder.objects.bulk_create(created)
    for item in replaced:
        ConsolidatedOrder.objects.filter(source=source, remote_id=item.remote_id, version__lt=item.version).update(
            received_at=now, **_fields(item))
    accepted = len(created) + len(replaced)
    versions = [o.version for o in batch.orders] + ([batch.last_event] if batch.last_event is not None else [])
    last_version = max([source.last_version, *versions])
    ConsolidationSource.objects.filter(pk=source.pk).update(
        name=batch.installation_name or source.name, url=batch.installation_url or source.url, last_received_at=now,
        last_version=last_version, batches_received=F("batches_received") + 1)
    record_event(kind="consolidation.batch_received", actor=None, subject=source, payload={
        "source": source_code, "first_event": batch.first_event, "last_event": batch.last_event,
        "orders": len(batch.orders), "accepted": accepted, "ignored": len(batch.orders) - accepted,
        "last_version": last_version})
    return Received(accepted=accepted, ignored=len(batch.orders) - accepted, last_version=last_version)
