"""The map's read: published problems in a bounding box, as single points when close and as server-side
clusters further out — from the pre-aggregated grid or buckets where the filters allow, counted live otherwise,
and cached for a minute far out.
"""

from __future__ import annotations

import hashlib
import math

from django.core.cache import cache
from django.db.models import Avg, Count, F, FloatField, Min
from django.db.models.functions import Floor

from krai.problems import buckets, grid
from krai.problems.models import Category, Problem
from krai.problems.selectors.base import STATUS_GROUPS, Filters, _category_ids

POINTS_FROM_ZOOM = 15  # at this zoom and closer the map gets single problems, further out clusters
MAX_POINTS = 2000


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """``west,south,east,north`` in degrees, else ValueError."""
    parts = [float(part) for part in (value or "").split(",")]
    if len(parts) != 4 or not all(math.isfinite(p) for p in parts):
        raise ValueError("bbox")
    west, south, east, north = parts
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90) or west > east:
        raise ValueError("bbox")
    return west, south, east, north


def cell_size(zoom: int) -> float:
    """Degrees of longitude per cluster cell: a quarter of a 256-pixel tile at ``zoom``."""
    return 360.0 / (2 ** max(0, min(zoom, 22))) / 4


def _category_names() -> dict[int, str]:
    key = "krai:problems:category-names"
    names = cache.get(key)
    if names is None:
        names = dict(Category.objects.values_list("id", "name"))
        cache.set(key, names, 300)
    return names


CACHE_BELOW_ZOOM = 13  # cluster answers further out than this are cached …
CACHE_SECONDS = 60  # … this long: a regional view is the same for everyone, a minute's staleness is harmless


def _snap(bbox: tuple[float, float, float, float], step: float) -> tuple[float, float, float, float]:
    west, south, east, north = bbox
    return (max(-180.0, math.floor(west / step) * step), max(-90.0, math.floor(south / step) * step),
            min(180.0, math.ceil(east / step) * step), min(90.0, math.ceil(north / step) * step))


def _in_buckets(filters: Filters) -> bool:
    """Whether every filter is a dimension of the pre-aggregated buckets (else the view is counted live)."""
    return (not (filters.organisation_id or filters.overdue or filters.text or filters.body)
            and buckets.exact())


def map_features(*, bbox: tuple[float, float, float, float], zoom: int, filters: Filters | None = None,
                 use_cache: bool = True, use_grid: bool = True) -> dict:
    """Published problems in a bounding box: single points when close, else server-side clusters.

    One query either way; a cluster is a grid cell's count and centroid, so the answer stays small and
    fast however many problems there are. Far out (zoom < 13) the box is widened to whole blocks of
    cells and the answer cached for a minute, so panning around the region costs one query per block.
    Without filters, zoom 12 and further out read the pre-aggregated grid (``krai.problems.grid``): the
    same clusters from a few thousand rows, however many problems there are; filtered by theme, status,
    municipality and dates only, they read the buckets of exactly those filters (``krai.problems.buckets``).
    """
    if use_cache and zoom < CACHE_BELOW_ZOOM:
        bbox = _snap(bbox, cell_size(zoom) * 8)
        key = "krai:problems:map:" + hashlib.sha1(repr((zoom, bbox, (filters or Filters()).key())).encode(),
                                                  usedforsecurity=False).hexdigest()
        data = cache.get(key)
        if data is None:
            data = map_features(bbox=bbox, zoom=zoom, filters=filters, use_cache=False, use_grid=use_grid)
            cache.set(key, data, CACHE_SECONDS)
        return data
    if use_grid and zoom <= grid.GRID_ZOOM and (filters is None or filters.key() == Filters().key()):
        clusters, points = grid.clusters(bbox=bbox, zoom=zoom)
        return {"mode": "clusters", "clusters": clusters, "points": points}
    if use_grid and zoom <= grid.GRID_ZOOM and filters is not None and _in_buckets(filters):
        clusters, points = buckets.clusters(
            bbox=bbox, zoom=zoom, municipality_id=filters.municipality_id, category_ids=_category_ids(filters.category),
            statuses=STATUS_GROUPS.get(filters.status, (filters.status,) if filters.status else ()),
            date_from=filters.date_from, date_to=filters.date_to)
        return {"mode": "clusters", "clusters": clusters, "points": points}
    west, south, east, north = bbox
    qs = (filters or Filters()).apply(Problem.objects.filter(status__in=Problem.PUBLISHED,
                                                             duplicate_of__isnull=True))
    qs = qs.filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)
    if zoom >= POINTS_FROM_ZOOM:
        # no join: a join can turn the planner from the box index to a scan of the primary key
        rows = list(qs.order_by("-id").values_list("id", "lat", "lon", "status", "category_id")[:MAX_POINTS + 1])
        names = _category_names()
        return {"mode": "points", "truncated": len(rows) > MAX_POINTS,
                "points": [{"id": pk, "lat": lat, "lon": lon, "status": status, "category": names.get(category, "")}
                           for pk, lat, lon, status, category in rows[:MAX_POINTS]]}
    size = cell_size(zoom)
    cells = (qs.annotate(gx=Floor(F("lon") / size, output_field=FloatField()),
                         gy=Floor(F("lat") / size, output_field=FloatField()))
             .values("gx", "gy").order_by()
             .annotate(n=Count("id"), lat=Avg("lat"), lon=Avg("lon"), first=Min("id")))
    clusters, points = [], []
    for cell in cells:
        if cell["n"] == 1:
            points.append({"id": cell["first"], "lat": cell["lat"], "lon": cell["lon"]})
        else:
            clusters.append({"count": cell["n"], "lat": round(cell["lat"], 6), "lon": round(cell["lon"], 6)})
    return {"mode": "clusters", "clusters": clusters, "points": points}
