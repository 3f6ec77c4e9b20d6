"""The exchange log's retention: payloads older than their system's ``payload_days`` (or, for every other message,
``settings.KRAI_INTEGRATION_PAYLOAD_DAYS``) are emptied; the row stays for good with ``payload_purged_at`` set, so the
log still says what came, when, from whom and how it ended.

Run daily by ``tasks.purge_exchange_payloads``, in batches (a long log is emptied in short transactions, not one
long lock). The log is bookkeeping (each change its messages caused was audited where it happened), so this writes
no event.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from krai.integration.models import ExchangeMessage, ExternalSystem

BATCH = 500


def _groups(now: dt.datetime) -> list[Q]:
    """One condition per retention period: each system with its own, then every other message by the default."""
    own = dict(ExternalSystem.objects.filter(payload_days__isnull=False).values_list("pk", "payload_days"))
    groups = [Q(system_id=pk, created_at__lt=now - dt.timedelta(days=days)) for pk, days in own.items()]
    default = now - dt.timedelta(days=settings.KRAI_INTEGRATION_PAYLOAD_DAYS)
    groups.append(Q(created_at__lt=default) & (Q(system__isnull=True) | ~Q(system_id__in=list(own))))
    return groups


def purge_payloads(*, now: dt.datetime | None = None, batch: int = BATCH) -> int:
    """Empty the payloads past their retention; return how many were emptied."""
    now = now or timezone.now()
    purged = 0
    for condition in _groups(now):
        while True:
            with transaction.atomic():
                ids = list(ExchangeMessage.objects.filter(condition, payload_purged_at__isnull=True)
                           .exclude(payload="").order_by("created_at").values_list("pk", flat=True)[:batch])
                if not ids:
                    break
                purged += ExchangeMessage.objects.filter(pk__in=ids).update(payload="", payload_purged_at=now)
    return purged
