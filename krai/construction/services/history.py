"""The history of changes every object of the area keeps: a snapshot of the fields people see, compared before
and after a service's write, stored as one ``Change`` row (``{field: [old, new]}``) in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from krai.construction.models import Change


def _shown(instance: models.Model, name: str) -> Any:
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if getattr(field, "choices", None) and value not in (None, ""):
        return str(getattr(instance, f"get_{name}_display")())
    if isinstance(field, models.ForeignKey):
        return str(value) if value is not None else None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The fields' values as a person reads them (choices by label, references by name, dates ISO)."""
    return {name: _shown(instance, name) for name in fields}


def record_change(*, actor: Any, target: models.Model, before: dict[str, Any], after: dict[str, Any],
                  note: str = "") -> dict[str, list[Any]]:
    """Store what differs between ``before`` and ``after`` (a row only when something did, or a note is given);
    answer the differences, which the caller puts in its event's payload."""
    changes = {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}
    if changes or note:
        Change.objects.create(content_type=ContentType.objects.get_for_model(target), object_id=target.pk,
                              actor=actor if getattr(actor, "pk", None) else None, changes=changes, note=note)
    return changes

