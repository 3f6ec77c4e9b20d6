"""The filtered map pre-aggregated (``MapBucket``): the grid of ``krai.problems.grid`` split by what the map
filters by — the municipality (always), and each subset of theme, status and day of creation.

A row of level ``L`` keeps the theme if ``L & THEME``, the status if ``L & STATUS``, the day if ``L & DAY``
(the others hold 0, "" and ``NO_DAY``). A view filtered by a theme and a status reads level
``THEME | STATUS`` only: one row per cell, municipality, theme and status, never the days inside it —
so what a view reads grows with its filters' own spread, not with the product of every dimension. The day
is exact for any "from"/"to" dates (the map filters by the day of creation in the site's time zone).

Two more things keep the widest views small. Every level is kept on the zoom-12 grid; the levels without
theme-and-day or status-and-day are kept on the zoom-8 grid too (``COARSE_ZOOM``: 256 grid cells each), which
views at zoom 8 and further out read — the whole region is a few hundred such cells. And the dates alone are
kept per month as well (level ``DAY | MONTH``, the day holding the month's first): a range of dates reads
its whole months from those rows and only the days at its two ends from the day rows. (Theme or status with
the day stay per day on the fine grid: they are narrowed by their other filter already.)

Kept exact in the writer's transaction: a service that moves a published problem between buckets
(publishing, a status change, a merge) calls ``move(before, after)`` with the problem's keys before and
after; the rows' deltas are netted (a status change leaves the theme- and day-only rows alone) and upserted
in one statement, in key order (two writers lock rows in the same order). ``rebuild()`` counts everything
again: the finest level from the problems in one grouped query, the others from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import connection
from django.db.models import Count, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncDate
from django.utils import timezone

from krai.problems import grid
from krai.problems.models import MapBucket, Problem

THEME, STATUS, DAY, MONTH = 1, 2, 4, 8
LEVELS = range(8)
COARSE_ZOOM = 8
# (grid zoom, level) of every kind of row kept
KEPT = ([(grid.GRID_ZOOM, level) for level in (*LEVELS, DAY | MONTH)]
        + [(COARSE_ZOOM, level) for level in (0, THEME, STATUS, THEME | STATUS, DAY, DAY | MONTH)])
NO_DAY = dt.date(1, 1, 1)
COLUMNS = ("zoom", "level", "gx", "gy", "municipality_id", "category_id", "status", "day")

Key = tuple[int, int, int, int, str, dt.date]  # gx, gy, municipality, theme, status, day


def day_of(moment: dt.datetime) -> dt.date:
    """The day of creation as the map's date filter sees it (``created_at__date`` in the site's zone)."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def key_of(problem: Problem) -> Key | None:
    """The problem's bucket, or None when it is not on the map (awaiting moderation, rejected, merged)."""
    if problem.status not in Problem.PUBLISHED or problem.duplicate_of_id:
        return None
    gx, gy = grid.cell_of(problem.lon, problem.lat)
    return gx, gy, problem.municipality_id, problem.category_id, problem.status, day_of(problem.created_at)


def _row(zoom: int, level: int, key: Key) -> tuple:
    gx, gy, municipality, theme, status, day = key
    factor = 2 ** (grid.GRID_ZOOM - zoom)  # Python's // floors below zero too
    if level & MONTH:
        day = day.replace(day=1)
    return (zoom, level, gx // factor, gy // factor, municipality, theme if level & THEME else 0,
            status if level & STATUS else "", day if level & DAY else NO_DAY)


def _adapted(row: tuple) -> tuple:
    return (*row[:-1], connection.ops.adapt_datefield_value(row[-1]))


def move(before: Key | None, after: Key | None, problem: Problem) -> None:
    """``problem`` went from bucket ``before`` to ``after`` (either None: off the map)."""
    if before == after:
        return
    deltas: dict[tuple, list] = {}
    for key, sign in ((before, -1), (after, 1)):
        if key is None:
            continue
        for zoom, level in KEPT:
            delta = deltas.setdefault(_row(zoom, level, key), [0, 0.0, 0.0, 0])
            delta[0] += sign
            delta[1] += sign * problem.lat
            delta[2] += sign * problem.lon
            delta[3] += sign * problem.pk
    rows = sorted((row, delta) for row, delta in deltas.items() if delta[0])  # the same lock order for everyone
    if not rows:
        return
    table = MapBucket._meta.db_table
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    params = [value for row, delta in rows for value in (*_adapted(row), *delta)]
    columns = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}, n, sum_lat, sum_lon, sum_id) VALUES {values} "  # noqa: S608
            f"ON CONFLICT ({columns}) DO UPDATE SET n = {table}.n + excluded.n, "
            f"sum_lat = {table}.sum_lat + excluded.sum_lat, sum_lon = {table}.sum_lon + excluded.sum_lon, "
            f"sum_id = {table}.sum_id + excluded.sum_id", params)
        emptied = [row for row, delta in rows if delta[0] < 0]  # only the rows it left may be empty now
        if emptied:  # by their keys: a dense cell has thousands of rows of other days and themes
            one = "(" + " AND ".join(f"{column} = %s" for column in COLUMNS) + ")"
            cursor.execute(f"DELETE FROM {table} WHERE n <= 0 AND ({' OR '.join([one] * len(emptied))})",  # noqa: S608
                           [value for row in emptied for value in _adapted(row)])


def _month(column: str) -> str:
    if connection.vendor == "sqlite":
        return f"date({column}, 'start of month')"
    return f"CAST(date_trunc('month', {column}) AS date)"


def rebuild() -> int:
    """Count every published problem again (after bulk writes); returns the number of rows."""
    table = MapBucket._meta.db_table
    size = grid.cell_size(grid.GRID_ZOOM)
    finest = (Problem.objects.filter(status__in=Problem.PUBLISHED, duplicate_of__isnull=True)
              .annotate(b_gx=RawSQL(grid._floor(f"lon / {size!r}"), ()),  # noqa: S611 (no input in it)
                        b_gy=RawSQL(grid._floor(f"lat / {size!r}"), ()),  # noqa: S611
                        b_day=TruncDate("created_at", tzinfo=timezone.get_default_timezone()))
              .values("b_gx", "b_gy", "municipality_id", "category_id", "status", "b_day").order_by()
              .annotate(b_n=Count("id"), b_lat=Sum("lat"), b_lon=Sum("lon"), b_ids=Sum("id")))
    sql, params = finest.query.sql_with_params()
    columns = ", ".join(COLUMNS)
    fine, top = grid.GRID_ZOOM, THEME | STATUS | DAY
    insert = f"INSERT INTO {table} ({columns}, n, sum_lat, sum_lon, sum_id) "
    sums = "SUM(n), SUM(sum_lat), SUM(sum_lon), SUM(sum_id)"
    coarser = " UNION ALL ".join(
        f"SELECT {fine}, {level}, gx, gy, municipality_id, {'category_id' if level & THEME else '0'}, "  # noqa: S608
        f"{'status' if level & STATUS else repr('')}, {'day' if level & DAY else '%s'}, {sums} "
        f"FROM {table} WHERE zoom = {fine} AND level = {top} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
        for level in LEVELS if level != top)
    coarse = ", ".join(str(level) for zoom, level in KEPT if zoom == COARSE_ZOOM)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        # each time in the order of the indexes (a filter's values, the day, the box), so that the rows one
        # view reads lie together on disk and not one page each
        cursor.execute(f"{insert} SELECT {fine}, {top}, b_gx, b_gy, municipality_id, category_id, status, "  # noqa: S608
                       f"b_day, b_n, b_lat, b_lon, b_ids FROM ({sql}) finest ORDER BY 6, 7, 8, 3, 4", params)
        cursor.execute(f"{insert} SELECT * FROM ({coarser}) coarser ORDER BY 2, 6, 7, 8, 3, 4",  # noqa: S608
                       [connection.ops.adapt_datefield_value(NO_DAY) for level in LEVELS
                        if level != top and not level & DAY])
        cursor.execute(f"{insert} SELECT {fine}, {DAY | MONTH}, gx, gy, municipality_id, 0, '', {_month('day')}, "  # noqa: S608
                       f"{sums} FROM {table} WHERE zoom = {fine} AND level = {DAY} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 "
                       f"ORDER BY 8, 3, 4", [])
        cursor.execute(f"{insert} SELECT {COARSE_ZOOM}, level, {grid._coarse('gx', COARSE_ZOOM)}, "  # noqa: S608
                       f"{grid._coarse('gy', COARSE_ZOOM)}, municipality_id, category_id, status, day, {sums} "
                       f"FROM {table} WHERE zoom = {fine} AND level IN ({coarse}) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 "
                       f"ORDER BY 2, 6, 7, 8, 3, 4", [])
    return MapBucket.objects.count()


def exact() -> bool:
    """Whether the buckets' days are the days the live filter would take (the site's zone is the active one)."""
    return timezone.get_current_timezone_name() == timezone.get_default_timezone_name()


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _dates(date_from: dt.date | None, date_to: dt.date | None) -> tuple[str, list]:
    """The dates' condition on the date-only rows: whole months from the month rows, the days at either end
    from the day rows (the two kinds are apart by level, so nothing is counted twice)."""
    adapt = connection.ops.adapt_datefield_value
    # no problem is made in the year 9999: an upper bound past November of it is as good as none
    low, high = date_from or dt.date(1, 1, 1), min(date_to or dt.date.max, dt.date(9999, 11, 30))
    first = low if low.day == 1 else _next_month(low)  # the first whole month …
    end = _next_month(high) if _next_month(high) - dt.timedelta(days=1) == high else high.replace(day=1)  # … up to
    if first >= end:  # no whole month inside: days only
        return f"level = {DAY} AND day >= %s AND day <= %s", [adapt(low), adapt(high)]
    return (f"((level = {DAY} AND ((day >= %s AND day < %s) OR (day >= %s AND day <= %s))) "
            f"OR (level = {DAY | MONTH} AND day >= %s AND day < %s))",
            [adapt(low), adapt(first), adapt(end), adapt(high), adapt(first), adapt(end)])


def query(*, bbox: tuple[float, float, float, float], zoom: int, municipality_id: int | None = None,
          category_ids: Sequence[int] = (), statuses: Sequence[str] = (), date_from: dt.date | None = None,
          date_to: dt.date | None = None) -> tuple[str, list]:
    """The one query of a filtered view: the level of exactly its filters, on the coarsest grid kept for it
    that is no coarser than the view's clusters."""
    level = (THEME if category_ids else 0) | (STATUS if statuses else 0) | (DAY if date_from or date_to else 0)
    source = COARSE_ZOOM if zoom <= COARSE_ZOOM and (COARSE_ZOOM, level) in KEPT else grid.GRID_ZOOM
    factor = 2 ** (grid.GRID_ZOOM - source)
    west, south, east, north = bbox
    (x0, y0), (x1, y1) = grid.cell_of(west, south), grid.cell_of(east, north)
    where = ["zoom = %s", "gx >= %s", "gx <= %s", "gy >= %s", "gy <= %s"]
    params: list = [source, x0 // factor, x1 // factor, y0 // factor, y1 // factor]
    if level == DAY:
        condition, dates = _dates(date_from, date_to)
        where.append(condition)
        params += dates
    else:
        where.append("level = %s")
        params.append(level)
        for bound, day in ((">=", date_from), ("<=", date_to)):
            if day:
                where.append(f"day {bound} %s")
                params.append(connection.ops.adapt_datefield_value(day))
        if not level & DAY:  # true of every row of the level: named, so an index runs on to the box
            where.append("day = %s")
            params.append(connection.ops.adapt_datefield_value(NO_DAY))
    if not level & THEME:
        where.append("category_id = 0")
    if not level & STATUS:
        where.append("status = ''")
    if municipality_id:
        where.append("municipality_id = %s")
        params.append(municipality_id)
    for column, values in (("category_id", list(category_ids)), ("status", list(statuses))):
        if values:
            where.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
            params += values
    at = zoom + grid.GRID_ZOOM - source  # the grid's coarsening, from the source's cells instead of zoom 12's
    return (f"SELECT {grid._coarse('gx', at)}, {grid._coarse('gy', at)}, SUM(n), SUM(sum_lat) / SUM(n), "  # noqa: S608
            f"SUM(sum_lon) / SUM(n), SUM(sum_id) FROM {MapBucket._meta.db_table} WHERE {' AND '.join(where)} "
            f"GROUP BY 1, 2"), params


def clusters(**view) -> tuple[list[dict], list[dict]]:
    """The clusters and single problems of a filtered view at ``zoom`` <= ``grid.GRID_ZOOM`` (the arguments of
    ``query``); a cell the view cuts is shown whole, as in ``grid.clusters``."""
    sql, params = query(**view)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    groups, points = [], []
    for _x, _y, n, lat, lon, ids in rows:
        if n == 1:
            points.append({"id": int(ids), "lat": lat, "lon": lon})
        elif n:
            groups.append({"count": int(n), "lat": round(lat, 6), "lon": round(lon, 6)})
    return groups, points
