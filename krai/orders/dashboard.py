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
``today``, or against the ``as_of`` date, where each assignment's status, deadline, executor, body and
block are taken from its history (the last transition up to the end of that day).

What a number counts and what its list shows are the same functions (``krai.orders.cells``); each row's
``link`` is the list's place parameters, so the list behind a number holds exactly that many rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.orders import cells
from krai.orders.models import Assignment, Status, TopLoad
from krai.org.models import Block, Organisation, User

LEVELS = ("region", "block", "body", "executor")


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
    #: at the body level: the body's top-level count, as the block's table shows it (delegated parts aside)
    top: Row | None = None


@dataclass
class Filters:
    period_from: date | None = None
    period_to: date | None = None
    priority: str = ""
    source: str = ""
    kind: str = ""


def _base(user, filters: Filters, *, top_only: bool = False, as_of: date | None = None):
    """The counted rows the user sees, filtered, with the columns to read (today's, or as of a day)."""
    from krai.orders.selectors import assignments_visible_to

    qs, cols = cells.counted(assignments_visible_to(user, top_only=top_only), as_of=as_of)
    return cells.narrow(qs, cols, kind=filters.kind, priority=filters.priority, source=filters.source,
                        period_from=filters.period_from, period_to=filters.period_to), cols


def _counts(qs: QuerySet[Assignment], group: str, on: date, cols: cells.Columns) -> dict:
    return {row[group]: row for row in qs.values(group).annotate(
        total=Count("id"),
        **{b: Count("id", filter=cells.bucket_q(b, cols, on)) for b in cells.BUCKETS if b != "total"}).order_by()}


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


def _where(level: str, block: int | None, body: int | None, executor: int | None) -> dict:
    """The place a level looks at (``cells.place`` arguments); the executor's level keeps the body it came from."""
    if level == "region":
        return {"top": True}
    if level == "block":
        return {"block": block, "top": True}
    if level == "body":
        return {"body": body}
    return {"executor": executor, **({"body": body} if body else {})}


def _link(where: dict) -> dict:
    """A place as the list's query parameters, in one order (block, body, executor, issuer, top)."""
    return {k: (1 if where[k] is True else where[k]) for k in ("block", "body", "executor", "issuer", "top")
            if where.get(k) is not None and where.get(k) is not False}


def _crumbs(level: str, block: int | None, body: int | None, executor: int | None) -> tuple[str, list]:
    """The page's title and every level above it, each a (label, dashboard parameters) pair."""
    crumbs: list[tuple[str, dict]] = [(_("Region"), {"level": "region"})]
    title = _("Region")
    if level == "block":
        found = Block.objects.filter(pk=block).first()
        title = str(found) if found else "—"
        crumbs.append((title, {"level": "block", "block": block}))
    elif level in ("body", "executor") and (level == "body" or body):
        found = Organisation.objects.select_related("block").filter(pk=body).first()
        title = str(found) if found else "—"
        if found and found.block_id:
            crumbs.append((str(found.block), {"level": "block", "block": found.block_id}))
        crumbs.append((title, {"level": "body", "body": body}))
    if level == "executor":
        person = User.objects.filter(pk=executor).first()
        title = str(person) if person else "—"
        crumbs.append((title, {"level": "executor", "executor": executor, **({"body": body} if body else {})}))
    return title, crumbs


def control_load(*, user, level: str = "region", block: int | None = None, body: int | None = None,
                 executor: int | None = None, filters: Filters | None = None, as_of: date | None = None,
                 today: date | None = None) -> Load:
    """The dashboard counts over every assignment kind ``user`` may see, at one drill-down level."""
    filters = filters or Filters()
    today = today or timezone.localdate()
    on = as_of or today
    if level not in LEVELS:
        level = "region"
    top_only = level in ("region", "block")
    qs, cols = _base(user, filters, top_only=top_only, as_of=as_of)
    where = _where(level, block, body, executor)
    qs = cells.place(qs, cols, **where)
    group = {"region": cols.block, "block": cols.body, "body": cols.executor, "executor": "issuer_id"}[level]
    title, crumbs = _crumbs(level, block, body, executor)
    blocks = _precountable(user) if top_only and not as_of and filters == Filters() else None
    counts = _counts(qs, group, on, cols) if blocks is None else _precounted_for(user, level, block, group, on,
                                                                                   blocks)
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
            link, drill = {"block": key or cells.NONE}, ({"level": "block", "block": key} if key else {})
        elif level == "block":
            label = names.get(key, "—")
            link, drill = {"body": key or cells.NONE}, ({"level": "body", "body": key} if key else {})
        elif level == "body":
            label = names.get(key, "—") if key else _("The organisation itself (no person named)")
            link = {"executor": key or cells.NONE}
            drill = {"level": "executor", "executor": key, "body": body} if key else {}
        else:
            label = names.get(key, "—") if key else _("The system")
            link, drill = {"issuer": key or cells.NONE}, {}
        rows.append(Row(key=key, label=label, total=c["total"], done=c["done"], open=c["open"],
                        overdue=c["overdue"], late=c["late"], link=_link({**where, **link}), drill=drill))
    if level == "region":
        rows.sort(key=lambda r: (order.get(r.key, 10_000), r.label))
    else:
        rows.sort(key=lambda r: (-r.overdue, -r.total, r.label))
    totals = Row(key=None, label=_("Total"), link=_link(where))
    for r in rows:
        for bucket in cells.BUCKETS:
            setattr(totals, bucket, getattr(totals, bucket) + getattr(r, bucket))
    top = None
    if level == "body":
        # the block's table counts this body's top-level assignments only: say so where the two differ
        found = _counts(cells.place(qs, cols, top=True), cols.body, on, cols)
        c = found.get(body, dict.fromkeys(cells.BUCKETS, 0))
        top = Row(key=body, label=title, link={"body": body, "top": 1}, **{b: c[b] for b in cells.BUCKETS})
    return Load(level=level, title=title, rows=rows, totals=totals, today=today, as_of=as_of, crumbs=crumbs,
                top=top)


def _precounted_for(user, level: str, block: int | None, group: str, on: date, blocks) -> dict:
    """The unfiltered region or block level from ``TopLoad`` (see ``_precountable``)."""
    if blocks == "all":
        return _precounted(group, on, [block] if level == "block" else None)
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
        for key, row in _counts(outside, group, on, cells.CURRENT).items():
            mine = counts.setdefault(key, {group: key, **dict.fromkeys(cells.BUCKETS, 0)})
            for bucket in cells.BUCKETS:
                mine[bucket] += row[bucket]
    return counts


def _month(value) -> date:
    return value.date() if hasattr(value, "date") else value


def trend(*, user, filters: Filters | None = None, months: int = 12, today: date | None = None,
          level: str = "region", block: int | None = None, body: int | None = None, executor: int | None = None,
          as_of: date | None = None) -> list[dict]:
    """Per month up to the day shown: assignments given, executed, executed late, at the level being viewed
    (the rows the table counts)."""
    on = as_of or today or timezone.localdate()
    first = date(on.year, on.month, 1)
    for _i in range(months - 1):
        first = date(first.year - (first.month == 1), (first.month - 2) % 12 + 1, 1)
    start = first
    qs, cols = _base(user, filters or Filters(), top_only=level in ("region", "block"), as_of=as_of)
    qs = cells.place(qs, cols, **_where(level if level in LEVELS else "region", block, body, executor))
    given = {_month(r["m"]): r["n"] for r in qs.filter(issued_on__gte=start)
             .annotate(m=TruncMonth("issued_on")).values("m").annotate(n=Count("id")).order_by()}
    done, late = {}, {}
    for r in (qs.filter(**{cols.status: Status.DONE, f"{cols.completed}__gte": start})
              .annotate(m=TruncMonth(cols.completed)).values("m")
              .annotate(n=Count("id"), lt=Count("id", filter=Q(**{f"{cols.completed}__gt": F(cols.deadline)})))
              .order_by()):
        done[_month(r["m"])], late[_month(r["m"])] = r["n"], r["lt"]
    out = []
    month = start
    while month <= on:
        out.append({"month": month.strftime("%Y-%m"), "given": given.get(month, 0), "done": done.get(month, 0),
                    "late": late.get(month, 0)})
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return out


def worst_overdue(*, user, filters: Filters | None = None, limit: int = 20, today: date | None = None,
                  block: int | None = None, body: int | None = None, executor: int | None = None,
                  as_of: date | None = None) -> list[Assignment]:
    """The open assignments longest past their deadline (on the day shown)."""
    from krai.orders.selectors import ListFilter, assignment_list

    f = filters or Filters()
    on = as_of or today or timezone.localdate()
    rows = list(assignment_list(user=user, today=on, filters=ListFilter(
        which="all", kind=f.kind, priority=f.priority, source=f.source, period_from=f.period_from,
        period_to=f.period_to, block=block, body=body, executor=executor, bucket="overdue", as_of=as_of))[:limit])
    if as_of:
        rows = cells.as_it_was(rows)
    for row in rows:
        row.days_overdue = (on - row.deadline).days
    return rows
