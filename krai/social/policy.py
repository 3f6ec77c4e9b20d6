"""The community's shared checks, used by every part (pages, API and services alike): bans, blocks, who follows
whom, who may see a field or a piece of content, and who moderates.

Reads only; the writes live in ``services``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from krai.org.selectors import is_administrator, is_controller, is_staff_member
from krai.social.models import Ban, Follow, Profile, UserBlock, Visibility


def is_active_user(user: Any) -> bool:
    """Someone signed in whose account is open (every part's first question)."""
    return bool(user is not None and user.is_authenticated and user.is_active)


def ensure_signed_in(user: Any) -> None:
    """Refuse a write to someone signed out or inactive (a banned person may still block and leave)."""
    if not is_active_user(user):
        raise PermissionDenied(_("Sign in to take part in the community."))


# --- bans ------------------------------------------------------------------------------------------

def active_ban(user: Any, *, now=None) -> Ban | None:
    """The ban in force for ``user`` now (the one ending last), or ``None``."""
    if not is_active_user(user):
        return None
    now = now or timezone.now()
    return (Ban.objects.filter(user_id=user.pk, lifted_at__isnull=True, starts_at__lte=now, ends_at__gt=now)
            .order_by("-ends_at").first())


def ensure_may_act(user: Any) -> None:
    """Refuse a write to someone signed out, inactive, or banned (with the ban's end date and reason)."""
    ensure_signed_in(user)
    ban = active_ban(user)
    if ban is not None:
        until = formats.date_format(timezone.localtime(ban.ends_at), "DATETIME_FORMAT")
        raise ValidationError(
            _("Your account is banned from the community until %(until)s: %(reason)s")
            % {"until": until, "reason": ban.reason}, code="banned")


# --- blocks and follows ----------------------------------------------------------------------------

def is_blocked(a: Any, b: Any) -> bool:
    """Whether either of the two blocked the other."""
    a_id, b_id = getattr(a, "pk", a), getattr(b, "pk", b)
    if not a_id or not b_id:
        return False
    return UserBlock.objects.filter(Q(blocker_id=a_id, blocked_id=b_id) | Q(blocker_id=b_id, blocked_id=a_id)).exists()


def has_blocked(blocker: Any, blocked: Any) -> bool:
    """Whether ``blocker`` blocked ``blocked`` (one direction)."""
    return UserBlock.objects.filter(blocker_id=getattr(blocker, "pk", blocker),
                                    blocked_id=getattr(blocked, "pk", blocked)).exists()


def blocked_ids(user: Any) -> set[int]:
    """Everyone ``user`` blocked or was blocked by: kept out of his feed, lists and search."""
    if not is_active_user(user):
        return set()
    pairs = UserBlock.objects.filter(Q(blocker_id=user.pk) | Q(blocked_id=user.pk)).values_list("blocker_id",
                                                                                                   "blocked_id")
    return {b if a == user.pk else a for a, b in pairs}


def follows(follower: Any, followee: Any) -> bool:
    f_id, t_id = getattr(follower, "pk", follower), getattr(followee, "pk", followee)
    if not f_id or not t_id:
        return False
    return Follow.objects.filter(follower_id=f_id, followee_id=t_id).exists()


# --- visibility ------------------------------------------------------------------------------------

def may_see(viewer: Any, owner_id: int, level: str) -> bool:
    """Whether ``viewer`` may see what ``owner_id`` shows at ``level`` (a ``Visibility``)."""
    viewer_id = viewer.pk if is_active_user(viewer) else None
    if viewer_id == owner_id:
        return True
    if viewer_id and is_blocked(viewer_id, owner_id):
        return False
    if level == Visibility.PUBLIC:
        return True
    if level == Visibility.REGISTERED:
        return viewer_id is not None
    if level == Visibility.FOLLOWERS:
        return viewer_id is not None and follows(viewer_id, owner_id)
    return False


def may_see_content(viewer: Any, obj: Any) -> bool:
    """Whether ``viewer`` may see a publication, album or photo: its audience, hidden state and the author's ban.

    Hidden content shows to its author (with the reason) and to moderators only.
    """
    owner_id = getattr(obj, "author_id", None) or getattr(obj, "owner_id", None)
    if getattr(obj, "hidden_at", None) is not None:
        return (is_active_user(viewer) and viewer.pk == owner_id) or is_moderator(viewer)
    audience = getattr(obj, "audience", None)
    if audience is None:  # a photo: as its album or publication
        parent = obj.album if obj.album_id else obj.publication
        return may_see_content(viewer, parent)
    return may_see(viewer, owner_id, audience) or is_moderator(viewer)


# --- profiles --------------------------------------------------------------------------------------

def default_name(user: Any) -> str:
    """How a person is named in the community until he chooses: "Given S." (never the full surname)."""
    given = (getattr(user, "given_name", "") or "").strip()
    surname = (getattr(user, "surname", "") or "").strip()
    if given and surname:
        return f"{given} {surname[0]}."
    return given or surname or _("Participant %(id)s") % {"id": user.pk}


def profile_of(user: Any) -> Profile:
    """The user's profile, or (if he has not made one) an unsaved one with the defaults."""
    profile = Profile.objects.filter(user_id=user.pk).first()
    if profile is None:
        profile = Profile(user=user, display_name=default_name(user))
    return profile


# --- staff -----------------------------------------------------------------------------------------

def is_moderator(user: Any) -> bool:
    """A community moderator: an administrator or controller on staff, or a holder of the Django permission
    ``social.change_abusereport`` (give it to a "moderators" group in the admin)."""
    if not is_active_user(user):
        return False
    if user.is_superuser or user.has_perm("social.change_abusereport"):
        return True
    return bool(is_staff_member(user) and (is_administrator(user) or is_controller(user)))


def is_expert_verifier(user: Any) -> bool:
    """Who verifies experts' credentials: a moderator, or a holder of ``social.change_credential``."""
    if not is_active_user(user):
        return False
    return is_moderator(user) or user.has_perm("social.change_credential")
