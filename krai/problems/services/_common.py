"""What the problems services share: permission checks, the history row, limits.

The mask of personal data is ``krai.core.privacy.mask_personal``, one for every area and channel.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from krai.core.events.services import record_event
from krai.problems.models import Problem, ProblemUpdate

MIN_DESCRIPTION = 10
MAX_DESCRIPTION = 4000  # Open311's limit too


def max_photos() -> int:
    return int(getattr(settings, "KRAI_PROBLEMS_MAX_PHOTOS", 5))


def max_photo_bytes() -> int:
    return int(getattr(settings, "KRAI_PROBLEMS_MAX_PHOTO_BYTES", 10 * 1024 * 1024))


def reports_per_hour() -> int:
    return int(getattr(settings, "KRAI_PROBLEMS_PER_HOUR", 5))


def require(actor: Any, permission: str, obj: Any = None, message: Any = None) -> None:
    """Refuse (``PermissionDenied`` with a message) unless ``actor`` holds ``permission`` on ``obj``."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in first."))
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(message or _("You may not do this."))


def require_confirmed(actor: Any, *, verb: Any) -> None:
    """A resident's act needs a signed-in, active account with a confirmed e-mail; say which is missing."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to %(verb)s.") % {"verb": verb})
    if not actor.is_active:
        raise PermissionDenied(_("This account is blocked."))
    if not getattr(actor, "email_confirmed", False):
        raise PermissionDenied(_("Confirm your e-mail address to %(verb)s.") % {"verb": verb})


def clean_text(value: Any, *, field: str, required: Any, minimum: int = 0, maximum: int = MAX_DESCRIPTION) -> str:
    """Plain text (HTML removed), stripped, within bounds; else a ValidationError on ``field``."""
    text = strip_tags(str(value or "")).replace("\x00", "").strip()
    if not text:
        raise ValidationError({field: required}, code="required")
    if len(text) < minimum:
        raise ValidationError({field: _("At least %(n)s characters.") % {"n": minimum}}, code="too_short")
    if len(text) > maximum:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": maximum}}, code="too_long")
    return text


def history(*, problem: Problem, kind: str, actor=None, text: str = "", organisation=None, public: bool = True,
            event_id: int | None = None) -> ProblemUpdate:
    """Write the legal history row of a change (the problem already carries its new status)."""
    return ProblemUpdate.objects.create(
        problem=problem, kind=kind, status=problem.status, text=text, is_public=public,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        organisation=organisation, event_id=event_id)


def event(*, kind: str, actor, problem: Problem, **payload: Any) -> None:
    record_event(kind=f"problems.{kind}", actor=actor, subject=problem,
                 payload={"status": problem.status, "organisation": problem.organisation_id,
                          "municipality": problem.municipality_id, "category": problem.category_id, **payload})
