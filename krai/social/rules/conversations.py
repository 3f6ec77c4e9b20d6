"""Permissions of the community's conversations.

These are rules (``rules.test_rule``), not Django permissions, on purpose: ``user.has_perm`` answers True for
every permission of an active superuser, and messages must stay private from superusers and staff too. So the
selectors and services ask ``rules.test_rule("social.read_conversation", user, conversation)``.
"""

from __future__ import annotations

from typing import Any

import rules

from krai.social.models import Conversation, Participant


def _current(user: Any, conversation: Conversation | None) -> Participant | None:
    if conversation is None or user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return Participant.objects.filter(conversation_id=conversation.pk, user_id=user.pk, left_at__isnull=True).first()


@rules.predicate
def is_current_participant(user: Any, conversation: Conversation | None) -> bool:
    """A member of the conversation now (one who left sees it no more)."""
    return _current(user, conversation) is not None


@rules.predicate
def is_group_admin(user: Any, conversation: Conversation | None) -> bool:
    """A current member of a group conversation who may add members."""
    if conversation is None or conversation.kind != Conversation.Kind.GROUP:
        return False
    participant = _current(user, conversation)
    return participant is not None and participant.is_admin


rules.add_rule("social.read_conversation", is_current_participant)
rules.add_rule("social.add_participant", is_group_admin)
