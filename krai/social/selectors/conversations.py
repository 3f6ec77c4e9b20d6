"""Reads of the community's conversations, scoped to the reader.

A conversation and its messages exist only for its current members: to anyone else — staff and superusers
included — it is missing (404). A member sees the messages written since he joined. The one way for staff to
read a message is the moderation procedure, through ``message_for_moderation``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from krai.social import policy
from krai.social.models import Conversation, Message, Participant, Profile, UserBlock


def _my_participation(user: Any) -> QuerySet[Participant]:
    return Participant.objects.filter(user_id=user.pk, left_at__isnull=True)


def _unread_messages(user: Any) -> QuerySet[Message]:
    """Messages (of the conversation ``OuterRef("pk")``) ``user`` has not read: written since he joined, after
    his read mark if he has one, by someone else, not hidden."""
    mine = Participant.objects.filter(conversation_id=OuterRef("conversation_id"), user_id=user.pk)
    return (Message.objects.filter(conversation_id=OuterRef("pk"), hidden_at__isnull=True)
            .annotate(joined=Subquery(mine.values("joined_at")[:1]), read=Subquery(mine.values("last_read_at")[:1]))
            .filter(created_at__gte=F("joined"))
            .filter(Q(read__isnull=True) | Q(created_at__gt=F("read")))
            .filter(Q(sender_id__isnull=True) | ~Q(sender_id=user.pk)))


def inbox(*, user: Any) -> QuerySet[Conversation]:
    """``user``'s current conversations, newest message first, each with ``unread`` (messages he has not read)
    and its current members prefetched as ``members`` (with users). Page it (the pages and the API do)."""
    if not policy.is_active_user(user):
        return Conversation.objects.none()
    unread = _unread_messages(user).order_by().values("conversation_id").annotate(n=Count("pk")).values("n")
    members = Participant.objects.filter(left_at__isnull=True).select_related("user").order_by("joined_at", "id")
    return (Conversation.objects.filter(participants__user_id=user.pk, participants__left_at__isnull=True)
            .annotate(unread=Coalesce(Subquery(unread[:1]), 0), newest=Coalesce("last_message_at", "created_at"))
            .prefetch_related(Prefetch("participants", queryset=members, to_attr="members"))
            .order_by("-newest", "-id"))


def unread_total(*, user: Any) -> int:
    """How many messages ``user`` has not read, over all his conversations (the header's badge)."""
    if not policy.is_active_user(user):
        return 0
    return int(inbox(user=user).aggregate(total=Coalesce(Sum("unread"), 0))["total"])


def conversation_get(*, user: Any, pk: Any) -> Conversation:
    """The conversation if ``user`` is a current member of it; 404 alike for missing and anybody else's."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not policy.is_active_user(user):
        raise Http404
    conversation = (Conversation.objects.filter(pk=pk, participants__user_id=user.pk,
                                                participants__left_at__isnull=True).first())
    if conversation is None:
        raise Http404
    return conversation


def membership(*, user: Any, conversation: Conversation) -> Participant:
    """``user``'s current membership of the conversation (404 for anyone else)."""
    participant = (_my_participation(user).filter(conversation_id=conversation.pk).first()
                   if policy.is_active_user(user) else None)
    if participant is None:
        raise Http404
    return participant


def members(*, user: Any, conversation: Conversation) -> list[Participant]:
    """The current members (with users) as one of them sees them, admins first."""
    membership(user=user, conversation=conversation)
    return list(Participant.objects.filter(conversation=conversation, left_at__isnull=True).select_related("user")
                .order_by("-is_admin", "joined_at", "id"))


@dataclass(frozen=True)
class MessagePage:
    """Messages oldest to newest, and the id to pass as ``before`` for the earlier ones (None: no more)."""

    messages: list[Message]
    earlier: int | None


def messages_of(*, user: Any, conversation: Conversation | int, before: Any = None, limit: int = 50) -> MessagePage:
    """The latest ``limit`` messages ``user`` may read in the conversation before the message ``before`` (an id;
    keyset paging), oldest to newest; 404 for anyone not a current member."""
    if not isinstance(conversation, Conversation):
        conversation = conversation_get(user=user, pk=conversation)
    participant = membership(user=user, conversation=conversation)
    limit = max(1, min(int(limit or 50), 200))
    messages = (Message.objects.filter(conversation_id=conversation.pk, created_at__gte=participant.joined_at)
                .select_related("sender"))
    if before not in (None, ""):
        try:
            anchor = messages.filter(pk=int(before)).values("created_at", "pk").first()
        except (TypeError, ValueError):
            anchor = None
        if anchor is None:
            raise Http404
        messages = messages.filter(Q(created_at__lt=anchor["created_at"])
                                   | Q(created_at=anchor["created_at"], pk__lt=anchor["pk"]))
    rows = list(messages.order_by("-created_at", "-id")[:limit + 1])
    earlier = rows[limit - 1].pk if len(rows) > limit else None
    return MessagePage(messages=list(reversed(rows[:limit])), earlier=earlier)


def names(user_ids: list[int] | set[int]) -> dict[int, str]:
    """How each of these people is named in the community (his profile's name, or the default)."""
    from django.contrib.auth import get_user_model

    ids = {pk for pk in user_ids if pk}
    found = dict(Profile.objects.filter(user_id__in=ids).values_list("user_id", "display_name"))
    missing = ids - set(found)
    for user in get_user_model().objects.filter(pk__in=missing):
        found[user.pk] = policy.default_name(user)
    return found


def recipients_search(*, user: Any, query: str, limit: int = 20) -> list[Profile]:
    """People ``user`` might write to whose community name contains ``query`` (at least 2 characters): shown in
    the people search, active, not blocked either way, not himself."""
    query = str(query or "").strip()
    if not policy.is_active_user(user) or len(query) < 2:
        return []
    hidden = policy.blocked_ids(user) | {user.pk}
    return list(Profile.objects.filter(display_name__icontains=query, is_discoverable=True, user__is_active=True)
                .exclude(user_id__in=hidden).order_by("display_name", "user_id")[:limit])


def blocks_of(*, user: Any) -> QuerySet[UserBlock]:
    """Whom ``user`` blocked, newest first."""
    if not policy.is_active_user(user):
        return UserBlock.objects.none()
    return UserBlock.objects.filter(blocker_id=user.pk).select_related("blocked").order_by("-created_at", "-id")


def message_for_moderation(*, report_message_id: Any, context: int = 5,
                           since: Any = None) -> tuple[Message, list[Message]]:
    """The reported message and up to ``context`` messages before it in its conversation (oldest first).

    Checks NO permission and records nothing: it is only for the moderation service, which checks that the
    caller handles a report about this very message and records the audited opening before calling it. Never
    call it from a page or the API directly. Raises ``Message.DoesNotExist`` for a missing message.
    With ``since`` (a moment), no earlier message written before it is given.
    """
    message = Message.objects.select_related("sender", "conversation").get(pk=int(report_message_id))
    earlier = (Message.objects.filter(conversation_id=message.conversation_id)
               .filter(Q(created_at__lt=message.created_at) | Q(created_at=message.created_at, pk__lt=message.pk))
               .filter(Q() if since is None else Q(created_at__gte=since))
               .select_related("sender").order_by("-created_at", "-id")[:max(0, int(context))])
    return message, list(reversed(list(earlier)))
