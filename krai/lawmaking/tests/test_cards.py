"""A link to an initiative shows as a card — title, stage, responsible body — to a reader who may see it; a
concept waiting for moderation shows no card to anyone else, and a missing one none at all."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from krai.core.cards import card_for, links_in
from krai.lawmaking.models import Stage
from krai.lawmaking.tests.factories import coordinator, initiative
from krai.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_published_initiative_shows_as_a_card():
    item = initiative(Stage.EXPERTISE, title="О поддержке народных промыслов")
    path = f"/lawmaking/{item.pk}/"
    assert links_in(f"Посмотрите проект: https://testserver{path} — интересно") == [path]
    card = card_for(path, AnonymousUser())
    assert card is not None and card.title == "О поддержке народных промыслов" and card.url == path
    assert "Экспертиза" in str(card.status) or "Expertise" in str(card.status)
    assert str(item.responsible_body) in str(card.status)


def test_a_concept_shows_no_card_to_others():
    concept = initiative(Stage.CONCEPT)
    path = f"/lawmaking/{concept.pk}/"
    assert card_for(path, AnonymousUser()) is None
    assert card_for(path, UserFactory()) is None
    assert card_for(path, concept.initiator) is not None
    assert card_for(path, coordinator()) is not None
    assert card_for(f"/lawmaking/{concept.pk + 1000}/", coordinator()) is None
