"""The one way an initiative changes stage: the stage, its start and planned end on the initiative, a row of
the timeline, and the event ``lawmaking.stage_changed`` — in the caller's transaction. Callers check who may
move it; this module only keeps the path in order."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.lawmaking.models import STAGE_PATH, Initiative, Stage, StageEntry

#: the length of a note or a reason given with a move (the initiator reads it)
REASON_MAX = 2000


def clean_reason(value: Any, name: str = "reason") -> str:
    """A note or a reason given with a move: required (the initiator will read it), at most ``REASON_MAX``."""
    value = str(value or "").strip()
    if not value:
        raise ValidationError({name: ValidationError(_("Say why: the initiator will read it."), code="required")})
    if len(value) > REASON_MAX:
        raise ValidationError({name: ValidationError(
            _("At most %(limit)s characters.") % {"limit": REASON_MAX}, code="max_length")})
    return value


def lock(initiative: Initiative) -> Initiative:
    """The initiative's row, locked for the rest of the transaction (fresh from the database)."""
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


def require_stage(initiative: Initiative, *stages: str, message: str | None = None) -> None:
    """Refuse with a clear error unless the initiative is at one of ``stages``."""
    if initiative.stage not in stages:
        raise ValidationError(
            message or _("Not possible at this stage: the initiative is at “%(stage)s”.")
            % {"stage": initiative.get_stage_display()}, code="wrong_stage")


def payload(initiative: Initiative, **extra: Any) -> dict[str, Any]:
    return {"initiative_id": initiative.pk, "stage": initiative.stage, "level": initiative.level,
            "responsible_body_id": initiative.responsible_body_id, **extra}


def enter(initiative: Initiative, stage: str, *, actor: Any, due: date | None = None, note: str = "") -> StageEntry:
    """Move ``initiative`` (locked by the caller) to ``stage``: forward along the path, or to ``stopped``."""
    previous = initiative.stage
    if stage == Stage.STOPPED:
        if not initiative.is_open:
            raise ValidationError(_("The initiative is already closed."), code="closed")
        initiative.stopped_stage, initiative.stopped_reason = previous, note
    elif stage not in STAGE_PATH or STAGE_PATH.index(stage) <= STAGE_PATH.index(previous):
        raise ValidationError(_("An initiative moves forward only, one stage after another."), code="wrong_stage")
    now = timezone.now()
    person = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    initiative.stage, initiative.stage_started_at, initiative.stage_due = stage, now, due
    initiative.save(update_fields=["stage", "stage_started_at", "stage_due", "stopped_stage", "stopped_reason",
                                   "updated_at"])
    entry = StageEntry.objects.create(initiative=initiative, stage=stage, entered_at=now, due=due, actor=person,
                                      note=note)
    record_event(kind="lawmaking.stage_changed", actor=person, subject=initiative,
                 payload=payload(initiative, previous=previous, due=due.isoformat() if due else None,
                                 note=note[:500]))
    return entry
