"""The dashboard's unfiltered top-level views read from the pre-counted cells (``TopLoad``, ``TopMonth``) instead of
the rows: the region and block levels and their monthly trend, today, with no filter.

A region-wide scope (the governor, controllers) reads the cells alone. A scope of blocks alone (a vice-governor)
sees the top-level rows of his blocks, those he gave and those he executes (``selectors._scope_q``): the first two
are cells (his blocks' cells, and the cells he is the issuer of outside them), the third a live count over the
few top-level rows he executes outside his blocks and did not give (the executor's index serves it). Anything
else (filters, "as of", other scopes) is counted from the rows by ``krai.orders.dashboard``.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet, Sum

from krai.orders import cells
from krai.orders.models import Assignment, Status, TopLoad, TopMonth


def precountable(user, level: str, block: int | None) -> str | list[int] | None:
    """Whose top-level view the cells can count: "all" for a region-wide scope, the block ids for a scope of blocks
    alone (a vice-governor), None otherwise (or while the counts were never made)."""
    from krai.org.selectors import scope_for

    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if level not in ("region", "block") or (level == "block" and block is None):
        return None
    scope = scope_for(user)
    if scope.region:
        found: str | list[int] = "all"
    elif scope.block_ids and not scope.org_paths and not scope.municipality_ids:
        found = sorted(scope.block_ids)
    else:
        return None
    return found if TopLoad.objects.exists() else None  # (empty only before the first recount)


def _cells_of(model, user, level: str, block: int | None, blocks) -> QuerySet:
    """The cells a user's view adds up: all (or one block's) for a region-wide scope; for a vice-governor his
    blocks' cells and the ones he gave outside them."""
    qs = model.objects.all()
    if level == "block":
        qs = qs.filter(block_id=block or 0)
        return qs if blocks == "all" or block in blocks else qs.filter(issuer_id=user.pk)
    return qs if blocks == "all" else qs.filter(Q(block_id__in=blocks) | Q(issuer_id=user.pk))


def _executed_outside(user, level: str, block: int | None, blocks) -> QuerySet[Assignment] | None:
    """The top-level rows a vice-governor executes outside his blocks and did not give (live; None: no such part)."""
    if blocks == "all" or (level == "block" and block in blocks):
        return None
    # top-level as ``depth=0`` (the same rows: a check constraint ties it to ``parent IS NULL``): SQLite takes
    # "parent IS NULL" for a selective index term and reads all 400,000 top-level rows at 1,000,000; here the
    # executor's index is the one to read
    qs = (Assignment.objects.filter(depth=0, executor_user=user).exclude(status=Status.CANCELLED)
          .exclude(issuer=user))
    return qs.filter(block_id=block) if level == "block" else qs.exclude(block_id__in=blocks)


def load(user, level: str, block: int | None, group: str, on: date, blocks) -> dict:
    """The region (``group`` = "block_id") or block ("body_id") level's counts: {key: {bucket: n}}."""
    out: dict = {}
    for row in _cells_of(TopLoad, user, level, block, blocks).values(group).annotate(
            total=Sum("n"), done=Sum("n", filter=Q(is_open=False)), open=Sum("n", filter=Q(is_open=True)),
            overdue=Sum("n", filter=Q(is_open=True, deadline__lt=on)), late=Sum("n", filter=Q(late=True)),
    ).order_by():
        if row["total"]:
            key = row[group] or None
            out[key] = {group: key, **{b: row[b] or 0 for b in cells.BUCKETS}}
    live = _executed_outside(user, level, block, blocks)
    if live is not None:
        for key, row in cells.grouped(live, group, on, cells.CURRENT).items():
            mine = out.setdefault(key, {group: key, **dict.fromkeys(cells.BUCKETS, 0)})
            for bucket in cells.BUCKETS:
                mine[bucket] += row[bucket]
    return out


def trend(user, level: str, block: int | None, start: date, blocks) -> tuple[dict, dict, dict]:
    """Given, executed and executed late per month from ``start`` (first days of months as keys)."""
    given: dict = {}
    done: dict = {}
    late: dict = {}
    for r in (_cells_of(TopMonth, user, level, block, blocks).filter(month__gte=start).values("month")
              .annotate(g=Sum("given"), d=Sum("done"), lt=Sum("late")).order_by()):
        given[r["month"]], done[r["month"]], late[r["month"]] = r["g"] or 0, r["d"] or 0, r["lt"] or 0
    live = _executed_outside(user, level, block, blocks)
    if live is not None:
        for mine, part in zip((given, done, late), cells.monthly(live, cells.CURRENT, start), strict=True):
            for month, n in part.items():
                mine[month] = mine.get(month, 0) + n
    return given, done, late
