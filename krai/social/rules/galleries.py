"""Permissions of the community's galleries: only the owner changes his albums and photos; who may see them is
``policy.may_see_content`` (audience, hidden state, blocks, moderators)."""

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
