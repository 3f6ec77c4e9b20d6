"""The staff's moves of an initiative after its publication: the discussion → the draft elaboration (also when
the support threshold is reached), stopping with the reason told to the initiator, naming the draft's editor.
Later stages move by their own parts' actions (the expertise started, the reaction requested and given).

Every function checks who acts (``policy``), writes in one transaction with its event; stage changes go through
``services.stages.enter`` only."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.lawmaking import policy
from krai.lawmaking.models import Initiative, Stage
from krai.lawmaking.services import stages

__all__ = ["initiative_advance", "initiative_set_editor", "initiative_stop", "move_to_elaboration"]


@transaction.atomic
def move_to_elaboration(*, initiative: Initiative, actor: Any, note: str = "") -> Initiative:
    """The discussion is over with success (the threshold reached, or the staff's decision): the draft
    elaboration starts with version 1 from the proposal; the editor is the initiator unless one was named.
    Not permission-checked: the callers decide who may."""
    from krai.lawmaking.services import drafts  # the draft part's service; imported late, it imports stages too

    row = stages.lock(initiative)
    stages.require_stage(row, Stage.DISCUSSION,
                         message=_("Only an initiative under discussion moves on to the draft elaboration."))
    stages.enter(row, Stage.ELABORATION, actor=actor, note=str(note or "")[:stages.REASON_MAX])
    if row.editor_id is None and row.initiator_id is not None:
        row.editor_id = row.initiator_id
        row.save(update_fields=["editor", "updated_at"])
    drafts.version_initial(initiative=row, actor=actor)
    return row


def initiative_advance(*, actor: Any, initiative: Initiative, note: Any) -> Initiative:
    """The staff's decision to move a discussed idea on to the draft, saying why. Later stages move by their own
    actions (the expertise started, the reaction requested, the reaction given)."""
    policy.ensure_manager(actor, initiative)
    note = stages.clean_reason(note, "note")
    with transaction.atomic():
        row = stages.lock(initiative)
        if row.stage != Stage.DISCUSSION:
            raise ValidationError(_advance_refusal(row), code="wrong_stage")
        return move_to_elaboration(initiative=row, actor=actor, note=note)


def _advance_refusal(row: Initiative) -> str:
    if row.stage == Stage.CONCEPT:
        return _("A concept is published by approving it at moderation.")
    if row.stage == Stage.ELABORATION:
        return _("The draft goes on to expertise when the experts are invited: use “Start the expertise”.")
    if row.stage == Stage.EXPERTISE:
        return _("After the expertise the responsible body is asked for its reaction: use “Request the reaction”.")
    if row.stage == Stage.REACTION:
        return _("The responsible body closes this stage by giving its reaction.")
    return _("The initiative is already closed.")


@transaction.atomic
def initiative_stop(*, actor: Any, initiative: Initiative, reason: Any) -> Initiative:
    """Stop an initiative before the reaction is asked for, saying why (the initiator reads it). At the
    reaction stage the body answers instead — rejecting is one of its decisions. Records
    ``lawmaking.initiative_stopped``."""
    policy.ensure_manager(actor, initiative)
    reason = stages.clean_reason(reason)
    row = stages.lock(initiative)
    if row.stage == Stage.REACTION:
        raise ValidationError(_("The responsible body has been asked for its reaction: it answers instead "
                                "(rejecting, with reasons, is one of its decisions)."), code="wrong_stage")
    if not row.is_open:
        raise ValidationError(_("The initiative is already closed."), code="closed")
    previous = row.stage
    stages.enter(row, Stage.STOPPED, actor=actor, note=reason)
    record_event(kind="lawmaking.initiative_stopped", actor=actor, subject=row,
                 payload=stages.payload(row, previous=previous, reason=reason[:500]))
    return row


@transaction.atomic
def initiative_set_editor(*, actor: Any, initiative: Initiative, editor: Any) -> Initiative:
    """Name the person who edits the draft and decides on amendments (an active account). Records
    ``lawmaking.editor_set``."""
    policy.ensure_manager(actor, initiative)
    person = editor
    if not isinstance(person, get_user_model()):
        try:
            person = get_user_model().objects.filter(pk=int(editor)).first()
        except (TypeError, ValueError):
            person = None
    if person is None or not person.is_active:
        raise ValidationError({"editor": ValidationError(_("Choose an active user as the editor."),
                                                         code="invalid")})
    row = stages.lock(initiative)
    if not row.is_open:
        raise ValidationError(_("The initiative is already closed."), code="closed")
    if row.editor_id == person.pk:
        return row
    previous = row.editor_id
    row.editor = person
    row.save(update_fields=["editor", "updated_at"])
    record_event(kind="lawmaking.editor_set", actor=actor, subject=row,
                 payload=stages.payload(row, editor_id=person.pk, previous_editor_id=previous))
    return row
