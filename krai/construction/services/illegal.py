"""Writes of the registry of illegal constructions: an entry entered or changed by the registry's keepers (its
point given, found by the address, or kept without one and flagged ``not_found``), a file of entries imported at
once, and the measures taken on each — a demolition order, a court case of the lawsuit monitoring, a fine, the
construction legalised or demolished — which move the entry's status. Every change is kept in its history.

Entries found by an inspection are created by the verification part itself (source ``inspection``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from krai.construction import policy
from krai.construction.models import IllegalConstruction, IllegalStatus, Location, Measure, MeasureKind, Source
from krai.construction.selectors import illegal as selectors
from krai.construction.services._illegal_checks import CADASTRAL as CADASTRAL  # the importer checks with it
from krai.construction.services._illegal_checks import (
    TEXT_MAX,
    _amount,
    _checked,
    _choice,
    _clean,
    _court_case,
    _date,
    _text,
)
from krai.construction.services.history import record_change, snapshot
from krai.core.events.services import record_event

__all__ = ["illegal_create", "illegal_import", "illegal_update", "measure_add", "measure_remove"]

HISTORY = ("address", "lat", "lon", "location", "municipality", "cadastral_number", "description", "owner",
           "found_on", "status", "object")
EDITABLE = ("address", "lat", "lon", "municipality", "cadastral_number", "description", "owner", "found_on",
            "status", "registered_object")
#: measures that settle the entry's status; any other moves a newly identified entry to "measures under way"
SETTLING = {MeasureKind.DEMOLISHED: IllegalStatus.DEMOLISHED, MeasureKind.LEGALISED: IllegalStatus.LEGALISED}


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
