"""Permissions of the community's galleries: only the owner changes his albums and photos; who may see them is
``policy.may_see_content`` (audience, hidden state, blocks, moderators).

The kernel's comments ask ``social.comment_album`` and ``social.comment_photo`` (``krai/core/comments/rules.py``):
whoever may see it, signed in with a confirmed e-mail, not banned, not blocked by (or blocking) the owner, while
neither it nor its album or publication is hidden (a photo on a publication also follows the publication's
closed comments).
"""

from __future__ import annotations

from typing import Any

import rules

from krai.social import policy


@rules.predicate
def is_owner(user: Any, obj: Any) -> bool:
    return bool(obj is not None and user is not None and user.is_authenticated and user.is_active
                and getattr(obj, "owner_id", None) == user.pk)


@rules.predicate
def may_see(user: Any, obj: Any) -> bool:
    return obj is not None and policy.may_see_content(user, obj)


rules.add_perm("social.edit_album", is_owner)
rules.add_perm("social.edit_photo", is_owner)
rules.add_perm("social.view_album", may_see)
rules.add_perm("social.view_photo", may_see)


def _hidden_or_closed(obj: Any) -> bool:
    if obj.is_hidden:
        return True
    parent = getattr(obj, "album", None) if getattr(obj, "album_id", None) else getattr(obj, "publication", None)
    if parent is None:
        return False
    return parent.is_hidden or bool(getattr(parent, "comments_closed", False))


@rules.predicate
def may_comment(user: Any, obj: Any) -> bool:
    if obj is None or not (user is not None and user.is_authenticated and user.is_active):
        return False
    if _hidden_or_closed(obj) or not getattr(user, "email_confirmed", True):
        return False
    if policy.active_ban(user) is not None or policy.is_blocked(user, obj.owner_id):
        return False
    return policy.may_see_content(user, obj)


rules.add_perm("social.comment_album", may_comment)
rules.add_perm("social.comment_photo", may_comment)
