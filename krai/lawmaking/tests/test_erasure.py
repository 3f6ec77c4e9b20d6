"""Erasing a person from law-making: his published initiative keeps its text without his name and without him,
his comments, amendments and reviews stay as anonymous public records, his unpublished concept, supports,
answers and subscriptions go; "download my data" gives him all of it first."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from krai.accounts.services import account_anonymise
from krai.core.comments.models import Comment
from krai.core.privacy import exported_sections
from krai.lawmaking.models import (
    Amendment,
    Annotation,
    Answer,
    Initiative,
    Question,
    Review,
    Stage,
    Subscription,
    Support,
)
from krai.lawmaking.tests.factories import initiative, verified_expert
from krai.lawmaking.tests.factories_export import full_initiative
from krai.org.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return UserFactory(given_name="Тимофей", surname="Заречный", email="zarechny@example.ru")


def _his_world(person):
    """An initiative he started (published), one he supports and answers, his concept, his contributions."""
    own = full_initiative(stage=Stage.ELABORATION, initiator=person,
                          problem="Пишу как житель, Тимофей Заречный, тел. 8 918 555-44-33.")
    other = initiative(Stage.DISCUSSION, support_threshold=10)
    Support.objects.create(initiative=other, user=person)
    Support.objects.create(initiative=other, user=UserFactory())
    Initiative.objects.filter(pk=other.pk).update(support_count=2)
    question = Question.objects.create(initiative=other, text="Какой срок вы считаете разумным?",
                                       author=other.initiator)
    Answer.objects.create(question=question, author=person, text="Полгода, — Заречный")
    Subscription.objects.create(user=person, initiative=other)
    version = other.versions.create(number=1, text="Статья 1.")
    Annotation.objects.create(initiative=other, version=version, key="1", body="Заречный против.", author=person)
    Amendment.objects.create(initiative=other, version=version, key="1", proposed_text="Тимофей предлагает иначе.",
                             author=person)
    concept = initiative(Stage.CONCEPT, initiator=person, title="Черновик Заречного")
    return own, other, concept


def test_download_my_data_holds_his_part(person):
    own, other, concept = _his_world(person)
    data = exported_sections(person)["lawmaking"]
    assert {i["id"] for i in data["initiatives"]} == {own.pk, concept.pk}
    assert data["supports"][0]["initiative"] == other.pk
    assert data["answers"][0]["text"] == "Полгода, — Заречный"
    assert data["annotations"][0]["text"] == "Заречный против."
    assert data["amendments"][0]["proposed_text"] == "Тимофей предлагает иначе."
    assert data["subscriptions"][0]["initiative"] == other.pk
    expert = verified_expert("law")
    review_holder = full_initiative(stage=Stage.EXPERTISE)
    Review.objects.filter(initiative=review_holder).update(expert=expert)
    reviews = exported_sections(expert)["lawmaking"]["reviews"]
    assert reviews and reviews[0]["corruption_risks_found"] is True


def test_erasure_keeps_the_public_record_without_him(person):
    own, other, concept = _his_world(person)
    account_anonymise(actor=person, user=person, password=PASSWORD)
    own.refresh_from_db()
    assert own.initiator_id is None and own.title  # the record stays, without him
    assert "Заречный" not in own.problem and "555-44-33" not in own.problem and "житель" in own.problem
    assert not Initiative.objects.filter(pk=concept.pk).exists()  # never published: gone
    assert not Support.objects.filter(user=person).exists()
    other.refresh_from_db()
    assert other.support_count == 1  # the live count under discussion follows
    assert not Answer.objects.filter(author=person).exists() and not Subscription.objects.filter(user=person).exists()
    note = Annotation.objects.get(initiative=other)
    assert note.author_id is None and "Заречный" not in note.body
    amendment = Amendment.objects.get(initiative=other)
    assert amendment.author_id is None and "Тимофей" not in amendment.proposed_text
    assert exported_sections(person)["lawmaking"]["initiatives"] == []


def test_erasure_of_an_expert_keeps_his_review_anonymous():
    expert = verified_expert("law", given_name="Аркадий", surname="Ветров")
    item = full_initiative(stage=Stage.EXPERTISE)
    Review.objects.filter(initiative=item).update(expert=expert, summary="Ветров считает проект законным.")
    account_anonymise(actor=expert, user=expert, password=PASSWORD)
    review = Review.objects.get(initiative=item)
    assert review.expert_id is None and "Ветров" not in review.summary and "законным" in review.summary
    # the kernel's comments on the initiative are the comments eraser's; ours only on concepts that go
    assert Comment.objects.filter(content_type=ContentType.objects.get_for_model(Initiative),
                                  object_id=str(item.pk)).exists()
