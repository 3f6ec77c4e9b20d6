"""Bulk changes of access: one role given within one scope, one role taken away, or accounts closed, for several
people at once — all or nothing, in one transaction, through the structure's own services.

Each person's change is the structure's service call with its own event (``org.role_assigned``,
``org.role_revoked``, ``org.user_deactivated``); one ``administration.bulk_access_change`` event summarises the
whole. A person the change cannot apply to (refused in the preview, or by the structure's service) changes no one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from krai.administration.selectors.access import MANAGE
from krai.administration.selectors.access_bulk import (
    CHANGE,
    DEACTIVATE,
    GRANT,
    REFUSED,
    REVOKE,
    BulkPreview,
    bulk_preview,
)
from krai.core.events.services import record_event
from krai.org.models import Block, Municipality, Organisation, User
from krai.org.services import role_assign, role_revoke, user_deactivate


def _apply_one(actor: Any, preview: BulkPreview, line: Any) -> None:
    if preview.action == GRANT:
        role_assign(actor=actor, user=line.person, role=preview.role, scope=preview.scope, **preview.target_kwargs)
    elif preview.action == REVOKE:
        for assignment in line.assignments:
            role_revoke(actor=actor, assignment=assignment)
    elif preview.action == DEACTIVATE:
        user_deactivate(actor=actor, user=line.person)


@transaction.atomic
def bulk_access_change(*, actor: Any, people: list[int], action: str, role: str = "", scope: str = "",
                       organisation: Organisation | None = None, municipality: Municipality | None = None,
                       block: Block | None = None) -> BulkPreview:
    """Apply a bulk change to ``people`` (ids), all or nothing; returns what was done, person by person."""
    if actor is None or not actor.is_authenticated or not actor.has_perm(MANAGE):
        raise PermissionDenied(_("Only an administrator may change people's access."))
    User.objects.select_for_update().filter(pk__in=[int(pk) for pk in people]).exists()  # one bulk at a time each
    preview = bulk_preview(actor=actor, people=people, action=action, role=role, scope=scope,
                           organisation=organisation, municipality=municipality, block=block)
    refused = [line for line in preview.lines if line.outcome == REFUSED]
    if refused:
        raise ValidationError({"people": [
            ngettext("%(n)d person cannot be changed, so no one is changed:",
                     "%(n)d people cannot be changed, so no one is changed:", len(refused)) % {"n": len(refused)},
            *[f"{line.person.full_name or line.person.email} — {line.note}" for line in refused]]})
    changed = [line for line in preview.lines if line.outcome == CHANGE]
    for line in changed:
        try:
            _apply_one(actor, preview, line)
        except ValidationError as exc:  # the whole transaction rolls back: no one is changed
            raise ValidationError({"people": [_("%(person)s: %(reason)s — no one is changed.") % {
                "person": line.person.full_name or line.person.email, "reason": " ".join(exc.messages)}]}) from exc
    if changed:
        target = preview.target
        record_event(kind="administration.bulk_access_change", actor=actor, subject=None, payload={
            "action": preview.action, "role": preview.role, "scope": preview.scope,
            "target": {"type": type(target).__name__.lower(), "id": target.pk} if target is not None else None,
            "people": [line.person.pk for line in preview.lines],
            "changed": [line.person.pk for line in changed],
            "unchanged": [line.person.pk for line in preview.lines if line.outcome != CHANGE],
        })
    return preview
