"""Consolidation's reads, shared by the pages and the API: the receiver's sources with their counts and the
consolidated list with its filters; the source's push state. Only controllers and administrators read any of it
(``integration.view_consolidation``): the consolidated orders are the whole region's, like the Department of
Control's own dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.integration.consolidation import conf, pushing
from krai.integration.consolidation.models import STATUS_LABELS, ConsolidatedOrder, ConsolidationSource, PushCursor
from krai.integration.models import Channel, ExchangeMessage

#: the status filter: each status, and the two groups the counts link to
STATUS_FILTERS = ("open", "closed", *STATUS_LABELS)
RECENT_MESSAGES = 10


def require_reader(user) -> None:
    if not user.has_perm("integration.view_consolidation"):
        raise PermissionDenied(_("Consolidation is for the Department of Control and the administrators."))


def _overdue(today: date) -> Q:
    return Q(is_open=True, deadline__lt=today)


@dataclass(frozen=True)
class OrderFilter:
    source: str = ""
    status: str = ""
    overdue: bool | None = None
    q: str = ""


def consolidated_orders(*, user, filters: OrderFilter | None = None, today: date | None = None
                        ) -> QuerySet[ConsolidatedOrder]:
    """The consolidated orders the filters select, the earliest deadline first (overdue: open past the deadline
    by this installation's calendar, as the counts of ``sources_with_counts``)."""
    require_reader(user)
    filters = filters or OrderFilter()
    today = today or timezone.localdate()
    rows = ConsolidatedOrder.objects.select_related("source")
    if filters.source:
        rows = rows.filter(source__code=filters.source)
    if filters.status == "open":
        rows = rows.filter(is_open=True)
    elif filters.status == "closed":
        rows = rows.filter(is_open=False)
    elif filters.status:
        rows = rows.filter(status=filters.status)
    if filters.overdue is True:
        rows = rows.filter(_overdue(today))
    elif filters.overdue is False:
        rows = rows.exclude(_overdue(today))
    words = filters.q.strip()
    if words:
        rows = rows.filter(Q(number__icontains=words) | Q(title__icontains=words))
    return rows.order_by("deadline", "source__code", "remote_id")


@dataclass
class SourceRow:
    source: ConsolidationSource | None
    code: str
    name: str
    configured: bool
    last_received_at: object
    last_version: int
    orders: int
    open: int
    overdue: int


def sources_with_counts(*, user, today: date | None = None) -> list[SourceRow]:
    """Every source: those that pushed (stored rows) and those configured that never did, with their counts of
    orders, open ones and overdue ones (each the total of the consolidated list filtered the same way)."""
    require_reader(user)
    today = today or timezone.localdate()
    configured = conf.sources()
    stored = ConsolidationSource.objects.annotate(
        n_orders=Count("orders"), n_open=Count("orders", filter=Q(orders__is_open=True)),
        n_overdue=Count("orders", filter=Q(orders__is_open=True, orders__deadline__lt=today)))
    rows = [SourceRow(source=s, code=s.code, name=s.name or s.code, configured=s.code in configured,
                      last_received_at=s.last_received_at, last_version=s.last_version, orders=s.n_orders,
                      open=s.n_open, overdue=s.n_overdue) for s in stored]
    known = {row.code for row in rows}
    rows += [SourceRow(source=None, code=code, name=code, configured=True, last_received_at=None, last_version=0,
                       orders=0, open=0, overdue=0) for code in sorted(configured) if code not in known]
    return rows


def source_choices() -> list[tuple[str, str]]:
    codes = {s.code: s.name or s.code for s in ConsolidationSource.objects.all()}
    for code in conf.sources():
        codes.setdefault(code, code)
    return sorted(codes.items(), key=lambda item: item[1])


def is_receiver() -> bool:
    """Sources are configured here, or some have pushed (a receiver whose settings were removed still shows them)."""
    return bool(conf.sources()) or ConsolidationSource.objects.exists()


@dataclass
class PushState:
    cursor: PushCursor
    pending: int
    upstream: str


def push_state(*, user) -> PushState | None:
    """The source's cursor and what waits (None where this installation pushes nowhere)."""
    require_reader(user)
    cursor = pushing.current_cursor()
    if cursor is None:
        return None
    return PushState(cursor=cursor, pending=pushing.pending_events(cursor), upstream=conf.upstream_url())


def recent_messages(*, user, direction: str) -> QuerySet[ExchangeMessage]:
    """The latest exchange-log rows of consolidation in one direction."""
    require_reader(user)
    return ExchangeMessage.objects.filter(channel=Channel.CONSOLIDATION, direction=direction).defer("payload")[
        :RECENT_MESSAGES]
