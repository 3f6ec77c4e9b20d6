"""What every org service shares: the permission check, model validation, "not given" arguments."""

from __future__ import annotations

import enum
from typing import Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

CHANGE_STRUCTURE = "org.change_structure"
MANAGE_USERS = "org.manage_users"

class Unset(enum.Enum):
    """The value of an update argument the caller did not pass (``None`` may be a real value)."""

    UNSET = "UNSET"


UNSET: Final = Unset.UNSET


def require(actor: Any, permission: str) -> None:
    """Refuse unless ``actor`` holds ``permission`` (django-rules, the same names pages and API check)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_perm(permission):
        if permission == MANAGE_USERS:
            raise PermissionDenied(_("Only an administrator may manage users, positions and roles."))
        raise PermissionDenied(_("Only an administrator may change the organisation structure."))


def validate(obj: models.Model, *, exclude: tuple[str, ...] = ()) -> None:
    """Run the model's own validation (lengths, choices, slugs, uniqueness) before any write."""
    obj.full_clean(exclude=list(exclude))


def apply_changes(obj: models.Model, changes: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the given fields that differ; return ``{field: [old, new]}`` for the event payload."""
    changed: dict[str, list[Any]] = {}
    for name, value in changes.items():
        if value is UNSET:
            continue
        old = getattr(obj, name)
        if old != value:
            setattr(obj, name, value)
            changed[name] = [_describe(old), _describe(value)]
    return changed


def _describe(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return "…"  # geometries are too large for an event; the row holds them
    return value


def field_error(field: str, message: Any) -> ValidationError:
    return ValidationError({field: [message]})
