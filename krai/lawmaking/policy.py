"""Law-making's shared checks, used by pages, the API and services alike: who coordinates (moderates and moves
initiatives), who edits a draft, who answers for the responsible body, who may see an initiative.

Reads only; the writes live in ``services``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from krai.lawmaking.models import Initiative, Stage
from krai.org.scopes import scope_for
from krai.org.selectors import is_administrator, is_controller, is_staff_member


def is_active_user(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def ensure_signed_in(user: Any) -> None:
    if not is_active_user(user):
        raise PermissionDenied(_("Sign in to take part in law-making."))


def is_coordinator(user: Any) -> bool:
    """Who moderates concepts and moves any initiative between stages: administrators and controllers on
    staff, or holders of the Django permission ``lawmaking.change_initiative`` (a "law-making" group)."""
    if not is_active_user(user):
        return False
    if user.is_superuser or user.has_perm("lawmaking.change_initiative"):
        return True
    return bool(is_staff_member(user) and (is_administrator(user) or is_controller(user)))


def of_responsible_body(user: Any, initiative: Initiative) -> bool:
    """A staff member whose scope reaches the responsible body through his organisation (not a region-wide
    view: a controller sees every body but answers for none)."""
    if not (is_active_user(user) and is_staff_member(user)):
        return False
    scope = scope_for(user)
    body = initiative.responsible_body
    return any(body.path.startswith(path) for path in scope.org_paths)


def manages(user: Any, initiative: Initiative) -> bool:
    """Coordinators, and the responsible body's staff, manage an initiative (stage moves, the editor)."""
    return is_coordinator(user) or of_responsible_body(user, initiative)


def ensure_manager(user: Any, initiative: Initiative) -> None:
    """Refuse a move to anyone who does not manage the initiative."""
    ensure_signed_in(user)
    if not manages(user, initiative):
        raise PermissionDenied(_("Only the coordinators and the responsible body's staff manage this initiative."))


def is_editor(user: Any, initiative: Initiative) -> bool:
    """Who edits the draft and decides on amendments: its editor (the initiator unless one was named), and
    whoever manages the initiative."""
    if not is_active_user(user):
        return False
    editor_id = initiative.editor_id or initiative.initiator_id
    return editor_id == user.pk or manages(user, initiative)


def may_see(user: Any, initiative: Initiative) -> bool:
    """A published initiative is public; an unpublished concept (or one refused at moderation) is seen by its
    initiator and by those who manage it."""
    if initiative.published_at is not None:
        return True
    if is_active_user(user) and initiative.initiator_id == user.pk:
        return True
    return manages(user, initiative)


def is_participant_stage(initiative: Initiative, *stages: str) -> bool:
    return initiative.stage in stages


def open_for_discussion(initiative: Initiative) -> bool:
    """Comments are open while the initiative moves towards the reaction (not on a concept, closed or stopped)."""
    return initiative.stage in (Stage.DISCUSSION, Stage.ELABORATION, Stage.EXPERTISE)
