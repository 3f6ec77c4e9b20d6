"""The idea discussion's services: support and its threshold (concurrency included), questions and answers,
subscriptions, and who is told of stage changes and new initiatives."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from krai.core.events.dispatch import deliver_pending
from krai.core.events.models import Event
from krai.core.notifications.models import Notification
from krai.lawmaking.models import Answer, Initiative, Level, Question, Stage, Subscription, Support
from krai.lawmaking.services import discussion, stages, subscriptions
from krai.lawmaking.tests.factories import coordinator, field, initiative
from krai.org.tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


def _kinds() -> list[str]:
    return list(Event.objects.order_by("id").values_list("kind", flat=True))


# --- support ---------------------------------------------------------------------------------------

def test_support_counts_once_and_refuses_the_initiator_and_the_unconfirmed() -> None:
    item = initiative(support_threshold=5)
    person = UserFactory()
    support, created = discussion.support_add(actor=person, initiative=item)
    assert created and item.support_count == 1
    again, created = discussion.support_add(actor=person, initiative=item)
    assert not created and again.pk == support.pk
    assert Initiative.objects.get(pk=item.pk).support_count == 1 == Support.objects.filter(initiative=item).count()
    assert _kinds().count("lawmaking.supported") == 1
    with pytest.raises(ValidationError, match="your own initiative"):
        discussion.support_add(actor=item.initiator, initiative=item)
    with pytest.raises(PermissionDenied, match="Confirm your e-mail"):
        discussion.support_add(actor=UserFactory(email_confirmed=False), initiative=item)
    assert Initiative.objects.get(pk=item.pk).support_count == 1


@pytest.mark.parametrize("stage", [Stage.ELABORATION, Stage.STOPPED, Stage.CLOSED])
def test_support_only_during_the_discussion(stage: str) -> None:
    item = initiative(stage)
    with pytest.raises(ValidationError, match="only while the idea is discussed"):
        discussion.support_add(actor=UserFactory(), initiative=item)
    assert not Support.objects.exists()


def test_support_after_the_discussion_ended_is_refused() -> None:
    item = initiative(stage_due=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError, match="The discussion ended on"):
        discussion.support_add(actor=UserFactory(), initiative=item)


def test_support_of_a_hidden_concept_is_refused() -> None:
    item = initiative(Stage.CONCEPT)
    with pytest.raises(PermissionDenied):
        discussion.support_add(actor=UserFactory(), initiative=item)


def test_support_remove_counts_down_and_only_while_discussed() -> None:
    item = initiative(support_threshold=10)
    person = UserFactory()
    discussion.support_add(actor=person, initiative=item)
    assert discussion.support_remove(actor=person, initiative=item) is True
    assert item.support_count == 0 and not Support.objects.exists()
    assert discussion.support_remove(actor=person, initiative=item) is False
    assert _kinds().count("lawmaking.unsupported") == 1
    done = initiative(Stage.ELABORATION)
    with pytest.raises(ValidationError):
        discussion.support_remove(actor=person, initiative=done)


def test_the_threshold_moves_the_initiative_to_the_draft_with_version_1() -> None:
    item = initiative(support_threshold=2)
    discussion.support_add(actor=UserFactory(), initiative=item)
    assert item.stage == Stage.DISCUSSION
    discussion.support_add(actor=UserFactory(), initiative=item)
    item.refresh_from_db()
    assert item.stage == Stage.ELABORATION and item.support_count == 2
    assert item.versions.get().number == 1
    entry = item.stage_entries.order_by("-id").first()
    assert entry.stage == Stage.ELABORATION and ("2 of 2" in entry.note or "2 из 2" in entry.note)
    assert entry.actor is None
    with pytest.raises(ValidationError):  # no more support once it moved on
        discussion.support_add(actor=UserFactory(), initiative=item)


# --- questions and answers -------------------------------------------------------------------------

def test_questions_by_the_initiator_or_editor_only_and_at_most_ten_open() -> None:
    editor = UserFactory()
    item = initiative(editor=editor)
    with pytest.raises(PermissionDenied):
        discussion.question_ask(actor=UserFactory(), initiative=item, text="Нужна ли норма?")
    with pytest.raises(ValidationError) as error:
        discussion.question_ask(actor=item.initiator, initiative=item, text="   ")
    assert "text" in error.value.message_dict
    first = discussion.question_ask(actor=editor, initiative=item, text="Вопрос от редактора")
    for n in range(discussion.MAX_OPEN_QUESTIONS - 1):
        discussion.question_ask(actor=item.initiator, initiative=item, text=f"Вопрос {n}")
    with pytest.raises(ValidationError, match="At most 10 questions"):
        discussion.question_ask(actor=item.initiator, initiative=item, text="Одиннадцатый")
    discussion.question_close(actor=item.initiator, question=first)
    discussion.question_close(actor=item.initiator, question=first)  # twice: nothing more
    discussion.question_ask(actor=item.initiator, initiative=item, text="Одиннадцатый")
    assert _kinds().count("lawmaking.question_closed") == 1
    assert Question.objects.filter(initiative=item).count() == 11


@pytest.mark.parametrize("stage", [Stage.EXPERTISE, Stage.STOPPED])
def test_questions_only_in_discussion_or_elaboration(stage: str) -> None:
    item = initiative(stage)
    with pytest.raises(ValidationError):
        discussion.question_ask(actor=item.initiator, initiative=item, text="Поздно?")


def test_one_answer_per_person_changed_by_giving_again_only_while_open() -> None:
    item = initiative()
    question = discussion.question_ask(actor=item.initiator, initiative=item, text="Как часто убирать?")
    person = UserFactory()
    answer, created = discussion.answer_give(actor=person, question=question, text="Раз в неделю")
    assert created
    again, created = discussion.answer_give(actor=person, question=question, text="Дважды в неделю")
    assert not created and again.pk == answer.pk
    assert Answer.objects.get(pk=answer.pk).text == "Дважды в неделю"
    with pytest.raises(PermissionDenied):
        discussion.answer_give(actor=UserFactory(email_confirmed=False), question=question, text="Да")
    discussion.question_close(actor=item.initiator, question=question)
    with pytest.raises(ValidationError, match="closed"):
        discussion.answer_give(actor=person, question=question, text="Ежедневно")
    assert Answer.objects.get(pk=answer.pk).text == "Дважды в неделю"


def test_answers_hidden_by_coordinators_with_a_reason() -> None:
    item = initiative()
    question = discussion.question_ask(actor=item.initiator, initiative=item, text="Ваше мнение?")
    answer, _created = discussion.answer_give(actor=UserFactory(), question=question, text="Реклама")
    with pytest.raises(PermissionDenied):
        discussion.answer_hide(actor=item.initiator, answer=answer, reason="спам")
    boss = coordinator()
    with pytest.raises(ValidationError):
        discussion.answer_hide(actor=boss, answer=answer, reason="")
    discussion.answer_hide(actor=boss, answer=answer, reason="спам")
    answer.refresh_from_db()
    assert answer.hidden_at is not None and answer.hidden_reason == "спам"
    with pytest.raises(ValidationError, match="hidden"):
        discussion.answer_give(actor=answer.author, question=question, text="Другое")


def test_public_writes_are_rate_limited(settings) -> None:
    settings.KRAI_LAWMAKING_PUBLIC_WRITE_RATE = "2/h"
    item = initiative()
    question = discussion.question_ask(actor=item.initiator, initiative=item, text="Вопрос?")
    person = UserFactory()
    discussion.answer_give(actor=person, question=question, text="1")
    discussion.answer_give(actor=person, question=question, text="2")
    with pytest.raises(discussion.RateLimited):
        discussion.answer_give(actor=person, question=question, text="3")


# --- subscriptions and who is told -----------------------------------------------------------------

def test_subscribe_once_and_unsubscribe() -> None:
    item = initiative()
    person = UserFactory()
    row, created = subscriptions.subscribe(actor=person, initiative=item)
    assert created
    assert subscriptions.subscribe(actor=person, initiative=item) == (row, False)
    assert subscriptions.unsubscribe(actor=person, initiative=item) is True
    assert subscriptions.unsubscribe(actor=person, initiative=item) is False
    assert _kinds().count("lawmaking.subscribed") == 1 and _kinds().count("lawmaking.unsubscribed") == 1
    with pytest.raises(PermissionDenied):
        subscriptions.subscribe(actor=person, initiative=initiative(Stage.CONCEPT))


def test_filters_validated_and_removed_only_by_their_owner() -> None:
    person, town = UserFactory(), MunicipalityFactory()
    with pytest.raises(ValidationError) as error:
        subscriptions.subscribe_filter(actor=person, level=Level.REGIONAL, municipality=town)
    assert "municipality" in error.value.message_dict
    with pytest.raises(ValidationError):
        subscriptions.subscribe_filter(actor=person, level="federal")
    row, created = subscriptions.subscribe_filter(actor=person, municipality=town)
    assert created and row.level == Level.MUNICIPAL
    assert subscriptions.subscribe_filter(actor=person, municipality=town) == (row, False)
    with pytest.raises(PermissionDenied):
        subscriptions.unsubscribe_filter(actor=UserFactory(), subscription=row)
    subscriptions.unsubscribe_filter(actor=person, subscription=row)
    assert not Subscription.objects.exists()


def test_stage_change_tells_subscribers_and_the_initiator_once() -> None:
    item = initiative(support_threshold=1)
    follower = UserFactory()
    subscriptions.subscribe(actor=follower, initiative=item)
    supporter = UserFactory()
    discussion.support_add(actor=supporter, initiative=item)  # → elaboration
    deliver_pending()
    deliver_pending()
    told = Notification.objects.filter(kind="lawmaking.stage_changed")
    assert sorted(told.values_list("user_id", flat=True)) == sorted([follower.pk, item.initiator_id])
    assert all(item.title in n.title for n in told)
    event = Event.objects.filter(kind="lawmaking.stage_changed").latest("id")
    from krai.lawmaking.subscribers_discussion import stage_changed

    stage_changed(event)  # a redelivery tells nobody twice
    assert told.count() == 2


def test_a_stop_by_staff_tells_subscribers_not_the_initiator() -> None:
    item = initiative()
    follower = UserFactory()
    subscriptions.subscribe(actor=follower, initiative=item)
    from django.db import transaction

    with transaction.atomic():
        row = stages.lock(item)
        stages.enter(row, Stage.STOPPED, actor=coordinator(), note="Дублирует действующий закон")
    deliver_pending()
    told = Notification.objects.filter(kind="lawmaking.stage_changed")
    assert list(told.values_list("user_id", flat=True)) == [follower.pk]
    assert "Дублирует действующий закон" in told.get().body


def test_new_initiatives_reach_matching_filters_only() -> None:
    town, other = MunicipalityFactory(), MunicipalityFactory()
    roads = field("roads", "Дороги")
    item = initiative(Stage.CONCEPT, municipality=town)
    item.fields.set([roads])
    everything, by_town, by_other, by_subject, by_regional = (UserFactory() for _ in range(5))
    subscriptions.subscribe_filter(actor=everything)
    subscriptions.subscribe_filter(actor=by_town, municipality=town)
    subscriptions.subscribe_filter(actor=by_other, municipality=other)
    subscriptions.subscribe_filter(actor=by_subject, field=roads)
    subscriptions.subscribe_filter(actor=by_regional, level=Level.REGIONAL)
    subscriptions.subscribe_filter(actor=item.initiator)  # he knows: not told of his own
    deliver_pending()
    from krai.lawmaking.services import initiatives

    initiatives.initiative_approve(actor=coordinator(), initiative=item)
    deliver_pending()
    told = set(Notification.objects.filter(kind="lawmaking.new_initiative").values_list("user_id", flat=True))
    assert told == {everything.pk, by_town.pk, by_subject.pk}
