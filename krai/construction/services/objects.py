"""Writes of the public registry of constructions: entering an object, changing it, moving its stage, attaching its
documents and photos. Only the registry's keepers write (``policy.ensure_keeper``); a refusal changes nothing.

Every function validates first (a ``ValidationError`` naming the field), then writes the row, its history
(``services.history``: what differs, with the note) and its event in one transaction:
``construction.object_created``, ``construction.object_updated``, ``construction.object_stage_changed`` and
``construction.object_file_added`` (payload ``object_id`` and what changed). The fields' checks and the place's
are in ``_objects_checks``.

Where an object stands: a point (``lat``/``lon``) inside the region — the municipality containing it is found
(``krai.org.selectors.municipality_at``) when none is named, and a named one must contain it; an outline (a
GeoJSON Polygon or MultiPolygon) gives its centroid as the point when no point is given; with neither, the typed
address is looked up in the address registry (``krai.org.addresses``), and an address not found leaves the object
without a point (listed, not on the map) rather than placed somewhere wrong.

Stages move in any order (a suspension is lifted, a permit re-issued), except that taking an object back from
"commissioned" needs a note saying why: the commissioning is a legal fact, its reversal must be explained.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from krai.construction import policy
from krai.construction.models import ConstructionObject, ObjectStage
from krai.construction.services._objects_checks import (
    _check_permit,
    _check_stage_move,
    _choice,
    _clean,
    _error,
    _note,
    _place,
)
from krai.construction.services.history import record_change, snapshot
from krai.core.events.services import record_event
from krai.core.files.services import attachment_create

__all__ = ["object_attach", "object_create", "object_set_stage", "object_update"]

EDITABLE = ("name", "kind", "stage", "address", "lat", "lon", "polygon", "cadastral_number", "municipality",
            "developer", "developer_inn", "permit_number", "permit_date", "permit_authority", "permit_valid_until",
            "approved_floors", "approved_area", "purpose", "description", "inspection_body")
#: what the history compares (the outline is compared as a whole)
HISTORY = EDITABLE
FILE_KINDS = {"document": ("pdf", "office"), "photo": ("image",)}  # a scanned document goes as a PDF


def _known(fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise TypeError(f"not fields of a construction object: {', '.join(unknown)}")


# --- writes ----------------------------------------------------------------------------------------

def object_create(*, actor: Any, **fields: Any) -> ConstructionObject:
    """Enter an object in the registry (``name`` and ``address`` required; the rest as known)."""
    policy.ensure_keeper(actor)
    _known(fields)
    values = _clean({"name": fields.get("name"), "address": fields.get("address"), **fields})
    obj = ConstructionObject(created_by=actor, **values)
    _place(obj, set(values))
    _check_permit(obj)
    with transaction.atomic():
        obj.save()
        shown = {name: value for name, value in snapshot(obj, HISTORY).items() if value not in (None, "")}
        record_change(actor=actor, target=obj, before={}, after=shown)
        record_event(kind="construction.object_created", actor=actor, subject=obj, payload={
            "object_id": obj.pk, "name": obj.name, "stage": obj.stage, "municipality_id": obj.municipality_id})
    return obj


def object_update(*, actor: Any, construction_object: ConstructionObject, note: str = "",
                  **fields: Any) -> ConstructionObject:
    """Change the given fields (``None`` or "" empties an optional one); ``note`` says why, kept in the history.
    A change of ``stage`` follows ``object_set_stage``'s rule and is also recorded as a stage change."""
    policy.ensure_keeper(actor)
    _known(fields)
    note = _note(note)
    values = _clean(fields)
    with transaction.atomic():
        obj = ConstructionObject.objects.select_for_update().get(pk=construction_object.pk)
        if "stage" in values:
            _check_stage_move(obj, values["stage"], note)
        before = snapshot(obj, HISTORY)
        old_stage, old_polygon = obj.stage, obj.polygon
        for name, value in values.items():
            setattr(obj, name, value)
        if "polygon" in values and "lat" not in values and values["polygon"] and values["polygon"] != old_polygon:
            obj.lat = obj.lon = None  # a new outline moves the point to its centroid unless a point is given
        _place(obj, set(values))
        _check_permit(obj)
        obj.save()
        changes = record_change(actor=actor, target=obj, before=before, after=snapshot(obj, HISTORY), note=note)
        record_event(kind="construction.object_updated", actor=actor, subject=obj, payload={
            "object_id": obj.pk, "changes": changes, "note": note})
        if obj.stage != old_stage:
            record_event(kind="construction.object_stage_changed", actor=actor, subject=obj, payload={
                "object_id": obj.pk, "from": old_stage, "to": obj.stage, "note": note})
    construction_object.refresh_from_db()
    return construction_object


def object_set_stage(*, actor: Any, construction_object: ConstructionObject, stage: str,
                     note: str = "") -> ConstructionObject:
    """Move the object to ``stage`` (any order; back from "commissioned" only with a ``note``)."""
    policy.ensure_keeper(actor)
    stage = _choice("stage", stage, ObjectStage)
    note = _note(note)
    with transaction.atomic():
        obj = ConstructionObject.objects.select_for_update().get(pk=construction_object.pk)
        if obj.stage == stage:
            raise _error("stage", _("The object is already at this stage."), "unchanged")
        _check_stage_move(obj, stage, note)
        before, old_stage = snapshot(obj, ["stage"]), obj.stage
        obj.stage = stage
        obj.save(update_fields=["stage", "updated_at"])
        changes = record_change(actor=actor, target=obj, before=before, after=snapshot(obj, ["stage"]), note=note)
        record_event(kind="construction.object_stage_changed", actor=actor, subject=obj, payload={
            "object_id": obj.pk, "from": old_stage, "to": stage, "note": note, "changes": changes})
    construction_object.refresh_from_db()
    return construction_object


def object_attach(*, actor: Any, construction_object: ConstructionObject, upload: Any,
                  kind: str = "document") -> Any:
    """Attach a document (PDF, office file or a scan) or a photo (an image) to the object; the attachment is
    validated and stored by the kernel's files, and listed in the object's history."""
    policy.ensure_keeper(actor)
    if kind not in FILE_KINDS:
        raise _error("kind", _("Choose whether it is a document or a photo."))
    if upload is None:
        raise _error("file", _("Choose a file to upload."), "required")
    with transaction.atomic():
        try:
            attachment = attachment_create(actor=actor, target=construction_object, upload=upload,
                                           allowed_kinds=FILE_KINDS[kind])
        except ValidationError as exc:
            raise exc if hasattr(exc, "error_dict") else ValidationError({"file": exc.error_list}) from None
        record_change(actor=actor, target=construction_object, before={kind: None},
                      after={kind: attachment.original_name})
        record_event(kind="construction.object_file_added", actor=actor, subject=construction_object, payload={
            "object_id": construction_object.pk, "attachment_id": attachment.pk, "kind": kind,
            "name": attachment.original_name})
    return attachment
