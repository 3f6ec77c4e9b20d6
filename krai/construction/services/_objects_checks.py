"""The private checks of the registry's services (``objects``): each field in its stored form (text, choices, rows,
dates, numbers, floors, area, cadastral number, INN), where an object stands (the point, its municipality, the
outline's centroid, the address looked up), the permit's dates, the stage's move back from "commissioned", the note.

Private (the module's name starts with ``_``): no service lives here, every function writes nothing.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from krai.construction.models import ConstructionObject, ObjectKind, ObjectStage
from krai.org import geo
from krai.org.models import Municipality, Organisation
from krai.org.selectors import municipality_at

CADASTRAL = re.compile(r"\d{2}:\d{2}:\d{6,7}:\d+")
INN = re.compile(r"\d{10}|\d{12}")
FLOORS = (1, 200)
AREA_MAX = Decimal("9999999999.99")  # the column's 12 digits, 2 after the point
NOTE_MAX = 2000
PLACE = {"lat", "lon", "polygon", "municipality", "address"}
TEXT_LIMITS = {name: ConstructionObject._meta.get_field(name).max_length
               for name in ("name", "address", "cadastral_number", "developer", "permit_number", "permit_authority",
                            "purpose")}


def _error(field: str, message: str, code: str = "invalid") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _text(name: str, value: Any, *, required: bool = False, multiline: bool = False) -> str:
    text = str(value if value is not None else "").replace("\r\n", "\n").strip()
    if not multiline:
        text = " ".join(text.split())
    if required and not text:
        raise _error(name, _("This field is required."), "required")
    limit = TEXT_LIMITS.get(name, 20000)
    if len(text) > limit:
        raise _error(name, _("At most %(limit)s characters (this one has %(length)s).")
                     % {"limit": limit, "length": len(text)}, "max_length")
    return text


def _choice(name: str, value: Any, choices: type) -> str:
    if value not in choices.values:
        raise _error(name, _("Choose a value from the list."))
    return str(value)


def _row(model: type, name: str, value: Any) -> Any:
    """``value`` as an active row of ``model`` (a row or its id); ``None`` for nothing chosen."""
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    try:
        found = model.objects.filter(pk=int(pk), is_active=True).first()
    except (TypeError, ValueError, OverflowError):
        found = None
    if found is None:
        raise _error(name, _("Choose a value from the list."))
    return found


def _date(name: str, value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _error(name, _("Enter a date as YYYY-MM-DD.")) from None


def _number(name: str, value: Any) -> float | None:
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise _error(name, _("Enter a number.")) from None


def _floors(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        floors = value if isinstance(value, int) and not isinstance(value, bool) else int(str(value).strip())
    except (TypeError, ValueError):
        floors = 0
    if not FLOORS[0] <= floors <= FLOORS[1]:
        raise _error("approved_floors", _("Floors are a whole number from %(low)s to %(high)s.")
                     % {"low": FLOORS[0], "high": FLOORS[1]})
    return floors


def _area(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        area = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise _error("approved_area", _("Enter the area in square metres, a number.")) from None
    if not area.is_finite() or area <= 0 or area > AREA_MAX:
        raise _error("approved_area", _("The area must be more than 0 m² (and less than ten billion)."))
    return area.quantize(Decimal("0.01"))


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Each given field in its stored form, or a ``ValidationError`` naming every bad field at once."""
    cleaners = {
        "name": lambda v: _text("name", v, required=True), "address": lambda v: _text("address", v, required=True),
        "kind": lambda v: _choice("kind", v, ObjectKind), "stage": lambda v: _choice("stage", v, ObjectStage),
        "lat": lambda v: _number("lat", v), "lon": lambda v: _number("lon", v),
        "polygon": lambda v: None if v in (None, "", {}) else geo.to_geojson(geo.parse_boundary(v, field="polygon")),
        "cadastral_number": _cadastral, "municipality": lambda v: _row(Municipality, "municipality", v),
        "developer": lambda v: _text("developer", v), "developer_inn": _inn,
        "permit_number": lambda v: _text("permit_number", v), "permit_date": lambda v: _date("permit_date", v),
        "permit_authority": lambda v: _text("permit_authority", v),
        "permit_valid_until": lambda v: _date("permit_valid_until", v), "approved_floors": _floors,
        "approved_area": _area, "purpose": lambda v: _text("purpose", v),
        "description": lambda v: _text("description", v, multiline=True),
        "inspection_body": lambda v: _row(Organisation, "inspection_body", v),
    }
    cleaned: dict[str, Any] = {}
    errors: dict[str, list] = {}
    for name, value in values.items():
        try:
            cleaned[name] = cleaners[name](value)
        except ValidationError as exc:
            for field, messages in exc.error_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _cadastral(value: Any) -> str:
    text = _text("cadastral_number", value).replace(" ", "")
    if text and not CADASTRAL.fullmatch(text):
        raise _error("cadastral_number", _("A cadastral number is written as 23:43:0123456:789 (district, area, "
                                           "quarter of 6–7 digits, plot)."))
    return text


def _inn(value: Any) -> str:
    text = _text("developer_inn", value).replace(" ", "")
    if text and not INN.fullmatch(text):
        raise _error("developer_inn", _("An INN is 10 digits (an organisation) or 12 digits (a person)."))
    return text


def _geocoded(address: str, municipality: Municipality | None) -> tuple[float, float, int] | None:
    """The address registry's best answer for a typed address: (lat, lon, municipality id), or None."""
    from krai.org.addresses.selectors import search

    places = search(address, municipality_id=municipality.pk if municipality else None, limit=1)
    return (places[0].lat, places[0].lon, places[0].municipality_id) if places else None


def _place(obj: ConstructionObject, given: set[str]) -> None:
    """Check and complete where ``obj`` stands (the point, its municipality, the outline's centroid) when any of
    it is given (a change of the name alone does not re-judge a place entered long ago)."""
    if not given & PLACE:
        return
    if (obj.lat is None) != (obj.lon is None):
        missing = "lon" if obj.lon is None else "lat"
        raise _error(missing, _("Give both the latitude and the longitude, or neither."), "required")
    if obj.polygon and obj.lat is None:
        centre = geo.parse_boundary(obj.polygon, field="polygon").centroid
        obj.lat, obj.lon = round(centre.y, 7), round(centre.x, 7)
    if obj.lat is None and "address" in given:
        found = _geocoded(obj.address, obj.municipality)
        if found is not None:
            obj.lat, obj.lon = found[0], found[1]
            obj.municipality = obj.municipality or Municipality.objects.filter(pk=found[2]).first()
    if obj.lat is None:
        return
    geo.check_point(obj.lon, obj.lat)
    if obj.municipality is None or ("municipality" not in given and {"lat", "lon", "polygon"} & given):
        obj.municipality = municipality_at(obj.lon, obj.lat)
        if obj.municipality is None:
            raise _error("lat", _("The point is outside the region: pick it on the map inside the region's "
                                  "municipalities."), "outside")
    elif not _covers(obj.municipality, obj.lon, obj.lat):
        raise _error("municipality", _("The point is not in %(municipality)s: correct the point or the "
                                       "municipality.") % {"municipality": obj.municipality.name}, "elsewhere")


def _covers(municipality: Municipality, lon: float, lat: float) -> bool:
    """Whether the municipality's boundary holds the point (without a boundary: whether the region does)."""
    if not municipality.boundary:
        return municipality_at(lon, lat) is not None
    import shapely

    return bool(geo.parse_boundary(municipality.boundary).covers(shapely.Point(lon, lat)))


def _check_permit(obj: ConstructionObject) -> None:
    if obj.permit_date and obj.permit_valid_until and obj.permit_valid_until < obj.permit_date:
        raise _error("permit_valid_until", _("The permit cannot end before the date it was issued."))


def _check_stage_move(obj: ConstructionObject, stage: str, note: str) -> None:
    if obj.stage == ObjectStage.COMMISSIONED and stage != ObjectStage.COMMISSIONED and not note:
        raise _error("note", _("A commissioned object goes back only with a note saying why."), "required")


def _note(value: Any) -> str:
    note = str(value or "").replace("\r\n", "\n").strip()
    if len(note) > NOTE_MAX:
        raise _error("note", _("At most %(limit)s characters (this one has %(length)s).")
                     % {"limit": NOTE_MAX, "length": len(note)}, "max_length")
    return note
