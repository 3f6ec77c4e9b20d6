"""Reads of the public registry of constructions: the list by the page's filters, one object, the map's GeoJSON,
the objects near a point, the object's documents and photos, its history as the card shows it, and the rows of
the live dataset. The registry is public: everyone reads every object.

Filters (a mapping; every key optional, an unknown or empty value ignored): ``municipality`` (a row or its id),
``kind``, ``stage``, ``q`` (words found in the name, the address, the developer, the purpose, the permit's and the
cadastral numbers, the INN: every word somewhere), ``developer``, ``permit``, ``address``, ``cadastral`` (text in
that field only), ``expired`` (true: the permit's validity has ended and the object is not commissioned).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.construction.models import ConstructionObject, ObjectKind, ObjectStage
from krai.construction.selectors.history import history_of
from krai.core.search import query as search_query

WORD_FIELDS = ("name", "address", "developer", "purpose", "permit_number", "cadastral_number", "developer_inn")
FIELD_FILTERS = {"developer": ("developer", "developer_inn"), "permit": ("permit_number", "permit_authority"),
                 "address": ("address",), "cadastral": ("cadastral_number",)}
#: a typed number with its separators (a cadastral or a permit's number) is looked for whole
_NUMBER_TOKEN = re.compile(r"(?=.*\d)[\w]+(?:[:\-/.][\w]+)+")
EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = 111_320.0
#: the labels of the history's keys that are not fields of the object
HISTORY_LABELS = {"document": _("Document added"), "photo": _("Photo added")}
OUTLINE_DRAWN = _("outline drawn")


def _variants(word: str) -> set[str]:
    """SQLite's LIKE folds the case of Latin letters only: the usual spellings of a Cyrillic word are matched
    each (PostgreSQL's ILIKE needs one)."""
    return {word, word.capitalize(), word.upper()}


def _any_field(fields: tuple[str, ...], text: str) -> Q:
    condition = Q(pk__in=[])
    for variant in _variants(text):
        for name in fields:
            condition |= Q(**{f"{name}__icontains": variant})
    return condition


def _words(rows: QuerySet[ConstructionObject], text: str) -> QuerySet[ConstructionObject]:
    for token in str(text or "").split()[:search_query.MAX_WORDS]:
        if _NUMBER_TOKEN.fullmatch(token):
            rows = rows.filter(_any_field(("permit_number", "cadastral_number", "address"), token))
            continue
        for word in search_query.words(token):
            rows = rows.filter(_any_field(WORD_FIELDS, search_query.crude_stem(word)))
    return rows


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() in ("1", "true", "yes", "on")


def _id(value: Any) -> int | None:
    value = getattr(value, "pk", value)
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def object_list(filters: Mapping[str, Any] | None = None, *, today: date | None = None) -> QuerySet[ConstructionObject]:
    """The objects matching ``filters`` (see the module), by name."""
    filters = filters or {}
    rows = ConstructionObject.objects.select_related("municipality", "inspection_body")
    municipality = _id(filters.get("municipality"))
    if municipality is not None:
        rows = rows.filter(municipality_id=municipality)
    if filters.get("kind") in ObjectKind.values:
        rows = rows.filter(kind=filters["kind"])
    if filters.get("stage") in ObjectStage.values:
        rows = rows.filter(stage=filters["stage"])
    for key, fields in FIELD_FILTERS.items():
        text = " ".join(str(filters.get(key) or "").split())[:200]
        if text:
            rows = rows.filter(_any_field(fields, text))
    rows = _words(rows, filters.get("q", ""))
    if _flag(filters.get("expired")):
        rows = rows.filter(permit_valid_until__lt=today or timezone.localdate()).exclude(
            stage=ObjectStage.COMMISSIONED)
    return rows.order_by("name", "pk")


def object_get(pk: Any) -> ConstructionObject:
    """One object; a missing one (or a malformed id) is a 404."""
    found = _id(pk)
    obj = (ConstructionObject.objects.select_related("municipality", "inspection_body", "created_by")
           .filter(pk=found).first() if found is not None and 0 < found < 2**63 else None)
    if obj is None:
        raise Http404
    return obj


def permit_expired(obj: ConstructionObject, today: date | None = None) -> bool:
    return bool(obj.permit_valid_until and obj.permit_valid_until < (today or timezone.localdate())
                and obj.stage != ObjectStage.COMMISSIONED)


# --- the map -------------------------------------------------------------------------------------------

def _properties(obj: ConstructionObject, shape: str) -> dict[str, Any]:
    return {"id": obj.pk, "shape": shape, "name": obj.name, "address": obj.address, "kind": obj.kind,
            "kind_label": str(obj.get_kind_display()), "stage": obj.stage, "stage_label": str(obj.get_stage_display()),
            "url": obj.get_absolute_url()}


def object_geojson(obj: ConstructionObject) -> dict[str, Any]:
    """One object as a FeatureCollection: its point and its outline (for its card's map)."""
    features = []
    if obj.lat is not None:
        features.append({"type": "Feature", "id": obj.pk, "properties": _properties(obj, "point"),
                         "geometry": {"type": "Point", "coordinates": [obj.lon, obj.lat]}})
    if obj.polygon:
        features.append({"type": "Feature", "id": f"{obj.pk}-outline", "properties": _properties(obj, "outline"),
                         "geometry": obj.polygon})
    return {"type": "FeatureCollection", "features": features}


def objects_geojson(filters: Mapping[str, Any] | None = None,
                    bbox: tuple[float, float, float, float] | None = None) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the filtered objects: a Point feature for each object placed (``shape``
    "point"), and a Polygon/MultiPolygon feature for each outline (``shape`` "outline"). ``bbox`` (west, south,
    east, north) keeps the points inside it."""
    rows = object_list(filters).filter(lat__isnull=False)
    if bbox is not None:
        west, south, east, north = bbox
        rows = rows.filter(lon__gte=west, lon__lte=east, lat__gte=south, lat__lte=north)
    features: list[dict[str, Any]] = []
    rows = rows.select_related(None).only("pk", "name", "address", "kind", "stage", "lat", "lon", "polygon")
    for obj in rows.iterator(chunk_size=2000):
        features.extend(object_geojson(obj)["features"])
    return {"type": "FeatureCollection", "features": features}


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, metres: float) -> Q:
    """The rows whose ``lat``/``lon`` fall in a box around the point holding the circle of ``metres`` (the indexed
    columns narrow first; the haversine distance decides)."""
    d_lat = metres / METRES_PER_DEGREE
    d_lon = metres / (METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    return Q(lat__gte=lat - d_lat, lat__lte=lat + d_lat, lon__gte=lon - d_lon, lon__lte=lon + d_lon)


def nearby_objects(lat: float, lon: float, metres: float, *, limit: int = 20) -> list[ConstructionObject]:
    """The objects within ``metres`` of the point, closest first, each with ``distance_m`` set: a bounding box
    narrows them in the database (its indexed lat/lon), the haversine distance decides."""
    metres = max(0.0, float(metres))
    rows = ConstructionObject.objects.select_related("municipality").filter(bounding_box(lat, lon, metres))
    near = []
    for obj in rows:
        obj.distance_m = round(distance_m(lat, lon, obj.lat, obj.lon), 1)
        if obj.distance_m <= metres:
            near.append(obj)
    near.sort(key=lambda obj: (obj.distance_m, obj.pk))
    return near[:limit]


# --- the card --------------------------------------------------------------------------------------

def object_files(obj: ConstructionObject, *, user: Any) -> tuple[list[Any], list[Any]]:
    """The object's (documents, photos) as ``user`` may see them, in upload order: documents are PDF and office
    files, photos are images (``object_attach`` accepts each kind only as such)."""
    from krai.core.files.selectors import attachments_for

    attachments = list(attachments_for(user=user, target=obj))
    return [a for a in attachments if not a.is_image], [a for a in attachments if a.is_image]


def _shown(name: str, value: Any) -> Any:
    """A history value as the card shows it: an outline is said to be drawn, not printed as coordinates."""
    if name == "polygon" and value:
        return OUTLINE_DRAWN
    return value


def history_rows(obj: ConstructionObject) -> list[dict[str, Any]]:
    """The object's history, newest first: when, who (as the community names him), the note and each change as
    (label, old, new)."""
    from krai.social.selectors.profiles import display_name

    rows = []
    for change in history_of(obj):
        items = []
        for name, pair in (change.changes or {}).items():
            old, new = [*pair, None, None][:2] if isinstance(pair, list | tuple) else (None, pair)
            try:
                label = ConstructionObject._meta.get_field(name).verbose_name
            except FieldDoesNotExist:  # a key that is not a field (a file added): its own label
                label = HISTORY_LABELS.get(name, name)
            items.append({"field": name, "label": label, "old": _shown(name, old), "new": _shown(name, new)})
        rows.append({"change": change, "at": change.at, "actor": change.actor, "note": change.note, "items": items,
                     "actor_name": display_name(change.actor) if change.actor is not None else ""})
    return rows


# --- the live dataset ------------------------------------------------------------------------------

def open_rows() -> Iterator[dict[str, Any]]:
    """Every object of the registry as the open dataset publishes it (no personal data: the developer is an
    organisation or an entrepreneur as the permit names it, never who entered the row)."""
    rows = ConstructionObject.objects.select_related("municipality").order_by("pk")
    for obj in rows.iterator(chunk_size=2000):
        yield {"id": obj.pk, "name": obj.name, "kind": str(obj.get_kind_display()),
               "stage": str(obj.get_stage_display()), "address": obj.address,
               "municipality": obj.municipality.name if obj.municipality_id else "",
               "cadastral_number": obj.cadastral_number, "developer": obj.developer,
               "developer_inn": obj.developer_inn, "permit_number": obj.permit_number,
               "permit_date": obj.permit_date, "permit_authority": obj.permit_authority,
               "permit_valid_until": obj.permit_valid_until,
               "approved_floors": obj.approved_floors,
               "approved_area": float(obj.approved_area) if obj.approved_area is not None else None,
               "purpose": obj.purpose,
               "lat": round(obj.lat, 6) if obj.lat is not None else None,
               "lon": round(obj.lon, 6) if obj.lon is not None else None,
               "updated": obj.updated_at.date()}
