"""Municipal boundaries: validation of GeoJSON and a fast point → municipality lookup.

Krai keeps boundaries as GeoJSON in a JSON column (no PostGIS, so SQLite installations work) and
answers "which municipality is this point in?" from an in-process shapely STRtree of prepared
polygons. The tree is built once per process and rebuilt when any municipality changes: services
bump a version key in Django's cache (shared by all processes when the cache is Redis), and every
lookup compares the version it was built with against the cache — one local-memory or one Redis
``GET``, against a full reload of the boundaries. Bulk callers use :func:`locate_many`, which checks
the version once for a whole batch and tests all points in one vectorised call.

A point on a border shared by two municipalities belongs to the one whose ``code`` sorts first, so
the answer does not depend on the process, the database or the order rows were written in.
"""

from __future__ import annotations

import math
import threading
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
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
    tree: shapely.STRtree

    def locate(self, lon: float, lat: float) -> int | None:
        if not len(self.ids):
            return None
        candidates = self.tree.query(shapely.Point(lon, lat))
        for i in np.sort(candidates):  # the lowest index is the first code: deterministic on borders
            if shapely.intersects_xy(self.geometries[i], lon, lat):
                return int(self.ids[i])
        return None

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
        for p, t in zip(points_idx[first], tree_idx[first], strict=True):
            result[int(p)] = int(self.ids[t])
        return result


_lock = threading.Lock()
_index: Index | None = None


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
    geoms = np.array(geometries, dtype=object)
    return Index(version=version, ids=np.array(ids, dtype=np.int64), geometries=geoms, tree=shapely.STRtree(geoms))


def get_index() -> Index:
    """The process's index, rebuilt if a municipality changed since it was built."""
    global _index
    version = current_version()
    index = _index
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
    return get_index().locate_many(coords[:, 0], coords[:, 1])


def bump_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def invalidate() -> None:
    """Make every process rebuild its index: now (this process sees its own uncommitted change) and
    again after commit (other processes must not keep an index built from the rows before it)."""
    global _index
    _index = None
    bump_version()
    transaction.on_commit(bump_version)
