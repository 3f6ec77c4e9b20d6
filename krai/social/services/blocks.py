"""Blocks between people: blocking ends follows both ways, stops messages in a direct conversation and takes
each out of the other's feed, lists and search (``policy.is_blocked``). Allowed to a banned person too."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.social import policy
from krai.social.models import Follow, UserBlock

__all__ = ["block_user", "unblock_user"]



@transaction.atomic
def block_user(*, actor: Any, user: Any) -> UserBlock:
    """Block ``user``: follows both ways end, no messages pass in a direct conversation, each leaves the other's
    feed. Allowed to a banned person too (it protects him). Blocking twice changes nothing."""
    policy.ensure_signed_in(actor)
    if user is None or user.pk == actor.pk:
        raise ValidationError(_("You cannot block yourself."), code="self")
    block = UserBlock.objects.filter(blocker_id=actor.pk, blocked_id=user.pk).first()
    if block is not None:
        return block
    block = UserBlock.objects.create(blocker=actor, blocked=user)
    removed, _detail = Follow.objects.filter(Q(follower_id=actor.pk, followee_id=user.pk)
                                             | Q(follower_id=user.pk, followee_id=actor.pk)).delete()
    record_event(kind="social.user_blocked", actor=actor, subject=block,
                 payload={"blocked_id": user.pk, "follows_removed": removed})
    return block


@transaction.atomic
def unblock_user(*, actor: Any, user: Any) -> bool:
    """Lift ``actor``'s block of ``user`` (follows are not restored); returns whether there was one."""
    policy.ensure_signed_in(actor)
    deleted, _detail = UserBlock.objects.filter(blocker_id=actor.pk, blocked_id=getattr(user, "pk", user)).delete()
    if deleted:
        record_event(kind="social.user_unblocked", actor=actor, subject=None,
                     payload={"blocked_id": getattr(user, "pk", user)})
    return bool(deleted)
