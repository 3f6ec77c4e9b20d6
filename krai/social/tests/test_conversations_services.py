"""Conversations through the services: direct and group, read state, refusals that store nothing (bans, blocks,
the recipient's choice, closed accounts, the text's length), the daily cap on messages to strangers, the rate
limit, notifications that neither flood nor carry the text, leaving, adding members, blocks."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from krai.core.events.models import Event
from krai.core.notifications.models import Notification
from krai.org.tests.factories import UserFactory
from krai.social import services  # conversations and blocks (services/blocks.py)
from krai.social.models import Ban, Conversation, Follow, Message, Participant, Profile, UserBlock
from krai.social.selectors import conversations as selectors

MSK = zoneinfo.ZoneInfo("Europe/Moscow")
NOON = dt.datetime(2030, 4, 10, 12, 0, tzinfo=MSK)


def person(name: str, **profile) -> object:
    user = UserFactory(given_name=name)
    Profile.objects.create(user=user, display_name=name, **profile)
    return user


@pytest.fixture
def anna(db):
    return person("Anna")


@pytest.fixture
def boris(db):
    return person("Boris")


def refused(call, **kwargs) -> str:
    """The refusal's text (English), asserting nothing was stored."""
    before = (Message.objects.count(), Conversation.objects.count(), Participant.objects.count())
    with translation.override("en"), pytest.raises((ValidationError, PermissionDenied)) as info:
        call(**kwargs)
    assert (Message.objects.count(), Conversation.objects.count(), Participant.objects.count()) == before
    error = info.value
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def test_direct_conversation_is_reused_whoever_starts_it(anna, boris):
    first, _m = services.conversation_start(actor=anna, recipients=[boris], body="Hello")
    again, _m = services.conversation_start(actor=boris, recipients=[boris.pk, anna.pk], body="Hi")
    assert first.pk == again.pk and first.kind == "direct"
    assert first.direct_key == f"{min(anna.pk, boris.pk)}:{max(anna.pk, boris.pk)}"
    assert Conversation.objects.count() == 1 and first.messages.count() == 2
    assert Event.objects.filter(kind="social.conversation_started").count() == 1
    assert Event.objects.filter(kind="social.message_sent").count() == 2
    assert all("Hello" not in str(e.payload) for e in Event.objects.all())  # no text in the trail


def test_group_needs_a_title_and_has_its_author_as_admin(anna, boris):
    vera = person("Vera")
    assert "title" in refused(services.conversation_start, actor=anna, recipients=[boris, vera], body="Hi")
    group, _m = services.conversation_start(actor=anna, recipients=[boris, vera], body="Hi", title="Roads")
    assert group.kind == "group" and group.direct_key is None
    assert set(group.participants.values_list("user_id", "is_admin")) == {(anna.pk, True), (boris.pk, False),
                                                                         (vera.pk, False)}


def test_group_holds_at_most_fifty(anna, settings):
    others = [UserFactory() for _ in range(50)]
    text = refused(services.conversation_start, actor=anna, recipients=others, body="Hi", title="Too many")
    assert "at most 50 members" in text
    services.conversation_start(actor=anna, recipients=others[:49], body="Hi", title="Just right")


def test_read_state_and_unread_counts(anna, boris):
    conversation, _m = services.conversation_start(actor=anna, recipients=[boris], body="One", now=NOON)
    services.message_send(actor=anna, conversation=conversation, body="Two", now=NOON + dt.timedelta(minutes=1))
    assert selectors.unread_total(user=boris) == 2 and selectors.unread_total(user=anna) == 0
    assert selectors.inbox(user=boris).get().unread == 2
    services.conversation_read(actor=boris, conversation=conversation, now=NOON + dt.timedelta(minutes=2))
    assert selectors.unread_total(user=boris) == 0
    services.message_send(actor=anna, conversation=conversation, body="Three", now=NOON + dt.timedelta(minutes=3))
    assert selectors.unread_total(user=boris) == 1


def test_messages_are_paged_by_keyset_and_hidden_from_others(anna, boris):
    conversation, _m = services.conversation_start(actor=anna, recipients=[boris], body="m0", now=NOON)
    for i in range(1, 5):
        services.message_send(actor=anna if i % 2 else boris, conversation=conversation, body=f"m{i}",
                              now=NOON + dt.timedelta(minutes=i))
    page = selectors.messages_of(user=boris, conversation=conversation, limit=3)
    assert [m.body for m in page.messages] == ["m2", "m3", "m4"]
    earlier = selectors.messages_of(user=boris, conversation=conversation, before=page.earlier, limit=3)
    assert [m.body for m in earlier.messages] == ["m0", "m1"] and earlier.earlier is None
    superuser = UserFactory(is_superuser=True, is_staff=True)
    for outsider in (superuser, UserFactory(is_staff=True), UserFactory()):
        with pytest.raises(Exception) as info:
            selectors.messages_of(user=outsider, conversation=conversation.pk)
        assert info.typename == "Http404"
        assert not selectors.inbox(user=outsider).exists()


def test_a_block_either_way_refuses_with_the_same_words_and_stores_nothing(anna, boris):
    conversation, _m = services.conversation_start(actor=anna, recipients=[boris], body="Hello")
    services.block_user(actor=boris, user=anna)
    for sender, recipient in ((anna, boris), (boris, anna)):
        assert refused(services.message_send, actor=sender, conversation=conversation,
                       body="x") == "You cannot write to this person."
        assert refused(services.conversation_start, actor=sender, recipients=[recipient],
                       body="x") == "You cannot write to this person."


def test_a_banned_sender_is_refused_with_the_ban(anna, boris):
    Ban.objects.create(user=anna, reason="spam", ends_at=timezone.now() + dt.timedelta(days=3))
    text = refused(services.conversation_start, actor=anna, recipients=[boris], body="Buy")
    assert "banned from the community" in text and "spam" in text


def test_accept_messages_nobody_and_following(anna):
    quiet = person("Quiet", accept_messages=Profile.Messages.NOBODY)
    choosy = person("Choosy", accept_messages=Profile.Messages.FOLLOWING)
    assert refused(services.conversation_start, actor=anna, recipients=[quiet],
                   body="Hi") == "This person does not accept messages."
    assert "only from people they follow" in refused(services.conversation_start, actor=anna,
                                                     recipients=[choosy], body="Hi")
    Follow.objects.create(follower=choosy, followee=anna)
    services.conversation_start(actor=anna, recipients=[choosy], body="Hi")


def test_closed_accounts_and_the_texts_length(anna, boris):
    closed = person("Gone")
    closed.is_active = False
    closed.save()
    assert "closed" in refused(services.conversation_start, actor=anna, recipients=[closed], body="Hi")
    assert "Write something" in refused(services.conversation_start, actor=anna, recipients=[boris], body="  \n ")
    assert "at most 5000" in refused(services.conversation_start, actor=anna, recipients=[boris], body="x" * 5001)
    services.conversation_start(actor=anna, recipients=[boris], body="x" * 5000)


def test_the_daily_cap_on_strangers_lifts_when_one_answers_and_tomorrow(anna, settings):
    settings.KRAI_SOCIAL_STRANGER_MESSAGES_PER_DAY = 3
    strangers = [person(f"S{i}") for i in range(4)]
    convs = [services.conversation_start(actor=anna, recipients=[s], body="Hi", now=NOON)[0] for s in strangers[:3]]
    text = refused(services.conversation_start, actor=anna, recipients=[strangers[3]], body="Hi", now=NOON)
    assert "already sent 3 messages" in text and "tomorrow" in text
    assert "already sent 3" in refused(services.message_send, actor=anna, conversation=convs[0], body="Again",
                                       now=NOON)
    # the first answers: writing to him is free, and what went to him counts no more
    services.message_send(actor=strangers[0], conversation=convs[0], body="Hello", now=NOON)
    for _ in range(3):
        services.message_send(actor=anna, conversation=convs[0], body="Thanks", now=NOON)
    services.conversation_start(actor=anna, recipients=[strangers[3]], body="Hi", now=NOON)
    assert "already sent 3" in refused(services.message_send, actor=anna, conversation=convs[1], body="?", now=NOON)
    # the next local day starts afresh
    services.message_send(actor=anna, conversation=convs[1], body="?", now=NOON + dt.timedelta(days=1))


def test_the_cap_counts_the_local_day_and_group_messages_nobody_answered(anna, settings):
    settings.KRAI_SOCIAL_STRANGER_MESSAGES_PER_DAY = 1
    late = dt.datetime(2030, 4, 10, 23, 30, tzinfo=MSK)  # the same UTC day as the next one, not the same local day
    group, _m = services.conversation_start(actor=anna, recipients=[person("A"), person("B")], body="Hi",
                                            title="Neighbours", now=late)
    assert "already sent 1" in refused(services.message_send, actor=anna, conversation=group, body="?",
                                       now=late + dt.timedelta(minutes=20))
    services.message_send(actor=anna, conversation=group, body="?", now=late + dt.timedelta(hours=1))


def test_the_rate_limit(anna, boris, settings):
    settings.KRAI_SOCIAL_MESSAGE_RATE = "2/600"
    conversation, _m = services.conversation_start(actor=anna, recipients=[boris], body="1")
    services.message_send(actor=anna, conversation=conversation, body="2")
    with pytest.raises(services.MessagesRateLimited):
        services.message_send(actor=anna, conversation=conversation, body="3")
    assert conversation.messages.count() == 2


def test_one_notification_per_unread_conversation_and_never_the_text(anna, boris):
    conversation, _m = services.conversation_start(actor=anna, recipients=[boris], body="Secret one", now=NOON)
    for i in (1, 2):
        services.message_send(actor=anna, conversation=conversation, body=f"Secret {i}",
                              now=NOON + dt.timedelta(minutes=i))
    told = Notification.objects.filter(user=boris, kind="social.message")
    assert told.count() == 1 and not Notification.objects.filter(user=anna).exists()
    note = told.get()
    assert "Anna" in note.title and "Secret" not in note.title + note.body
    assert note.url == conversation.get_absolute_url()
    services.conversation_read(actor=boris, conversation=conversation, now=NOON + dt.timedelta(minutes=5))
    services.message_send(actor=anna, conversation=conversation, body="Secret 3", now=NOON + dt.timedelta(minutes=6))
    assert told.count() == 2


def test_leaving_hides_the_conversation_and_a_new_message_brings_a_direct_one_back_empty(anna, boris):
    conversation, _m = services.conversation_start(actor=anna, recipients=[boris], body="Old", now=NOON)
    services.conversation_leave(actor=boris, conversation=conversation)
    assert not selectors.inbox(user=boris).exists()
    services.message_send(actor=anna, conversation=conversation, body="New", now=NOON + dt.timedelta(hours=1))
    page = selectors.messages_of(user=boris, conversation=conversation)
    assert [m.body for m in page.messages] == ["New"]


def test_group_admin_adds_members_and_the_role_passes_on_when_he_leaves(anna, boris):
    vera, gleb = person("Vera"), person("Gleb")
    group, _m = services.conversation_start(actor=anna, recipients=[boris, vera], body="Before", title="T")
    with pytest.raises(PermissionDenied):
        services.participant_add(actor=boris, conversation=group, user=gleb)
    services.participant_add(actor=anna, conversation=group, user=gleb)
    services.message_send(actor=anna, conversation=group, body="After", now=timezone.now() + dt.timedelta(seconds=1))
    assert [m.body for m in selectors.messages_of(user=gleb, conversation=group).messages] == ["After"]
    services.conversation_leave(actor=anna, conversation=group)
    assert Participant.objects.get(conversation=group, user=boris).is_admin


def test_blocking_ends_follows_both_ways_and_unblocking_lifts_it(anna, boris):
    Follow.objects.create(follower=anna, followee=boris)
    Follow.objects.create(follower=boris, followee=anna)
    services.block_user(actor=anna, user=boris)
    services.block_user(actor=anna, user=boris)  # twice: nothing more
    assert UserBlock.objects.count() == 1 and not Follow.objects.exists()
    event = Event.objects.get(kind="social.user_blocked")
    assert event.payload == {"blocked_id": boris.pk, "follows_removed": 2}
    with pytest.raises(ValidationError):
        services.block_user(actor=anna, user=anna)
    assert services.unblock_user(actor=anna, user=boris) is True
    assert not UserBlock.objects.exists() and Event.objects.filter(kind="social.user_unblocked").count() == 1
    services.conversation_start(actor=boris, recipients=[anna], body="Peace")


def test_message_for_moderation_gives_the_message_and_a_few_before_it(anna, boris):
    conversation, _m = services.conversation_start(actor=anna, recipients=[boris], body="m0", now=NOON)
    sent = [services.message_send(actor=boris, conversation=conversation, body=f"m{i}",
                                  now=NOON + dt.timedelta(minutes=i)) for i in range(1, 8)]
    message, before = selectors.message_for_moderation(report_message_id=sent[5].pk, context=3)
    assert message.body == "m6" and [m.body for m in before] == ["m3", "m4", "m5"]
