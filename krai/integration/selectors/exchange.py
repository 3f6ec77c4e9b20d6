"""Reads of the exchange log for its readers (``integration.view_exchange``: administrators and the Department of
Control). A registered system's own account, when its role lets it read the log through the API, sees only its own
messages. Anyone else finds nothing; a message he names is missing (404).

The filters are the page's and the API's alike (system, channel, direction, status, a period of days or the last
hours, words), so the start page's counts link to exactly the lists they count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from krai.integration.models import ExchangeMessage, ExternalSystem

VIEW = "integration.view_exchange"
MAX_HOURS = 24 * 90


@dataclass(frozen=True)
class LogFilter:
    system: ExternalSystem | None = None
    channel: str = ""
    direction: str = ""
    status: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    hours: int | None = None  # the last N hours (the start page's "last 24 h")
    q: str = ""


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _readable(user: Any) -> QuerySet[ExchangeMessage]:
    if user is None or not user.is_authenticated or not user.has_perm(VIEW):
        return ExchangeMessage.objects.none()
    rows = ExchangeMessage.objects.all()
    own = ExternalSystem.objects.filter(account_id=user.pk).values_list("pk", flat=True).first()
    if own is not None:  # a system reads its own messages only
        rows = rows.filter(system_id=own)
    return rows


def messages(*, user: Any, filters: LogFilter | None = None, now: dt.datetime | None = None
             ) -> QuerySet[ExchangeMessage]:
    """The log as ``user`` may read it, filtered, the newest first."""
    f = filters or LogFilter()
    rows = _readable(user).select_related("system")
    if f.system is not None:
        rows = rows.filter(system=f.system)
    for field in ("channel", "direction", "status"):
        if getattr(f, field):
            rows = rows.filter(**{field: getattr(f, field)})
    if f.date_from is not None:
        rows = rows.filter(created_at__gte=_day_start(f.date_from))
    if f.date_to is not None:
        rows = rows.filter(created_at__lt=_day_start(f.date_to + dt.timedelta(days=1)))
    if f.hours:
        rows = rows.filter(created_at__gte=(now or timezone.now()) - dt.timedelta(hours=min(f.hours, MAX_HOURS)))
    words = f.q.strip()
    if words:
        rows = rows.filter(Q(correlation_id__icontains=words) | Q(summary__icontains=words)
                           | Q(error__icontains=words) | Q(payload__icontains=words) | Q(kind__icontains=words)
                           | Q(peer__icontains=words))
    return rows.order_by("-created_at", "-pk")


def message_get(*, user: Any, pk: int) -> ExchangeMessage:
    message = _readable(user).select_related("system").filter(pk=pk).first()
    if message is None:
        raise Http404
    return message


def systems_in_log() -> QuerySet[ExternalSystem]:
    """The systems the log's filter offers (every registered one, active or not: old messages keep theirs)."""
    return ExternalSystem.objects.order_by("name", "pk")
