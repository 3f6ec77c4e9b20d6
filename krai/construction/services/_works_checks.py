"""The shared private checks of the works' services (``works``, ``works_residents``, ``works_slips``): the event
payload, the row lock, the fields' cleaners (text, dates, the point and its municipality, the line or outline, the
body in the actor's reach, the programme, the cost, the INN) and the plan's order.

Private (the module's name starts with ``_``): no service lives here, every function writes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from krai.construction import policy
from krai.construction.models import Work, WorkKind
from krai.org.addresses import selectors as addresses
from krai.org.models import Organisation
from krai.org.selectors import municipality_at
from krai.projects.models import Programme

REASON_MAX = 2000
GEOMETRY_POINTS_MAX = 5000
GEOMETRY_TYPES = ("LineString", "MultiLineString", "Polygon", "MultiPolygon")


def _payload(work: Work, **extra: Any) -> dict[str, Any]:
    return {"work_id": work.pk, "name": work.name, "status": work.status, "municipality_id": work.municipality_id,
            "responsible_body_id": work.responsible_body_id, **extra}


def _lock(work: Work) -> Work:
    return Work.objects.select_for_update().get(pk=work.pk)


def _sync(work: Work, fresh: Work) -> None:
    """The caller's object shows what the row now holds."""
    for field in Work._meta.concrete_fields:
        setattr(work, field.attname, getattr(fresh, field.attname))


def _text(value: Any, *, field: str, limit: int, required: str = "") -> str:
    text = str(value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationError({field: required})
    if len(text) > limit:
        raise ValidationError({field: _("At most %(limit)s characters (this one has %(length)s).")
                               % {"limit": limit, "length": len(text)}})
    return text


def _day(value: Any, *, field: str, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("Give the date.")})
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({field: _("Give a date as YYYY-MM-DD.")}) from None


def _coordinate(value: Any, *, field: str, limit: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("Give a number.")}) from None
    if not -limit <= number <= limit:
        raise ValidationError({field: _("The coordinates are not on the Earth.")})
    return number


def _positions(coordinates: Any, depth: int) -> list[Any]:
    """The [lon, lat] pairs nested ``depth`` levels deep in a GeoJSON geometry's coordinates."""
    if depth == 0:
        return [coordinates]
    if not isinstance(coordinates, list) or not coordinates:
        raise ValueError
    return [pair for item in coordinates for pair in _positions(item, depth - 1)]


def _clean_geometry(value: Any) -> dict[str, Any] | None:
    """A road's line or a yard's outline (GeoJSON), or nothing; numbers in range, a bounded size."""
    if value in (None, "", {}):
        return None
    refused = ValidationError({"geometry": _("Give a GeoJSON LineString, MultiLineString, Polygon or MultiPolygon "
                                             "with [longitude, latitude] pairs.")})
    if not isinstance(value, dict) or value.get("type") not in GEOMETRY_TYPES:
        raise refused
    depth = {"LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}[value["type"]]
    try:
        pairs = _positions(value.get("coordinates"), depth)
    except (ValueError, RecursionError):
        raise refused from None
    if len(pairs) > GEOMETRY_POINTS_MAX:
        raise ValidationError({"geometry": _("At most %(n)s points.") % {"n": GEOMETRY_POINTS_MAX}})
    for pair in pairs:
        if not (isinstance(pair, list) and len(pair) == 2
                and all(isinstance(x, int | float) and not isinstance(x, bool) for x in pair)
                and -180 <= pair[0] <= 180 and -90 <= pair[1] <= 90):
            raise refused
    return {"type": value["type"], "coordinates": value["coordinates"]}


def _clean_body(actor: Any, value: Any) -> Organisation:
    body = value if isinstance(value, Organisation) else None
    if body is None and str(value or "").isdigit():
        body = Organisation.objects.filter(pk=value).first()
    if body is None or not body.is_active:
        raise ValidationError({"responsible_body": _("Choose an active body from the list.")})
    if not (policy.is_keeper(actor) or policy.covers(actor, body)):
        raise ValidationError({"responsible_body": _("You may enter works only of the bodies you act for.")})
    return body


def _clean_programme(value: Any) -> Programme | None:
    if value in (None, ""):
        return None
    pk = value.pk if isinstance(value, Programme) else value
    programme = Programme.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if programme is None:
        raise ValidationError({"programme": _("Choose a programme from the list.")})
    return programme


def _clean_cost(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        cost = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({"cost": _("Give an amount in roubles.")}) from None
    if not cost.is_finite() or cost < 0 or cost >= Decimal("1e14"):
        raise ValidationError({"cost": _("Give an amount in roubles.")})
    return cost.quantize(Decimal("0.01"))


def _locate(data: dict[str, Any]) -> None:
    """The point given (inside the region) or found by the address; the municipality from the point; the street
    from the geocoder when none is given."""
    lat = _coordinate(data.get("lat"), field="lat", limit=90)
    lon = _coordinate(data.get("lon"), field="lon", limit=180)
    if (lat is None) != (lon is None):
        raise ValidationError({"lat": _("Give both the latitude and the longitude, or neither.")})
    if lat is None:
        found = addresses.search(data["address"], limit=1)
        if not found:
            raise ValidationError({"address": _("The address is not found: put the point on the map.")})
        lat, lon = found[0].lat, found[0].lon
        if not data.get("street"):
            data["street"] = found[0].street[:200]
    try:
        municipality = municipality_at(lon, lat)
    except ValidationError:
        municipality = None
    if municipality is None:
        raise ValidationError({"lat": _("The point is outside the region's municipalities.")})
    data.update(lat=lat, lon=lon, municipality=municipality)


def _clean(actor: Any, data: dict[str, Any], *, relocate: bool) -> dict[str, Any]:
    """Validated values of the given fields (all of them for a new work)."""
    errors: dict[str, list[str]] = {}
    cleaners = {
        "name": lambda v: _text(v, field="name", limit=300, required=_("Name the work.")),
        "kind": lambda v: v if v in WorkKind.values else _refuse("kind", _("Choose a type from the list.")),
        "address": lambda v: _text(v, field="address", limit=300, required=_("Give the address.")),
        "street": lambda v: _text(v, field="street", limit=200),
        "contractor": lambda v: _text(v, field="contractor", limit=300),
        "contractor_inn": _clean_inn,
        "funding": lambda v: _text(v, field="funding", limit=300),
        "description": lambda v: _text(v, field="description", limit=20000),
        "cost": _clean_cost, "geometry": _clean_geometry, "programme": _clean_programme,
        "responsible_body": lambda v: _clean_body(actor, v),
        "planned_start": lambda v: _day(v, field="planned_start"),
        "planned_end": lambda v: _day(v, field="planned_end"),
    }
    cleaned = dict(data)
    for name, clean in cleaners.items():
        if name in data:
            try:
                cleaned[name] = clean(data[name])
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    errors.setdefault(field, []).extend(messages)
    if not errors and relocate:
        _locate(cleaned)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _refuse(field: str, message: str) -> Any:
    raise ValidationError({field: message})


def _clean_inn(value: Any) -> str:
    inn = str(value or "").strip()
    if inn and not (inn.isdigit() and len(inn) in (10, 12)):
        raise ValidationError({"contractor_inn": _("An INN has 10 or 12 digits.")})
    return inn


def _plan_ordered(start: date, end: date) -> None:
    if end < start:
        raise ValidationError({"planned_end": _("The planned end cannot come before the planned start.")})
