"""Writes of the community's conversations: start a conversation, send, read, leave, add a member — each checked
(bans, blocks, the recipient's choice who may write to him) and evented. Blocks are in ``services/blocks.py``.

Messages are private: no event payload and no notification carries a message's text.

Settings (with defaults): ``KRAI_SOCIAL_STRANGER_MESSAGES_PER_DAY`` (20: messages a day, local day of
``TIME_ZONE``, into conversations where nobody else has written yet — the anti-spam cap, lifted by an answer),
``KRAI_SOCIAL_MESSAGE_RATE`` ("60/600": at most 60 messages in 600 seconds; honours ``RATELIMIT_ENABLE``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.core.notifications.services import notify
from krai.social import policy, texts
from krai.social.message_limits import MessagesRateLimited, check_rate, check_strangers
from krai.social.models import Conversation, Message, Participant, Profile

__all__ = [
    "MessagesRateLimited", "conversation_leave", "conversation_read", "conversation_start", "message_send",
    "participant_add",
]

MAX_BODY = 5000
MAX_MEMBERS = 50


# --- checks ----------------------------------------------------------------------------------------

def _clean_body(body: Any) -> str:
    return texts.clean_body(body, limit=MAX_BODY,
                            too_long=_("A message is at most %(limit)s characters (this one has %(length)s)."))


def _accepts(recipient: Any, sender: Any, *, conversation: Conversation | None = None) -> None:
    """Refuse when ``sender`` may not write to ``recipient``: closed account, a block either way (the same
    neutral words whoever blocked whom), or the recipient's choice who may write to him."""
    if not recipient.is_active:
        raise ValidationError(_("This account is closed: it receives no messages."), code="inactive")
    if policy.is_blocked(sender, recipient):
        raise ValidationError(_("You cannot write to this person."), code="blocked")
    choice = Profile.objects.filter(user_id=recipient.pk).values_list("accept_messages", flat=True).first()
    if choice == Profile.Messages.NOBODY:
        raise ValidationError(_("This person does not accept messages."), code="not_accepted")
    if choice == Profile.Messages.FOLLOWING and not policy.follows(recipient, sender):
        answered = conversation is not None and Message.objects.filter(conversation=conversation,
                                                                       sender_id=recipient.pk).exists()
        if not answered:
            raise ValidationError(_("This person accepts messages only from people they follow."),
                                  code="not_accepted")


# --- writing ---------------------------------------------------------------------------------------

def _join(conversation: Conversation, user: Any, now: dt.datetime, *, admin: bool = False) -> Participant:
    """Make ``user`` a current member; one who had left comes back seeing only what is written from now."""
    participant, created = Participant.objects.get_or_create(
        conversation=conversation, user=user, defaults={"joined_at": now, "is_admin": admin})
    if not created and participant.left_at is not None:
        participant.left_at, participant.joined_at, participant.last_read_at = None, now, None
        participant.is_admin = participant.is_admin or admin
        participant.save(update_fields=["left_at", "joined_at", "last_read_at", "is_admin"])
    return participant


def _notify(message: Message, event: Any) -> None:
    """One "new message" notification per conversation until the recipient reads it; never the text."""
    conversation = message.conversation
    name = policy.profile_of(message.sender).display_name
    for participant in (Participant.objects.filter(conversation=conversation, left_at__isnull=True)
                        .exclude(user_id=message.sender_id).select_related("user")):
        unread = Message.objects.filter(conversation=conversation, created_at__gte=participant.joined_at)
        if participant.last_read_at is not None:
            unread = unread.filter(created_at__gt=participant.last_read_at)
        if unread.exclude(pk=message.pk).exclude(sender_id=participant.user_id).exists():
            continue  # told already about this conversation, and not read since
        with translation.override(participant.user.preferred_language or settings.LANGUAGE_CODE):
            title = _("New message from %(name)s") % {"name": name}
        notify(users=[participant.user], kind="social.message", title=title, url=conversation.get_absolute_url(),
               event=event)


def _post(actor: Any, conversation: Conversation, text: str, now: dt.datetime) -> Message:
    message = Message.objects.create(conversation=conversation, sender=actor, body=text, created_at=now)
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now)
    conversation.last_message_at = now
    Participant.objects.filter(conversation=conversation, user=actor).update(last_read_at=now)
    event = record_event(kind="social.message_sent", actor=actor, subject=conversation,
                         payload={"conversation_id": conversation.pk, "message_id": message.pk,
                                  "kind": conversation.kind})
    _notify(message, event)
    return message


def _users(recipients: Iterable[Any], actor: Any) -> list[Any]:
    ids = []
    for recipient in recipients:
        try:
            pk = int(getattr(recipient, "pk", recipient))
        except (TypeError, ValueError):
            continue
        if pk != actor.pk and pk not in ids:
            ids.append(pk)
    found = {user.pk: user for user in get_user_model().objects.filter(pk__in=ids)}
    if not ids or len(found) != len(ids):
        raise ValidationError({"recipients": ValidationError(_("Choose whom to write to."), code="required")})
    return [found[pk] for pk in ids]


@transaction.atomic
def conversation_start(*, actor: Any, recipients: Iterable[Any], body: str, title: str = "",
                       now: dt.datetime | None = None) -> tuple[Conversation, Message]:
    """Write to one person (his and ``actor``'s direct conversation, reused if it exists) or to several (a new
    group of at most ``MAX_MEMBERS`` with a title, ``actor`` its admin). Returns the conversation and message."""
    policy.ensure_may_act(actor)
    now = now or timezone.now()
    text = _clean_body(body)
    people = _users(recipients, actor)
    if len(people) == 1:
        return _start_direct(actor, people[0], text, now)
    title = str(title or "").strip()
    if not title:
        raise ValidationError({"title": ValidationError(_("Give the group conversation a title."), code="required")})
    if len(title) > 200:
        raise ValidationError({"title": ValidationError(_("A title is at most 200 characters."), code="max_length")})
    if len(people) + 1 > MAX_MEMBERS:
        raise ValidationError({"recipients": ValidationError(
            _("A group conversation has at most %(limit)s members.") % {"limit": MAX_MEMBERS}, code="too_many")})
    for person in people:
        _accepts(person, actor)
    check_strangers(actor, None, now)
    check_rate(actor)
    conversation = Conversation.objects.create(kind=Conversation.Kind.GROUP, title=title, created_by=actor,
                                               created_at=now)
    _join(conversation, actor, now, admin=True)
    for person in people:
        _join(conversation, person, now)
    record_event(kind="social.conversation_started", actor=actor, subject=conversation,
                 payload={"conversation_id": conversation.pk, "kind": conversation.kind,
                          "members": len(people) + 1})
    return conversation, _post(actor, conversation, text, now)


def _start_direct(actor: Any, person: Any, text: str, now: dt.datetime) -> tuple[Conversation, Message]:
    key = f"{min(actor.pk, person.pk)}:{max(actor.pk, person.pk)}"
    conversation = Conversation.objects.filter(direct_key=key).first()
    _accepts(person, actor, conversation=conversation)
    check_strangers(actor, conversation, now)
    check_rate(actor)
    if conversation is None:
        try:
            with transaction.atomic():
                conversation = Conversation.objects.create(kind=Conversation.Kind.DIRECT, direct_key=key,
                                                           created_by=actor, created_at=now)
        except IntegrityError:  # the other started it at the same moment
            conversation = Conversation.objects.get(direct_key=key)
        else:
            record_event(kind="social.conversation_started", actor=actor, subject=conversation,
                         payload={"conversation_id": conversation.pk, "kind": conversation.kind, "members": 2})
    _join(conversation, actor, now)
    _join(conversation, person, now)
    return conversation, _post(actor, conversation, text, now)


def _membership(actor: Any, conversation: Conversation) -> Participant:
    participant = (Participant.objects.select_for_update()
                   .filter(conversation_id=conversation.pk, user_id=actor.pk, left_at__isnull=True).first())
    if participant is None:
        raise PermissionDenied(_("You are not a member of this conversation."))
    return participant


@transaction.atomic
def message_send(*, actor: Any, conversation: Conversation, body: str, now: dt.datetime | None = None) -> Message:
    """Write in a conversation ``actor`` is a member of. In a direct one the other's blocks and choice who may
    write to him apply, and one who left it comes back."""
    policy.ensure_may_act(actor)
    now = now or timezone.now()
    _membership(actor, conversation)
    text = _clean_body(body)
    other = None
    if conversation.kind == Conversation.Kind.DIRECT:
        other = (Participant.objects.filter(conversation=conversation).exclude(user_id=actor.pk)
                 .select_related("user").first())
        if other is None:  # the other's account was erased
            raise ValidationError(_("This account is closed: it receives no messages."), code="inactive")
        _accepts(other.user, actor, conversation=conversation)
    check_strangers(actor, conversation, now)
    check_rate(actor)
    if other is not None:
        _join(conversation, other.user, now)
    return _post(actor, conversation, text, now)


@transaction.atomic
def conversation_read(*, actor: Any, conversation: Conversation, now: dt.datetime | None = None) -> None:
    """Mark the conversation read by ``actor`` up to now — the reader's bookkeeping, like a notification's
    read mark: no event (an audit entry per reading would be a diary of who read what when)."""
    now = now or timezone.now()
    Participant.objects.filter(conversation_id=conversation.pk, user_id=getattr(actor, "pk", None),
                               left_at__isnull=True).filter(
        Q(last_read_at__isnull=True) | Q(last_read_at__lt=now)).update(last_read_at=now)


@transaction.atomic
def conversation_leave(*, actor: Any, conversation: Conversation) -> None:
    """Leave a conversation: it is gone from ``actor``'s list and pages. A group's last admin hands the role to
    the longest member; a direct one comes back (empty) if the other writes again."""
    policy.ensure_signed_in(actor)
    participant = _membership(actor, conversation)
    was_admin = participant.is_admin
    participant.left_at, participant.is_admin = timezone.now(), False
    participant.save(update_fields=["left_at", "is_admin"])
    remaining = Participant.objects.filter(conversation=conversation, left_at__isnull=True)
    if was_admin and not remaining.filter(is_admin=True).exists():
        heir = remaining.order_by("joined_at", "id").first()
        if heir is not None:
            Participant.objects.filter(pk=heir.pk).update(is_admin=True)
    record_event(kind="social.conversation_left", actor=actor, subject=conversation,
                 payload={"conversation_id": conversation.pk, "kind": conversation.kind})


@transaction.atomic
def participant_add(*, actor: Any, conversation: Conversation, user: Any) -> Participant:
    """Add ``user`` to a group conversation (its admins only); he sees what is written from now on."""
    policy.ensure_may_act(actor)
    participant = _membership(actor, conversation)
    if conversation.kind != Conversation.Kind.GROUP or not participant.is_admin:
        raise PermissionDenied(_("Only the group's admins may add members."))
    current = Participant.objects.filter(conversation=conversation, user_id=user.pk, left_at__isnull=True).first()
    if current is not None:
        return current
    if Participant.objects.filter(conversation=conversation, left_at__isnull=True).count() >= MAX_MEMBERS:
        raise ValidationError(_("A group conversation has at most %(limit)s members.") % {"limit": MAX_MEMBERS},
                              code="too_many")
    _accepts(user, actor)
    added = _join(conversation, user, timezone.now())
    record_event(kind="social.participant_added", actor=actor, subject=conversation,
                 payload={"conversation_id": conversation.pk, "user_id": user.pk})
    return added
