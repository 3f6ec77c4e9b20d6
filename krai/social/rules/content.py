"""Permissions of the community's content: who sees a publication and who comments on it.

The comments kernel (``krai/core/comments/rules.py``) asks these by name for a ``Publication`` target:

* ``social.view_publication`` — its audience, hidden state and blocks (``policy.may_see_content``);
* ``social.comment_publication`` — who may see it, signed in with a confirmed e-mail, not banned, not blocked
  by (or blocking) the author, while the author keeps the comments open and the publication is not hidden;
* ``social.moderate_publication`` — the community's moderators (``policy.is_moderator``).
"""

from __future__ import annotations

from typing import Any

import rules

from krai.social import policy


@rules.predicate
def may_view_publication(user: Any, publication: Any) -> bool:
    return publication is not None and policy.may_see_content(user, publication)


@rules.predicate
def may_comment_publication(user: Any, publication: Any) -> bool:
    if not policy.is_active_user(user) or publication is None or publication.comments_closed or publication.is_hidden:
        return False
    if not getattr(user, "email_confirmed", True) or policy.active_ban(user) is not None:
        return False
    if policy.is_blocked(user, publication.author_id):
        return False
    return policy.may_see_content(user, publication)


@rules.predicate
def may_moderate_publication(user: Any, publication: Any) -> bool:
    return policy.is_moderator(user)


rules.add_perm("social.view_publication", may_view_publication)
rules.add_perm("social.comment_publication", may_comment_publication)
rules.add_perm("social.moderate_publication", may_moderate_publication)
