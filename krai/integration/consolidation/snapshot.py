"""The source side's reading: which orders the outbox says changed, and each one's snapshot as it is now.

An order is affected by ``orders.*`` events whose subject is the order and by ``control.*`` events whose payload
names an assignment of kind ``order`` (the subject of its tree is the order). Drafts are not sent: an order
leaves the installation once it is issued.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from krai.core.events.models import Event
from krai.integration.consolidation import conf
from krai.orders.models import OPEN_STATUSES, Order, Report, Status

#: outbox rows looked at per push (the cursor passes over other areas' events too)
SCAN = 5000
#: skipped ids kept in view at most
MAX_GAPS = 1000

ORDER_EVENTS = Q(kind__startswith="orders.") | Q(kind__startswith="control.", payload__kind="order")


def _order_type_id() -> int:
    return ContentType.objects.get_for_model(Order).pk


def order_of(kind: str, subject_type_id: int | None, subject_id: str, payload: Any, order_type_id: int) -> int | None:
    """The order an outbox row is about, or None."""
    if kind.startswith("orders.") and subject_type_id == order_type_id:
        return int(subject_id) if str(subject_id).isdigit() else None
    if kind.startswith("control.") and isinstance(payload, dict) and payload.get("kind") == "order" \
            and payload.get("subject_type") == "orders.order":
        value = str(payload.get("subject_id", ""))
        return int(value) if value.isdigit() else None
    return None


@dataclass
class Reading:
    """What one look at the outbox found: the orders with the version each reaches, and where it ends."""

    versions: dict[int, int] = field(default_factory=dict)  # order id → latest event id covered
    first_event: int | None = None
    last_event: int = 0  # the cursor's value once this reading is acknowledged
    gaps: list[list[float]] = field(default_factory=list)  # [id, first seen (unix)] still unseen
    more: bool = False  # the reading stopped at the batch limit or the scan limit


def _details(ids: Iterable[int], order_type_id: int) -> dict[int, int | None]:
    rows = Event.objects.filter(id__in=list(ids)).values_list("id", "kind", "subject_type_id", "subject_id", "payload")
    return {pk: order_of(kind, st, sid, payload, order_type_id) for pk, kind, st, sid, payload in rows}


def read_outbox(*, after: int, gaps: list[list[float]], limit: int, gap_seconds: int = 3600) -> Reading:
    """The orders changed after event ``after`` (and by late commits of the ``gaps``), at most ``limit`` orders."""
    order_type_id = _order_type_id()
    now = timezone.now().timestamp()
    reading = Reading(last_event=after)
    # ids skipped before: the late commits among them count now; the rest wait until they are an hour old
    waiting = {int(pk): seen for pk, seen in gaps}
    late = set(Event.objects.filter(id__in=list(waiting)).values_list("id", flat=True)) if waiting else set()
    for pk, order_id in sorted(_details(late, order_type_id).items()):
        if order_id is not None:
            reading.versions[order_id] = max(reading.versions.get(order_id, 0), pk)
            reading.first_event = pk if reading.first_event is None else min(reading.first_event, pk)
    kept = [[pk, seen] for pk, seen in waiting.items() if pk not in late and now - seen < gap_seconds]
    rows = list(Event.objects.filter(id__gt=after).order_by("id").values_list("id", "kind")[:SCAN])
    relevant = [pk for pk, kind in rows if kind.startswith(("orders.", "control."))]
    about = _details(relevant, order_type_id)
    # from the very beginning, the ids before the first one are history (rolled back, or another database's)
    expected = after + 1 if after or not rows else rows[0][0]
    for pk, _kind in rows:
        order_id = about.get(pk)
        if order_id is not None and order_id not in reading.versions and len(reading.versions) >= limit:
            reading.more = True
            break
        if pk > expected and len(kept) < MAX_GAPS:  # ids never seen: maybe a transaction still open
            kept.extend([gap, now] for gap in range(expected, min(pk, expected + MAX_GAPS - len(kept))))
        expected = pk + 1
        reading.last_event = pk
        if order_id is not None:
            reading.versions[order_id] = pk
            reading.first_event = pk if reading.first_event is None else min(reading.first_event, pk)
    else:
        reading.more = len(rows) >= SCAN
    reading.gaps = kept
    return reading


def pending_count(after: int) -> int:
    """Order events after the cursor (what the page shows as waiting)."""
    return Event.objects.filter(ORDER_EVENTS, id__gt=after).count()


def last_event_id() -> int:
    return Event.objects.aggregate(last=Max("id"))["last"] or 0


def issued_order_ids(*, after: int, limit: int) -> list[int]:
    """Issued orders by id after ``after`` (a resend of every order as it is)."""
    return list(Order.objects.filter(is_draft=False, pk__gt=after).order_by("pk").values_list("pk", flat=True)[:limit])


def _body(organisation: Any) -> dict[str, str]:
    return {"name": organisation.name, "code": organisation.code or ""}


def snapshots(versions: dict[int, int]) -> list[dict[str, Any]]:
    """Each issued order among ``versions`` as it is now, with its version (drafts and missing ones are left out)."""
    orders = list(Order.objects.filter(pk__in=list(versions), is_draft=False, assignment__isnull=False)
                  .select_related("assignment", "lead_organisation")
                  .prefetch_related("co_executors__organisation").order_by("pk"))
    roots = [order.assignment_id for order in orders]
    reported = dict(Report.objects.filter(assignment__root_id__in=roots).values("assignment__root_id")
                    .annotate(last=Max("submitted_on")).values_list("assignment__root_id", "last"))
    today = timezone.localdate()
    site = conf.site_url()
    out = []
    for order in orders:
        root = order.assignment
        closed = root.completed_on if root.status == Status.DONE else (
            timezone.localdate(root.closed_at) if root.status == Status.CANCELLED and root.closed_at else None)
        out.append({
            "id": order.pk, "version": versions[order.pk], "number": order.number, "title": order.title,
            "issued_on": root.issued_on.isoformat(),
            "lead_executor": _body(order.lead_organisation),
            "co_executors": [_body(co.organisation) for co in order.co_executors.all()],
            "deadline": root.deadline.isoformat(), "status": root.status, "open": root.status in OPEN_STATUSES,
            "closed_on": closed.isoformat() if closed else None, "overdue": root.is_overdue(today),
            "last_report_on": reported[root.pk].isoformat() if reported.get(root.pk) else None,
            "url": f"{site}{reverse('orders:order', args=[order.pk])}",
        })
    return out
