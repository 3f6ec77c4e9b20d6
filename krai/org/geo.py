"""Municipal boundaries: validation of GeoJSON and a fast point → municipality lookup.

Krai keeps boundaries as GeoJSON in a JSON column (no PostGIS, so SQLite installations work) and
answers "which municipality is this point in?" from an in-process shapely STRtree of prepared
polygons. The tree is built once per process and rebuilt when any municipality changes: services
bump a version key in Django's cache (shared by all processes when the cache is Redis), and a
lookup compares the version its index was built with against the cache's — at most once a second
per process (``KRAI_GEO_VERSION_CHECK_SECONDS``; a clock read otherwise), while the process that made
the change drops its index at once. Bulk callers use :func:`locate_many`, which tests all points of
a batch in one vectorised call.

A point on a border shared by two municipalities belongs to the one whose ``code`` sorts first, so
the answer does not depend on the process, the database or the order rows were written in.
"""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

VERSION_KEY = "krai:org:municipalities:version"
POLYGON_TYPES = ("Polygon", "MultiPolygon")


# --- validation ---------------------------------------------------------------------------------

def parse_boundary(value: Any, *, field: str = "boundary") -> shapely.Geometry:
    """Turn a GeoJSON geometry into a valid shapely (Multi)Polygon in lon/lat, or raise ValidationError.

    Accepts the geometry itself, or a Feature wrapping one (what map editors usually export).
    """

    def invalid(message) -> ValidationError:
        return ValidationError({field: [message]})

    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or "type" not in value or "coordinates" not in value:
        raise invalid(_("Send a GeoJSON geometry: an object with \"type\" and \"coordinates\"."))
    if value["type"] not in POLYGON_TYPES:
        raise invalid(_("A boundary must be a GeoJSON Polygon or MultiPolygon, not %(type)s.")
                      % {"type": str(value["type"])[:40]})
    try:
        geometry = shape(value)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        raise invalid(_("The boundary's coordinates are malformed: %(error)s") % {"error": str(exc)[:200]}) from exc
    if geometry.is_empty:
        raise invalid(_("The boundary is empty."))
    coords = shapely.get_coordinates(geometry)
    if not np.isfinite(coords).all():
        raise invalid(_("The boundary has coordinates that are not finite numbers."))
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if min_lon < -180 or max_lon > 180:
        raise invalid(_("Longitudes must lie between -180 and 180 (GeoJSON lists longitude first)."))
    if min_lat < -90 or max_lat > 90:
        raise invalid(_("Latitudes must lie between -90 and 90 (GeoJSON lists longitude first)."))
    if not geometry.is_valid:
        raise invalid(_("The boundary is not a valid polygon: %(reason)s") % {"reason": explain_validity(geometry)})
    if geometry.area <= 0:
        raise invalid(_("The boundary encloses no area."))
    return geometry


def to_geojson(geometry: shapely.Geometry) -> dict:
    """A GeoJSON geometry with plain lists (what a JSON column stores and an API returns)."""

    def lists(item):
        return [lists(x) for x in item] if isinstance(item, list | tuple) else item

    data = mapping(geometry)
    return {"type": data["type"], "coordinates": lists(data["coordinates"])}


def bbox(geometry: shapely.Geometry) -> dict[str, float]:
    """The bounding-box columns of a municipality, from its boundary."""
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    return {"min_lon": min_lon, "min_lat": min_lat, "max_lon": max_lon, "max_lat": max_lat}


def check_point(lon: float, lat: float) -> None:
    """Raise ValidationError unless (lon, lat) is a point on the Earth."""
    errors: dict[str, list] = {}
    if not isinstance(lon, int | float) or not math.isfinite(lon) or not -180 <= lon <= 180:
        errors["lon"] = [_("Longitude must be a number between -180 and 180.")]
    if not isinstance(lat, int | float) or not math.isfinite(lat) or not -90 <= lat <= 90:
        errors["lat"] = [_("Latitude must be a number between -90 and 90.")]
    if errors:
        raise ValidationError(errors)


# --- the index ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Index:
    """The boundaries of all active municipalities, ordered by code, with an STRtree over them."""

    version: str
    ids: np.ndarray  # municipality ids, in code order
    geometries: np.ndarray  # prepared shapely geometries, same order

    tree: shapely.STRtree = field(init=False)
    _pairs: tuple = field(init=False, repr=False)  # (geometry, id) as Python objects: the scalar path

    def __post_init__(self) -> None:
        object.__setattr__(self, "tree", shapely.STRtree(self.geometries))
        object.__setattr__(self, "_pairs", tuple(zip(self.geometries.tolist(), self.ids.tolist(), strict=True)))

    def locate(self, lon: float, lat: float) -> int | None:
        # one point: shapely's scalar methods on prepared geometries beat its vectorised ufuncs here
        point = shapely.Point(lon, lat)
        best = None
        for i in self.tree.query(point).tolist():  # bounding boxes first, then the exact test
            if (best is None or i < best) and self._pairs[i][0].intersects(point):
                best = i  # the lowest index is the first code: deterministic on borders
        return None if best is None else self._pairs[best][1]

    def locate_many(self, lons: np.ndarray, lats: np.ndarray) -> list[int | None]:
        result: list[int | None] = [None] * len(lons)
        if not len(self.ids) or not len(lons):
            return result
        points_idx, tree_idx = self.tree.query(shapely.points(lons, lats))
        hit = shapely.intersects_xy(self.geometries[tree_idx], lons[points_idx], lats[points_idx])
        points_idx, tree_idx = points_idx[hit], tree_idx[hit]
        # for each point keep the smallest tree index among its hits (the first code)
        order = np.lexsort((tree_idx, points_idx))
        points_idx, tree_idx = points_idx[order], tree_idx[order]
        first = np.ones(len(points_idx), dtype=bool)
        first[1:] = points_idx[1:] != points_idx[:-1]
        for p, t in zip(points_idx[first].tolist(), tree_idx[first].tolist(), strict=True):
            result[p] = int(self.ids[t])
        return result


_lock = threading.Lock()
_index: Index | None = None
_checked_at = 0.0  # when this process last compared its index's version with the cache's


_interval: float | None = None


def check_interval() -> float:
    """Seconds between two reads of the shared version by one process (0: every lookup).

    Reading it costs a cache round trip (a Redis GET in production), more than the lookup itself;
    once a second bounds how stale another process can be, while the process that made a change
    sees it at once (``invalidate`` drops its index). Tests read it on every lookup, because they
    clear the cache between tests.
    """
    global _interval
    if _interval is None:
        default = 0.0 if getattr(settings, "TESTING", False) else 1.0
        _interval = float(getattr(settings, "KRAI_GEO_VERSION_CHECK_SECONDS", default))
    return _interval


@receiver(setting_changed)
def _forget_interval(*, setting: str, **kwargs) -> None:
    global _interval
    if setting in ("KRAI_GEO_VERSION_CHECK_SECONDS", "TESTING"):
        _interval = None


def current_version() -> str:
    """The cache's version of the municipalities; a fresh one if the cache lost it (a restart, a flush)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or "uncached"
    return version


def _build(version: str) -> Index:
    from krai.org.models import Municipality  # late: the models import nothing from here, keep it so

    rows = (Municipality.objects.filter(is_active=True, boundary__isnull=False)
            .order_by("code").values_list("id", "boundary"))
    ids, geometries = [], []
    for pk, boundary in rows:
        try:
            geometry = parse_boundary(boundary)
        except ValidationError:
            continue  # a row written around the services with a broken boundary must not break every lookup
        shapely.prepare(geometry)
        ids.append(pk)
        geometries.append(geometry)
    return Index(version=version, ids=np.array(ids, dtype=np.int64), geometries=np.array(geometries, dtype=object))


def get_index() -> Index:
    """The process's index, rebuilt if a municipality changed since it was built.

    The shared version is read at most every ``check_interval()`` seconds.
    """
    global _index, _checked_at
    index = _index
    now = time.monotonic()
    if index is not None and now - _checked_at < check_interval():
        return index
    version = current_version()
    _checked_at = now
    if index is not None and index.version == version:
        return index
    with _lock:
        if _index is None or _index.version != version:
            _index = _build(version)
        return _index


def locate(lon: float, lat: float) -> int | None:
    """The id of the active municipality containing (lon, lat), or None outside all of them."""
    check_point(lon, lat)
    return get_index().locate(float(lon), float(lat))


def locate_many(points: Sequence[tuple[float, float]]) -> list[int | None]:
    """Municipality ids for many (lon, lat) points at once (one version check, vectorised tests)."""
    coords = np.asarray(points, dtype=float).reshape(-1, 2)
    if len(coords) and not (np.isfinite(coords).all() and (np.abs(coords[:, 0]) <= 180).all()
                            and (np.abs(coords[:, 1]) <= 90).all()):
        raise ValidationError(_("Every point needs a longitude between -180 and 180 and a latitude between "
                                "-90 and 90."))
    return get_index().locate_many(coords[:, 0], coords[:, 1])


def bump_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def invalidate() -> None:
    """Make every process rebuild its index: now (this process sees its own uncommitted change) and
    again after commit (other processes must not keep an index built from the rows before it)."""
    global _index, _checked_at
    _index = None
    _checked_at = 0.0
    bump_version()
    transaction.on_commit(bump_version)
