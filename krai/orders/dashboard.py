"""The control dashboard: load and discipline of every assignment kind, drilled down region → block →
organisation → executor, counted in one grouped query per level.

Levels and what they count:

* ``region`` — one row per block, over top-level assignments (one per order, problem, …);
* ``block`` — one row per body (the top organisation of the executor's branch) of that block, top-level;
* ``body`` — one row per executor person in that body, over every assignment of the body at any depth
  (what was delegated to him); assignments without a named person form the row of the body itself;
* ``executor`` — one person's assignments, one row per who gave them.

Buckets: *done* (executed), *open* (still on control), *overdue* (open past the deadline), *late*
(executed after the deadline). Cancelled assignments count nowhere. "Overdue" is measured against
``today``, or against the ``as_of`` date, where each assignment's status and deadline are taken from its
history (the last transition up to the end of that day).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.orders.models import OPEN_STATUSES, Assignment, Order, Status, TopLoad, Transition
from krai.org.models import Block, Organisation, User


def _ids_as_text(orders: QuerySet) -> QuerySet:
    """Order ids as text: a subject_id is text (any model's key); PostgreSQL compares no text with numbers."""
    return orders.annotate(pk_text=Cast("pk", output_field=CharField())).values("pk_text")

LEVELS = ("region", "block", "body", "executor")
OPEN = [str(s) for s in OPEN_STATUSES]


@dataclass
class Row:
    key: int | None
    label: str
    total: int = 0
    done: int = 0
    open: int = 0
    overdue: int = 0
    late: int = 0
    link: dict = field(default_factory=dict)  # list filters for the numbers of this row
    drill: dict = field(default_factory=dict)  # dashboard filters of the next level ({} at the last)

    def share(self, bucket: str) -> float:
        return round(100.0 * getattr(self, bucket) / self.total, 1) if self.total else 0.0

    @property
    def shares(self) -> dict[str, float]:
        return {b: self.share(b) for b in ("done", "open", "overdue", "late")}


@dataclass
class Load:
    level: str
    title: str
    rows: list[Row]
    totals: Row
    today: date
    as_of: date | None
    crumbs: list[tuple[str, dict]]


@dataclass
class Filters:
    period_from: date | None = None
    period_to: date | None = None
    priority: str = ""
    source: str = ""
    kind: str = ""


def _base(user, filters: Filters, *, top_only: bool = False) -> QuerySet[Assignment]:
    from krai.orders.selectors import assignments_visible_to

    qs = assignments_visible_to(user, top_only=top_only).exclude(status=Status.CANCELLED)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.priority or filters.source:
        orders = Order.objects.all()
        if filters.priority:
            orders = orders.filter(priority=filters.priority)
        if filters.source:
            orders = orders.filter(source_type=filters.source)
        qs = qs.filter(subject_type=ContentType.objects.get_for_model(Order),
                       subject_id__in=_ids_as_text(orders))
    if filters.period_from:
        qs = qs.filter(deadline__gte=filters.period_from)
    if filters.period_to:
        qs = qs.filter(deadline__lte=filters.period_to)
    return qs


def _as_of(qs: QuerySet[Assignment], day: date) -> QuerySet[Assignment]:
    """Replace status, deadline and execution date by those of the last transition up to the end of ``day``."""
    end = timezone.make_aware(datetime.combine(day, time.max))
    last = Transition.objects.filter(assignment=OuterRef("pk"), at__lte=end).order_by("-at", "-id")
    return (qs.filter(issued_on__lte=day)
            .annotate(s=Subquery(last.values("status")[:1]), d=Subquery(last.values("deadline")[:1]),
                      c=Subquery(last.values("completed_on")[:1]))
            .filter(s__isnull=False).exclude(s=Status.CANCELLED))


def _counts(qs: QuerySet[Assignment], group: str, on: date, historic: bool) -> dict:
    status, deadline, completed = ("s", "d", "c") if historic else ("status", "deadline", "completed_on")
    return {row[group]: row for row in qs.values(group).annotate(
        total=Count("id"),
        done=Count("id", filter=Q(**{status: Status.DONE})),
        open=Count("id", filter=Q(**{f"{status}__in": OPEN})),
        overdue=Count("id", filter=Q(**{f"{status}__in": OPEN, f"{deadline}__lt": on})),
        late=Count("id", filter=Q(**{status: Status.DONE, f"{completed}__gt": F(deadline)})),
    ).order_by()}


def _precountable(user):
    """Whose top-level view ``TopLoad`` can count: "all" for a region-wide scope, the block ids for a scope
    of blocks alone (a vice-governor), None otherwise (or while the counts were never made)."""
    from krai.org.selectors import scope_for

    if user is None or not user.is_authenticated or not user.is_active:
        return None
    scope = scope_for(user)
    if scope.region:
        found = "all"
    elif scope.block_ids and not scope.org_paths and not scope.municipality_ids:
        found = sorted(scope.block_ids)
    else:
        return None
    return found if TopLoad.objects.exists() else None  # (empty only before the first recount)


def _precounted(group: str, on: date, blocks: list[int] | None) -> dict:
    """The top-level counts of an unfiltered view from ``TopLoad`` (its cells, not the rows), of ``blocks``
    or of the whole region."""
    cells = TopLoad.objects.all() if blocks is None else TopLoad.objects.filter(block_id__in=blocks)
    out = {}
    for row in cells.values(group).annotate(
            total=Sum("n"), done=Sum("n", filter=Q(is_open=False)), open=Sum("n", filter=Q(is_open=True)),
            overdue=Sum("n", filter=Q(is_open=True, deadline__lt=on)), late=Sum("n", filter=Q(late=True)),
    ).order_by():
        if not row["total"]:
            continue
        key = row[group] or None
        out[key] = {group: key, **{k: row[k] or 0 for k in ("total", "done", "open", "overdue", "late")}}
    return out


def control_load(*, user, level: str = "region", block: int | None = None, body: int | None = None,
                 executor: int | None = None, filters: Filters | None = None, as_of: date | None = None,
                 today: date | None = None) -> Load:
    """The dashboard counts over every assignment kind ``user`` may see, at one drill-down level."""
    filters = filters or Filters()
    today = today or timezone.localdate()
    on = as_of or today
    if level not in LEVELS:
        level = "region"
    qs = _base(user, filters, top_only=level in ("region", "block"))
    if as_of:
        qs = _as_of(qs, as_of)
    crumbs: list[tuple[str, dict]] = [(_("Region"), {"level": "region"})]
    if level == "region":
        qs, group, title = qs.filter(parent__isnull=True), "block_id", _("Region")
    elif level == "block":
        qs, group = qs.filter(parent__isnull=True, block_id=block), "body_id"
        found = Block.objects.filter(pk=block).first()
        title = str(found) if found else "—"
        crumbs.append((title, {"level": "block", "block": block}))
    elif level == "body":
        qs, group = qs.filter(body_id=body), "executor_user_id"
        found = Organisation.objects.select_related("block").filter(pk=body).first()
        title = str(found) if found else "—"
        if found and found.block_id:
            crumbs.append((str(found.block), {"level": "block", "block": found.block_id}))
        crumbs.append((title, {"level": "body", "body": body}))
    else:
        qs, group = qs.filter(executor_user_id=executor), "issuer_id"
        found = User.objects.filter(pk=executor).first()
        title = str(found) if found else "—"
        crumbs.append((title, {"level": "executor", "executor": executor}))
    blocks = _precountable(user) if level in ("region", "block") and not as_of and filters == Filters() else None
    if blocks is None:
        counts = _counts(qs, group, on, bool(as_of))
    elif blocks == "all":
        counts = _precounted(group, on, [block] if level == "block" else None)
    else:
        # a vice-governor: his blocks' cells, plus the few top-level rows outside them he gave or executes
        wanted = [b for b in blocks if level == "region" or b == block]
        counts = _precounted(group, on, wanted) if wanted else {}
        # plain conditions rather than an OR (PostgreSQL still reads every top-level row for "what he gave"
        # at 1,000,000: see docs/performance.md, orders)
        top = Assignment.objects.filter(parent__isnull=True).exclude(status=Status.CANCELLED)
        if level == "block":
            places = [Q(block_id=block)] if block not in blocks else []
        else:
            places = [Q(block_id__in=list(Block.objects.exclude(pk__in=blocks).values_list("pk", flat=True))),
                      Q(block_id__isnull=True)]
        parts = [top.filter(place, issuer=user) for place in places]
        parts += [top.filter(place, executor_user=user).exclude(issuer=user) for place in places]
        for outside in parts:
            for key, row in _counts(outside, group, on, False).items():
                mine = counts.setdefault(key, {group: key, "total": 0, "done": 0, "open": 0, "overdue": 0,
                                               "late": 0})
                for bucket in ("total", "done", "open", "overdue", "late"):
                    mine[bucket] += row[bucket]
    keys = [k for k in counts if k is not None]
    if level == "region":
        names = {b.pk: str(b) for b in Block.objects.filter(pk__in=keys)}
        order = {b: i for i, b in enumerate(Block.objects.filter(pk__in=keys).values_list("pk", flat=True))}
    elif level == "block":
        names = {o.pk: str(o) for o in Organisation.objects.filter(pk__in=keys)}
        order = {}
    else:
        names = {u.pk: u.short_name or str(u) for u in User.objects.filter(pk__in=keys)}
        order = {}
    rows: list[Row] = []
    for key, c in counts.items():
        if level == "region":
            label = names.get(key, _("Outside the blocks")) if key else _("Outside the blocks")
            link = {"block": key or 0, "top": 1}
            drill = {"level": "block", "block": key} if key else {}
        elif level == "block":
            label = names.get(key, "—")
            link = {"block": block, "body": key or 0, "top": 1}
            drill = {"level": "body", "body": key} if key else {}
        elif level == "body":
            label = names.get(key, "—") if key else _("The organisation itself (no person named)")
            link = {"body": body, "executor": key or 0}
            drill = {"level": "executor", "executor": key} if key else {}
        else:
            label = names.get(key, "—") if key else _("The system")
            link = {"executor": executor, "issuer": key or 0}
            drill = {}
        rows.append(Row(key=key, label=label, total=c["total"], done=c["done"], open=c["open"],
                        overdue=c["overdue"], late=c["late"], link=link, drill=drill))
    if level == "region":
        rows.sort(key=lambda r: (order.get(r.key, 10_000), r.label))
    else:
        rows.sort(key=lambda r: (-r.overdue, -r.total, r.label))
    totals = Row(key=None, label=_("Total"), link={k: v for k, v in (
        ("block", block), ("body", body), ("executor", executor)) if v} | ({"top": 1} if level in ("region", "block")
                                                                         else {}))
    for r in rows:
        for bucket in ("total", "done", "open", "overdue", "late"):
            setattr(totals, bucket, getattr(totals, bucket) + getattr(r, bucket))
    return Load(level=level, title=title, rows=rows, totals=totals, today=today, as_of=as_of, crumbs=crumbs)


def trend(*, user, filters: Filters | None = None, months: int = 12, today: date | None = None) -> list[dict]:
    """Per month: top-level assignments given, executed, executed late (for the chart)."""
    today = today or timezone.localdate()
    first = date(today.year, today.month, 1)
    for _i in range(months - 1):
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    start = first
    qs = _base(user, filters or Filters(), top_only=True)
    given = {r["m"].date() if hasattr(r["m"], "date") else r["m"]: r["n"] for r in qs.filter(issued_on__gte=start)
             .annotate(m=TruncMonth("issued_on")).values("m").annotate(n=Count("id")).order_by()}
    done = {}
    late = {}
    for r in (qs.filter(status=Status.DONE, completed_on__gte=start).annotate(m=TruncMonth("completed_on"))
              .values("m").annotate(n=Count("id"), lt=Count("id", filter=Q(completed_on__gt=F("deadline"))))
              .order_by()):
        m = r["m"].date() if hasattr(r["m"], "date") else r["m"]
        done[m], late[m] = r["n"], r["lt"]
    out = []
    month = start
    while month <= today:
        out.append({"month": month.strftime("%Y-%m"), "given": given.get(month, 0), "done": done.get(month, 0),
                    "late": late.get(month, 0)})
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return out


def worst_overdue(*, user, filters: Filters | None = None, limit: int = 20, today: date | None = None,
                  block: int | None = None, body: int | None = None, executor: int | None = None) -> list[Assignment]:
    """The open assignments longest past their deadline."""
    today = today or timezone.localdate()
    qs = _base(user, filters or Filters()).overdue(today)
    if block:
        qs = qs.filter(block_id=block)
    if body:
        qs = qs.filter(body_id=body)
    if executor:
        qs = qs.filter(executor_user_id=executor)
    rows = list(qs.select_related("executor_organisation", "executor_user").order_by("deadline", "id")[:limit])
    for row in rows:
        row.days_overdue = (today - row.deadline).days
    return rows
