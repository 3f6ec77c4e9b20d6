"""Writes of the community's profiles and follows (the expert registry: ``experts.py``).

Each function checks who acts (bans through ``policy.ensure_may_act``, blocks through ``policy.is_blocked``),
writes in one transaction with its event, and tells the person concerned. A second follow of the same person
or topic is a no-op that returns the existing follow (nothing written, nobody notified again).
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

from krai.core import ratelimit
from krai.core.events.services import record_event
from krai.core.files.validation import inspect_upload
from krai.core.notifications.services import notify
from krai.org.models import Municipality
from krai.social import policy
from krai.social.models import Follow, Profile, Topic, Visibility
from krai.social.models.profiles import PRIVATE_FIELDS

__all__ = [
    "follow_topic", "follow_user", "profile_avatar_remove", "profile_avatar_set", "profile_update", "unfollow_topic",
    "unfollow_user",
]

#: what a person edits himself; ``kind`` and ``organisation`` are set by staff in the admin
SELF_FIELDS = ("display_name", "about", "position", "municipality", "website", "contact_email", "contact_phone",
               "privacy", "accept_messages", "is_discoverable")
STAFF_FIELDS = ("kind", "organisation")
#: what others read: a banned person may still hide things, but not change them
PUBLISHED_FIELDS = {"display_name", "about", "position", "website"}
ABOUT_MAX = 2000
AVATAR_SIZES = {"avatar": 256, "avatar_thumb": 64}
FOLLOW_RATE = (60, 3600)  # follows of people a person makes at most, per period in seconds


# --- profiles --------------------------------------------------------------------------------------

def _profile_row(user: Any) -> Profile:
    """The user's profile row, locked; made with the defaults the first time he saves it."""
    return _profile_row_made(user)[0]


def _profile_row_made(user: Any) -> tuple[Profile, bool]:
    """The user's profile row, locked, and whether it was made just now (the caller records that)."""
    return Profile.objects.select_for_update().get_or_create(
        user_id=user.pk, defaults={"display_name": policy.default_name(user)})


def _require_self_or_admin(actor: Any, user: Any) -> bool:
    """True when staff edit someone else's profile (``social.change_profile``, through the admin)."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied(_("Sign in to take part in the community."))
    if actor.pk == user.pk:
        return False
    if actor.has_perm("social.change_profile"):
        return True
    raise PermissionDenied(_("You may change only your own profile."))


def _clean(name: str, value: Any, profile: Profile) -> Any:
    if name == "display_name":
        value = " ".join(str(value or "").split())
        if not 1 <= len(value) <= 150:
            raise ValidationError({name: _("A name of 1 to 150 characters is required.")})
    elif name == "about":
        value = str(value or "").replace("\r\n", "\n").strip()
        if len(value) > ABOUT_MAX:
            raise ValidationError({name: _("At most %(n)s characters.") % {"n": ABOUT_MAX}})
    elif name in ("position", "contact_phone"):
        value = " ".join(str(value or "").split())
        limit = Profile._meta.get_field(name).max_length
        if len(value) > limit:
            raise ValidationError({name: _("At most %(n)s characters.") % {"n": limit}})
        if name == "contact_phone" and value and not all(ch.isdigit() or ch in "+-() " for ch in value):
            raise ValidationError({name: _("A phone number holds digits, spaces, +, - and brackets only.")})
    elif name == "website":
        value = str(value or "").strip()
        if value:
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                raise ValidationError({name: _("Enter a web address starting with http:// or https://.")}) from None
    elif name == "contact_email":
        value = str(value or "").strip()
        if value:
            try:
                EmailValidator()(value)
            except ValidationError:
                raise ValidationError({name: _("Enter a valid e-mail address.")}) from None
    elif name == "municipality":
        if value is not None and not (isinstance(value, Municipality) and value.is_active):
            raise ValidationError({name: _("Choose a municipality from the list.")})
    elif name == "privacy":
        if not isinstance(value, dict) or set(value) - set(PRIVATE_FIELDS) \
                or any(level not in Visibility.values for level in value.values()):
            raise ValidationError({name: _("Choose who sees each field from the list.")})
        value = {**(profile.privacy or {}), **value}
    elif name == "accept_messages":
        if value not in Profile.Messages.values:
            raise ValidationError({name: _("Choose who may write to you from the list.")})
    elif name == "is_discoverable":
        value = bool(value)
    elif name == "kind" and value not in Profile.Kind.values:
        raise ValidationError({name: _("Choose a kind from the list.")})
    return value


@transaction.atomic
def profile_update(*, actor: Any, user: Any, **fields: Any) -> Profile:
    """Change the fields named of ``user``'s profile (made on the first save); records the names changed.

    A person edits his own profile (``SELF_FIELDS``); ``kind`` and ``organisation`` are for staff holding
    ``social.change_profile`` (the admin). The event's payload names the fields, never their values.
    """
    staff = _require_self_or_admin(actor, user)
    allowed = SELF_FIELDS + (STAFF_FIELDS if staff else ())
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    profile, created = _profile_row_made(user)
    changed = []
    for name, value in fields.items():
        value = _clean(name, value, profile)
        if getattr(profile, name) != value:
            setattr(profile, name, value)
            changed.append(name)
    if not staff and PUBLISHED_FIELDS & set(changed):
        policy.ensure_may_act(actor)
    if changed or created:  # a profile made by this call is a change too, even with nothing sent
        profile.save()
        record_event(kind="social.profile_updated", actor=actor, subject=profile, payload={"changed": changed})
    return profile


def _square(content: bytes, size: int) -> bytes:
    with Image.open(io.BytesIO(content)) as image:
        image.seek(0)
        frame = image.convert("RGBA")
    background = Image.new("RGBA", frame.size, (255, 255, 255, 255))
    flat = Image.alpha_composite(background, frame).convert("RGB")
    out = io.BytesIO()
    ImageOps.fit(flat, (size, size), method=Image.Resampling.LANCZOS).save(out, format="JPEG", quality=88)
    return out.getvalue()


def _drop_files(names: Iterable[str]) -> None:
    storage = Profile._meta.get_field("avatar").storage
    for name in names:
        if name:
            storage.delete(name)


def profile_avatar_set(*, actor: Any, user: Any, upload: Any) -> Profile:
    """Set ``user``'s avatar from an image upload: proved and cleaned by the kernel (no metadata kept),
    cropped square to 256 px, with a 64 px thumbnail. A refused file leaves nothing stored."""
    _require_self_or_admin(actor, user)
    policy.ensure_may_act(actor)
    inspected = inspect_upload(upload, allowed_kinds=("image",))
    sizes = {name: _square(inspected.content, px) for name, px in AVATAR_SIZES.items()}
    stored: list[str] = []
    try:
        with transaction.atomic():
            profile = _profile_row(user)
            old = [profile.avatar.name, profile.avatar_thumb.name]
            for name, content in sizes.items():
                getattr(profile, name).save(f"{secrets.token_hex(12)}.jpg", ContentFile(content), save=False)
                stored.append(getattr(profile, name).name)
            profile.save()
            record_event(kind="social.avatar_set", actor=actor, subject=profile,
                         payload={"sha256": inspected.sha256, "size": inspected.size})
            transaction.on_commit(lambda: _drop_files(old), robust=True)
    except BaseException:
        _drop_files(stored)
        raise
    return profile


@transaction.atomic
def profile_avatar_remove(*, actor: Any, user: Any) -> Profile:
    """Remove ``user``'s avatar (the generated one with initials shows again)."""
    _require_self_or_admin(actor, user)
    profile = Profile.objects.select_for_update().filter(user_id=user.pk).first()
    if profile is None:  # no profile, no avatar: nothing to remove (and no row made without its event)
        return policy.profile_of(user)
    old = [profile.avatar.name, profile.avatar_thumb.name]
    if any(old):
        profile.avatar, profile.avatar_thumb = "", ""
        profile.save()
        record_event(kind="social.avatar_removed", actor=actor, subject=profile, payload={})
        transaction.on_commit(lambda: _drop_files(old), robust=True)
    return profile


# --- follows ---------------------------------------------------------------------------------------

def _check_follow_rate(actor: Any) -> None:
    if not ratelimit.within("social:follow", actor.pk, *FOLLOW_RATE):
        raise ValidationError(_("You are following too many people too fast. Please try again later."),
                              code="rate_limited")


def _tell(user: Any, *, kind: str, title: Any, params: dict[str, Any], url: str, event: Any,
          body: str = "") -> None:
    """Notify one person in his own language (``title`` is lazy, so it is translated here)."""
    with translation.override(getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE):
        notify(users=[user], kind=kind, title=str(title) % params, body=body, url=url, event=event)


@transaction.atomic
def follow_user(*, actor: Any, user: Any) -> Follow:
    """Follow a person's (or an organisation's, a body's) account; the followed one is told once."""
    policy.ensure_may_act(actor)
    if user is None or not user.is_active:
        raise ValidationError(_("This account is not available."), code="unavailable")
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot follow yourself."), code="self")
    if policy.is_blocked(actor, user):
        raise ValidationError(_("You cannot follow this account: one of you has blocked the other."),
                              code="blocked")
    existing = Follow.objects.filter(follower=actor, followee=user).first()
    if existing is not None:
        return existing
    _check_follow_rate(actor)
    follow = Follow.objects.create(follower=actor, followee=user)
    event = record_event(kind="social.followed", actor=actor, subject=follow, payload={"followee": user.pk})
    _tell(user, kind="social.followed", title=gettext_lazy("%(name)s follows you in the community"),
          params={"name": policy.profile_of(actor).display_name}, event=event,
          url=reverse("social:profile", args=[actor.pk]))
    return follow


@transaction.atomic
def unfollow_user(*, actor: Any, user: Any) -> bool:
    """Stop following a person; False when he was not followed."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to take part in the community."))
    follow = Follow.objects.filter(follower=actor, followee_id=user.pk).first()
    if follow is None:
        return False
    record_event(kind="social.unfollowed", actor=actor, subject=follow, payload={"followee": user.pk})
    follow.delete()
    return True


@transaction.atomic
def follow_topic(*, actor: Any, topic: Topic) -> Follow:
    """Follow an active topic."""
    policy.ensure_may_act(actor)
    if not topic.is_active:
        raise ValidationError(_("This topic is closed."), code="unavailable")
    existing = Follow.objects.filter(follower=actor, topic=topic).first()
    if existing is not None:
        return existing
    follow = Follow.objects.create(follower=actor, topic=topic)
    record_event(kind="social.topic_followed", actor=actor, subject=follow, payload={"topic": topic.code})
    return follow


@transaction.atomic
def unfollow_topic(*, actor: Any, topic: Topic) -> bool:
    """Stop following a topic; False when it was not followed."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to take part in the community."))
    follow = Follow.objects.filter(follower=actor, topic=topic).first()
    if follow is None:
        return False
    record_event(kind="social.topic_unfollowed", actor=actor, subject=follow, payload={"topic": topic.code})
    follow.delete()
    return True
