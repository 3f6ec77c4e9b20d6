"""Permissions of the community's moderation.

* ``social.moderate`` — a community moderator (``policy.is_moderator``): the reports queue, hiding and restoring
  content, bans. The workspace's navigation shows the queue by this rule.
"""

from __future__ import annotations

from typing import Any

import rules

from krai.social import policy


@rules.predicate
def is_community_moderator(user: Any) -> bool:
    return policy.is_moderator(user)


rules.add_perm("social.moderate", is_community_moderator)


# The kernel's comments ask ``social.moderate_<model>`` who may hide a comment on the community's content
# (``krai/core/comments/rules.py``): its moderators. The content part may have registered these already.
for _model in ("publication", "album", "photo"):
    if not rules.perm_exists(f"social.moderate_{_model}"):
        rules.add_perm(f"social.moderate_{_model}", is_community_moderator)
