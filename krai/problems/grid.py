"""The pre-aggregated map grid (``MapCell``): published problems counted per cell of the zoom-12 grid.

Cluster cells at a zoom ``z`` <= 12 are exactly ``2**(12 - z)`` grid cells wide (both are powers of two
of a 256-pixel tile), so a far-out view's clusters — counts, centroids, the single problems — are the
grid's rows summed, the same numbers the live query over the problems gives, from a few thousand rows
instead of up to a million. The map uses the grid for views without filters; filtered views stay live.

Kept exact in the writer's transaction: publishing adds the problem to its cell (an upsert that adds, so
two publishers in one cell do not lose each other's count), merging a published duplicate takes it out.
Bulk writes (the demo, imports, the benchmark) call ``rebuild()``.
"""

from __future__ import annotations

import math

from django.db import connection

from krai.problems.models import MapCell, Problem

GRID_ZOOM = 12


def cell_size(zoom: int) -> float:
    """Degrees of longitude per cluster cell: a quarter of a 256-pixel tile at ``zoom``."""
    return 360.0 / (2 ** max(0, min(zoom, 22))) / 4


def cell_of(lon: float, lat: float) -> tuple[int, int]:
    size = cell_size(GRID_ZOOM)
    return math.floor(lon / size), math.floor(lat / size)


def _tables() -> tuple[str, str]:
    return MapCell._meta.db_table, Problem._meta.db_table


def add(problem: Problem) -> None:
    """A problem became visible on the map (published)."""
    gx, gy = cell_of(problem.lon, problem.lat)
    least = "MIN" if connection.vendor == "sqlite" else "LEAST"
    table, _problems = _tables()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (gx, gy, n, sum_lat, sum_lon, min_id) VALUES (%s, %s, 1, %s, %s, %s) "  # noqa: S608
            f"ON CONFLICT (gx, gy) DO UPDATE SET n = {table}.n + 1, sum_lat = {table}.sum_lat + excluded.sum_lat, "
            f"sum_lon = {table}.sum_lon + excluded.sum_lon, min_id = {least}({table}.min_id, excluded.min_id)",
            [gx, gy, problem.lat, problem.lon, problem.pk])


def remove(problem: Problem) -> None:
    """A published problem left the map (merged into another); its cell's smallest id is found again."""
    gx, gy = cell_of(problem.lon, problem.lat)
    table, problems = _tables()
    size = cell_size(GRID_ZOOM)
    published = ", ".join(["%s"] * len(Problem.PUBLISHED))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET n = n - 1, sum_lat = sum_lat - %s, sum_lon = sum_lon - %s "  # noqa: S608
                       f"WHERE gx = %s AND gy = %s", [problem.lat, problem.lon, gx, gy])
        cursor.execute(f"DELETE FROM {table} WHERE gx = %s AND gy = %s AND n <= 0", [gx, gy])  # noqa: S608
        cursor.execute(
            f"UPDATE {table} SET min_id = (SELECT MIN(id) FROM {problems} WHERE status IN ({published}) "  # noqa: S608
            f"AND duplicate_of_id IS NULL AND lon >= %s AND lon < %s AND lat >= %s AND lat < %s) "
            f"WHERE gx = %s AND gy = %s AND min_id = %s",
            [*Problem.PUBLISHED, gx * size, (gx + 1) * size, gy * size, (gy + 1) * size, gx, gy, problem.pk])


def _coarse(column: str, zoom: int) -> str:
    """The cell at ``zoom`` of a grid column: floor division in integers only (SQLite's FLOOR is a Python
    callback, ten times slower), written so that it floors negative numbers too on both databases."""
    factor = 2 ** (GRID_ZOOM - max(0, min(zoom, GRID_ZOOM)))
    return f"(({column} - ((({column} %% {factor}) + {factor}) %% {factor})) / {factor})"


def _floor(expression: str) -> str:
    if connection.vendor == "sqlite":  # CAST truncates; one less below zero (no Python callback per row)
        return f"(CAST({expression} AS INTEGER) - ({expression} < CAST({expression} AS INTEGER)))"
    return f"CAST(FLOOR({expression}) AS INTEGER)"


def rebuild() -> int:
    """Count every published problem again (after bulk writes); returns the number of cells."""
    table, problems = _tables()
    size = cell_size(GRID_ZOOM)
    published = ", ".join(["%s"] * len(Problem.PUBLISHED))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} (gx, gy, n, sum_lat, sum_lon, min_id) "  # noqa: S608
            f"SELECT {_floor(f'lon / {size!r}')}, {_floor(f'lat / {size!r}')}, COUNT(*), "
            f"SUM(lat), SUM(lon), MIN(id) FROM {problems} WHERE status IN ({published}) "
            f"AND duplicate_of_id IS NULL GROUP BY 1, 2", list(Problem.PUBLISHED))
    return MapCell.objects.count()


def clusters(*, bbox: tuple[float, float, float, float], zoom: int) -> tuple[list[dict], list[dict]]:
    """The clusters and single problems of a view at ``zoom`` <= ``GRID_ZOOM``, from the grid.

    A cell is shown whole when the view cuts it (the map snaps far-out views to whole cells anyway).
    """
    west, south, east, north = bbox
    (x0, y0), (x1, y1) = cell_of(west, south), cell_of(east, north)
    table, _problems = _tables()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_coarse('gx', zoom)}, {_coarse('gy', zoom)}, SUM(n), SUM(sum_lat) / SUM(n), "  # noqa: S608
            f"SUM(sum_lon) / SUM(n), MIN(min_id) FROM {table} WHERE gx >= %s AND gx <= %s AND gy >= %s "
            f"AND gy <= %s GROUP BY 1, 2", [x0, x1, y0, y1])
        rows = cursor.fetchall()
    groups, points = [], []
    for _x, _y, n, lat, lon, first in rows:
        if n == 1:
            points.append({"id": first, "lat": lat, "lon": lon})
        elif n:
            groups.append({"count": int(n), "lat": round(lat, 6), "lon": round(lon, 6)})
    return groups, points
