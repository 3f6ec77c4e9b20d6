"""Writes of the registry of illegal constructions: an entry entered or changed by the registry's keepers (its
point given, found by the address, or kept without one and flagged ``not_found``), a file of entries imported at
once, and the measures taken on each — a demolition order, a court case of the lawsuit monitoring, a fine, the
construction legalised or demolished — which move the entry's status. Every change is kept in its history.

Entries found by an inspection are created by the verification part itself (source ``inspection``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.construction import policy
from krai.construction.models import IllegalConstruction, IllegalStatus, Location, Measure, MeasureKind, Source
from krai.construction.selectors import illegal as selectors
from krai.construction.services.history import record_change, snapshot
from krai.core.events.services import record_event

__all__ = ["illegal_create", "illegal_import", "illegal_update", "measure_add", "measure_remove"]

HISTORY = ("address", "lat", "lon", "location", "municipality", "cadastral_number", "description", "owner",
           "found_on", "status", "object")
EDITABLE = ("address", "lat", "lon", "municipality", "cadastral_number", "description", "owner", "found_on",
            "status", "registered_object")
TEXT_MAX = 20_000
AMOUNT_MAX = Decimal("999999999999.99")
CADASTRAL = re.compile(r"^\d{1,2}:\d{1,2}:\d{1,7}:\d{1,9}$")
#: measures that settle the entry's status; any other moves a newly identified entry to "measures under way"
SETTLING = {MeasureKind.DEMOLISHED: IllegalStatus.DEMOLISHED, MeasureKind.LEGALISED: IllegalStatus.LEGALISED}


def _text(value: Any, field: str, limit: int, *, required: bool = False) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")}, code="required")
    if len(value) > limit:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": limit}}, code="too_long")
    return value


def _date(value: Any, field: str) -> date:
    if not isinstance(value, date):
        raise ValidationError({field: _("Enter a valid date.")}, code="invalid")
    if value > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")}, code="future")
    return value


def _point(lat: Any, lon: Any) -> tuple[float | None, float | None]:
    if (lat is None) != (lon is None):
        raise ValidationError({"lat" if lat is None else "lon": _("Give both the latitude and the longitude, or "
                                                                  "neither.")}, code="pair")
    if lat is None:
        return None, None
    try:
        return float(lat), float(lon)
    except (TypeError, ValueError):
        raise ValidationError({"lat": _("Enter the point as numbers.")}, code="invalid") from None


def _checked(checks: list[tuple[str, Callable[[], Any]]]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Run each field's check; the values that pass and every refusal by field (all named at once)."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, check in checks:
        try:
            values[name] = check()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    return values, errors


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """The entry's fields that are given, checked."""
    checks = {"address": lambda v: _text(v, "address", 300, required=True), "found_on": lambda v: _date(v, "found_on"),
              "cadastral_number": lambda v: _cadastral(v), "description": lambda v: _text(v, "description", TEXT_MAX),
              "owner": lambda v: _text(v, "owner", 300),
              "status": lambda v: _choice(v, "status", IllegalStatus.values)}
    out, errors = _checked([(name, partial(check, values[name])) for name, check in checks.items() if name in values])
    if "lat" in values or "lon" in values:
        point, more = _checked([("point", partial(_point, values.get("lat"), values.get("lon")))])
        errors.update(more)
        if point:
            out["lat"], out["lon"] = point["point"]
    if errors:
        raise ValidationError(errors)
    return out


def _cadastral(value: Any) -> str:
    value = _text(value, "cadastral_number", 40).replace(" ", "")
    if value and not CADASTRAL.match(value):
        raise ValidationError({"cadastral_number": _("A cadastral number is written like 23:43:0301001:123.")},
                              code="invalid")
    return value


def _choice(value: Any, field: str, allowed: list[str]) -> str:
    if value not in allowed:
        raise ValidationError({field: _("Choose a value from the list.")}, code="invalid")
    return value


def _placed(entry: IllegalConstruction, placement: selectors.Placement) -> None:
    entry.lat, entry.lon = placement.lat, placement.lon
    entry.municipality = placement.municipality
    entry.location = placement.location


def _payload(entry: IllegalConstruction, **extra: Any) -> dict[str, Any]:
    return {"illegal_id": entry.pk, "status": entry.status, "source": entry.source,
            "location": entry.location, "municipality_id": entry.municipality_id, **extra}


def _new_entry(*, actor: Any, values: dict[str, Any], municipality: Any, registered_object: Any, source: str,
               verification: Any, import_record: Any = None) -> IllegalConstruction:
    data = _clean({"status": IllegalStatus.IDENTIFIED, **values})
    lat, lon = data.pop("lat", None), data.pop("lon", None)
    entry = IllegalConstruction(**data, source=_choice(source, "source", Source.values), verification=verification,
                                object=registered_object, import_record=import_record,
                                created_by=actor if getattr(actor, "pk", None) else None)
    _placed(entry, selectors.locate(address=data["address"], lat=lat, lon=lon, municipality=municipality))
    entry.save()
    note = (_("Imported (import № %(n)s).") % {"n": import_record.pk} if import_record is not None
            else _("Entered in the registry."))
    record_change(actor=actor, target=entry, before={}, after=snapshot(entry, HISTORY), note=note)
    return entry


@transaction.atomic
def illegal_create(*, actor: Any, address: str, found_on: date, lat: float | None = None, lon: float | None = None,
                   municipality: Any = None, cadastral_number: str = "", description: str = "", owner: str = "",
                   status: str = IllegalStatus.IDENTIFIED, source: str = Source.MANUAL, verification: Any = None,
                   registered_object: Any = None) -> IllegalConstruction:
    """Enter an illegal construction (the registry's keepers): at its point (inside the region, in the named
    municipality), else where the geocoder finds its address, else kept without a point and flagged."""
    policy.ensure_keeper(actor)
    entry = _new_entry(actor=actor, values={
        "address": address, "found_on": found_on, "lat": lat, "lon": lon, "cadastral_number": cadastral_number,
        "description": description, "owner": owner, "status": status}, municipality=municipality,
        registered_object=registered_object, source=source, verification=verification)
    record_event(kind="construction.illegal_created", actor=actor, subject=entry, payload=_payload(entry))
    return entry


@transaction.atomic
def illegal_update(*, actor: Any, construction: IllegalConstruction, note: str = "",
                   **changes: Any) -> IllegalConstruction:
    """Change an entry (the registry's keepers). A new point is checked inside the region; clearing the point, or
    a new address of an entry not placed by hand, places it by the address again. The change is kept in its
    history."""
    policy.ensure_keeper(actor)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in sorted(unknown)})
    entry = IllegalConstruction.objects.select_for_update().get(pk=construction.pk)
    before = snapshot(entry, HISTORY)
    data = _clean(changes)
    point_changed = "lat" in data and (data["lat"], data["lon"]) != (entry.lat, entry.lon)
    address_changed = "address" in data and data["address"] != entry.address
    municipality = changes.get("municipality", entry.municipality)
    municipality_changed = getattr(municipality, "pk", None) != entry.municipality_id
    for name in ("address", "found_on", "cadastral_number", "description", "owner", "status"):
        if name in data:
            setattr(entry, name, data[name])
    if "registered_object" in changes:
        entry.object = changes["registered_object"]
    if point_changed:  # a point given by hand, or cleared to be found by the address
        _placed(entry, selectors.locate(address=entry.address, lat=data["lat"], lon=data["lon"],
                                        municipality=municipality))
    elif address_changed or municipality_changed:
        keep = entry.location == Location.GIVEN
        _placed(entry, selectors.locate(address=entry.address, lat=entry.lat if keep else None,
                                        lon=entry.lon if keep else None, municipality=municipality))
    entry.save()
    difference = record_change(actor=actor, target=entry, before=before, after=snapshot(entry, HISTORY),
                               note=_text(note, "note", 2000))
    record_event(kind="construction.illegal_updated", actor=actor, subject=entry,
                 payload=_payload(entry, changes=sorted(difference)))
    return entry


def _amount(value: Any, kind: str) -> Decimal | None:
    if value in (None, ""):
        if kind == MeasureKind.FINE:
            raise ValidationError({"amount": _("Give the fine's amount.")}, code="required")
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": _("Enter the amount as a number.")}, code="invalid") from None
    if not amount.is_finite() or amount <= 0 or amount > AMOUNT_MAX:
        raise ValidationError({"amount": _("The amount must be more than zero and less than a trillion.")},
                              code="invalid")
    return amount


def _court_case(actor: Any, value: Any) -> Any:
    """The court case by its id (or the case itself), among those the actor may see; ``None`` for none."""
    if value in (None, ""):
        return None
    pk = str(getattr(value, "pk", value))
    case = selectors.court_cases_for(actor).filter(pk=int(pk)).first() if pk.isdigit() and len(pk) < 10 else None
    if case is None:
        raise ValidationError({"court_case": _("There is no such court case in the lawsuit monitoring.")},
                              code="invalid")
    return case


def _measure(*, actor: Any, entry: IllegalConstruction, kind: str, taken_on: Any, number: Any, description: Any,
             amount: Any, court_case: Any) -> Measure:
    """A measure checked (every wrong field named at once) and stored; the entry's status follows it."""
    values, errors = _checked([
        ("kind", lambda: _choice(kind, "kind", MeasureKind.values)), ("taken_on", lambda: _date(taken_on, "taken_on")),
        ("number", lambda: _text(number, "number", 64)),
        ("description", lambda: _text(description, "description", TEXT_MAX)),
        ("amount", lambda: _amount(amount, kind)), ("court_case", lambda: _court_case(actor, court_case))])
    if "taken_on" in values and values["taken_on"] < entry.found_on:
        errors.setdefault("taken_on", []).append(_("A measure cannot be taken before the construction was found "
                                                   "(%(date)s).") % {"date": f"{entry.found_on:%d.%m.%Y}"})
    if errors:
        raise ValidationError(errors)
    measure = Measure.objects.create(construction=entry, actor=actor if getattr(actor, "pk", None) else None,
                                     **values)
    if kind in SETTLING:
        entry.status = SETTLING[kind]
    elif entry.status == IllegalStatus.IDENTIFIED:
        entry.status = IllegalStatus.MEASURES
    return measure


@transaction.atomic
def measure_add(*, actor: Any, construction: IllegalConstruction, kind: str, taken_on: date, number: str = "",
                description: str = "", amount: Any = None, court_case: Any = None) -> Measure:
    """Record a measure taken (the registry's keepers): a fine needs its amount; a court case may link the
    lawsuit monitoring's case by its id. "Demolished" and "legalised" settle the status; any other moves a newly
    identified construction to "measures under way"."""
    policy.ensure_keeper(actor)
    entry = IllegalConstruction.objects.select_for_update().get(pk=construction.pk)
    before = snapshot(entry, HISTORY)
    measure = _measure(actor=actor, entry=entry, kind=kind, taken_on=taken_on, number=number,
                       description=description, amount=amount, court_case=court_case)
    entry.save(update_fields=["status", "updated_at"])
    record_change(actor=actor, target=entry, before=before, after=snapshot(entry, HISTORY),
                  note=_("Measure added: %(measure)s") % {"measure": measure})
    record_event(kind="construction.measure_added", actor=actor, subject=entry,
                 payload=_payload(entry, measure_id=measure.pk, measure=measure.kind,
                                  court_case_id=measure.court_case_id))
    return measure


def _status_from(entry: IllegalConstruction) -> str:
    """The status the remaining measures give: the latest settling one, else "measures" if any is left."""
    kinds = list(entry.measures.order_by("taken_on", "id").values_list("kind", flat=True))
    settled = [SETTLING[k] for k in kinds if k in SETTLING]
    if settled:
        return settled[-1]
    return IllegalStatus.MEASURES if kinds else IllegalStatus.IDENTIFIED


@transaction.atomic
def measure_remove(*, actor: Any, measure: Measure) -> IllegalConstruction:
    """Remove a measure entered by mistake (the registry's keepers); the status follows the measures left."""
    policy.ensure_keeper(actor)
    entry = IllegalConstruction.objects.select_for_update().get(pk=measure.construction_id)
    before = snapshot(entry, HISTORY)
    label, kind, pk = str(measure), measure.kind, measure.pk
    Measure.objects.filter(pk=pk).delete()
    # the status is recomputed only where this measure had set it (a status set by hand stays)
    if kind in SETTLING or (entry.status == IllegalStatus.MEASURES and not entry.measures.exists()):
        entry.status = _status_from(entry)
        entry.save(update_fields=["status", "updated_at"])
    record_change(actor=actor, target=entry, before=before, after=snapshot(entry, HISTORY),
                  note=_("Measure removed: %(measure)s") % {"measure": label})
    record_event(kind="construction.measure_removed", actor=actor, subject=entry,
                 payload=_payload(entry, measure_id=pk, measure=kind))
    return entry


@transaction.atomic
def illegal_import(*, actor: Any, rows: list[dict[str, Any]], record: Any = None) -> dict[str, int]:
    """Store the rows of an import (the kernel's transaction: all or none): each entry at its point, or where
    the geocoder finds its address, or flagged ``not_found``; with one measure when the row gives one. Rows
    are ``illegal_create``'s fields plus ``municipality`` (a row) and ``measure`` (``measure_add``'s fields or
    ``None``). One event tells the whole import; the summary counts what was placed how."""
    policy.ensure_keeper(actor)
    counts = {"created": 0, "geocoded": 0, "not_found": 0, "measures": 0}
    for number, row in enumerate(rows, start=1):
        measure = row.get("measure")
        values = {k: v for k, v in row.items() if k not in ("measure", "municipality")}
        try:
            entry = _new_entry(actor=actor, values=values, municipality=row.get("municipality"),
                               registered_object=None, source=Source.IMPORT, verification=None,
                               import_record=record)
            if measure:
                _measure(actor=actor, entry=entry, kind=measure.get("kind"), taken_on=measure.get("taken_on"),
                         number=measure.get("number", ""), description=measure.get("description", ""),
                         amount=measure.get("amount"), court_case=None)
                entry.save(update_fields=["status", "updated_at"])
                counts["measures"] += 1
        except ValidationError as exc:
            raise ValidationError(_("Row %(n)s: %(errors)s") % {"n": number, "errors": "; ".join(exc.messages)}
                                  ) from exc
        counts["created"] += 1
        counts["geocoded"] += entry.location == Location.GEOCODED
        counts["not_found"] += entry.location == Location.NOT_FOUND
    record_event(kind="construction.illegal_imported", actor=actor, subject=record,
                 payload={"import_id": getattr(record, "pk", None), **counts})
    return counts
