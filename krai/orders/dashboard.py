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

from django.utils import timezone
from django.utils.translation import gettext as _

from krai.orders import cells
from krai.orders import dashboard_counts as counts_of
from krai.orders.models import Assignment
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
    blocks = counts_of.precountable(user, level, block) if not as_of and filters == Filters() else None
    counts = cells.grouped(qs, group, on, cols) if blocks is None else counts_of.load(user, level, block, group, on,
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
        found = _body_top(user, qs, cols, body, on, fast=not as_of and filters == Filters())
        c = found.get(body, dict.fromkeys(cells.BUCKETS, 0))
        top = Row(key=body, label=title, link={"body": body, "top": 1}, **{b: c[b] for b in cells.BUCKETS})
    return Load(level=level, title=title, rows=rows, totals=totals, today=today, as_of=as_of, crumbs=crumbs,
                top=top)


def _body_top(user, qs, cols: cells.Columns, body: int | None, on: date, *, fast: bool) -> dict:
    """The body's top-level counts: its row of the block level (from the cells when that level reads them)."""
    block = Organisation.objects.filter(pk=body).values_list("block_id", flat=True).first()
    blocks = counts_of.precountable(user, "block", block) if fast and body else None
    if blocks is not None:
        return counts_of.load(user, "block", block, "body_id", on, blocks)
    return cells.grouped(cells.place(qs, cols, top=True), cols.body, on, cols)


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
    level = level if level in LEVELS else "region"
    blocks = counts_of.precountable(user, level, block) if not as_of and (filters or Filters()) == Filters() else None
    if blocks is not None:  # the unfiltered region and block levels: from the pre-counted months
        given, done, late = counts_of.trend(user, level, block, start, blocks)
    else:
        qs, cols = _base(user, filters or Filters(), top_only=level in ("region", "block"), as_of=as_of)
        given, done, late = cells.monthly(cells.place(qs, cols, **_where(level, block, body, executor)), cols, start)
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
