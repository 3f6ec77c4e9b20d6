"""The limits on messages, kept apart from the conversations' services: the anti-spam cap on messages to people
who have not answered (``KRAI_SOCIAL_STRANGER_MESSAGES_PER_DAY``, 20 a local day of ``TIME_ZONE``) and the rate
(``KRAI_SOCIAL_MESSAGE_RATE``, "60/600": at most 60 messages in 600 seconds; honours ``RATELIMIT_ENABLE``).

Checks only: they read and count, never write.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from krai.core import ratelimit
from krai.social.models import Conversation, Message


class MessagesRateLimited(ValidationError):
    """Too many messages in a short time: a ValidationError for pages, a 429 for the API."""


def stranger_cap() -> int:
    return int(getattr(settings, "KRAI_SOCIAL_STRANGER_MESSAGES_PER_DAY", 20))


def local_day(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    day = now.astimezone(zone).date()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def answered_q(conversation_id: Any, sender_id: int) -> Q:
    """Someone other than the sender wrote in the conversation (an erased account's message counts)."""
    others = Message.objects.filter(conversation_id=conversation_id).exclude(sender_id=sender_id)
    return Q(Exists(others))


def check_strangers(actor: Any, conversation: Conversation | None, now: dt.datetime) -> None:
    """The anti-spam cap: messages of today into conversations nobody else has written in."""
    if conversation is not None and Message.objects.filter(conversation=conversation).exclude(
            sender_id=actor.pk).exists():
        return  # an answered conversation never counts
    start, end = local_day(now)
    sent = (Message.objects.filter(sender_id=actor.pk, created_at__gte=start, created_at__lt=end)
            .exclude(answered_q(OuterRef("conversation_id"), actor.pk)).count())
    limit = stranger_cap()
    if sent >= limit:
        raise ValidationError(
            _("Today you have already sent %(limit)s messages to people who have not answered you yet — the "
              "daily limit. It lifts as soon as someone answers, or tomorrow.") % {"limit": limit},
            code="stranger_cap")


def message_rate() -> tuple[int, int]:
    return ratelimit.rate(getattr(settings, "KRAI_SOCIAL_MESSAGE_RATE", "60/600"), "s")


def check_rate(actor: Any) -> None:
    if not ratelimit.within("social:messages", actor.pk, *message_rate()):
        raise MessagesRateLimited(_("You are sending messages too fast. Please wait a few minutes and try again."),
                                  code="rate_limited")
