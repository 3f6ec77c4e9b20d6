"""The community's objects that are nobody's discussion: the kernel's comments and files treat a model without a
``<app>.view_<model>`` rule as public (``krai/core/files/selectors.py``), so each of these gets a view rule saying
who may know it exists, and a ``comment_<model>`` rule that lets nobody comment on it.

Publications, albums and photos have their own rules (``content.py``, ``galleries.py``); a credential's
documents are the owner's and the verifiers' (``profiles.py``). Profiles, topics and fields of expertise are
public, but carry no discussions either.
"""

from __future__ import annotations

from typing import Any

import rules

from krai.social import policy
from krai.social.rules.conversations import is_current_participant


@rules.predicate
def _member_of_its_conversation(user: Any, participant: Any) -> bool:
    return participant is not None and is_current_participant(user, participant.conversation)


@rules.predicate
def _moderator(user: Any, obj: Any = None) -> bool:
    return policy.is_moderator(user)


@rules.predicate
def _the_banned(user: Any, ban: Any) -> bool:
    return ban is not None and policy.is_active_user(user) and ban.user_id == user.pk


@rules.predicate
def _the_blocker(user: Any, block: Any) -> bool:
    return block is not None and policy.is_active_user(user) and block.blocker_id == user.pk


@rules.predicate
def _either_side(user: Any, follow: Any) -> bool:
    return follow is not None and policy.is_active_user(user) and user.pk in (follow.follower_id, follow.followee_id)


@rules.predicate
def _its_publication_visible(user: Any, link: Any) -> bool:
    return link is not None and policy.may_see_content(user, link.publication)


VIEW_RULES = {
    "conversation": is_current_participant,
    "participant": _member_of_its_conversation,
    "abusereport": _moderator,
    "ban": _the_banned | _moderator,
    "userblock": _the_blocker,
    "follow": _either_side,
    "publicationtopic": _its_publication_visible,
}

#: every model of the community but publications, albums and photos: no comments hang on them
NO_COMMENTS = ("conversation", "participant", "message", "abusereport", "ban", "userblock", "follow",
               "publicationtopic", "profile", "topic", "expertisefield", "credential")

for _model, _predicate in VIEW_RULES.items():
    if not rules.perm_exists(f"social.view_{_model}"):
        rules.add_perm(f"social.view_{_model}", _predicate)

for _model in NO_COMMENTS:
    if not rules.perm_exists(f"social.comment_{_model}"):
        rules.add_perm(f"social.comment_{_model}", rules.always_deny)
