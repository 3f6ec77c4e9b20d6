"""Cards: links to Krai's own pages found in a text, and each shown only to a reader who may see its object."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from krai.core import cards
from krai.problems.models import Problem
from krai.problems.tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db


@override_settings(ALLOWED_HOSTS=["krai.example", "localhost"], KRAI_SITE_URL="https://portal.krai.example")
def test_links_in_finds_own_pages_with_cards_only():
    text = ("См. /problems/12/, https://portal.krai.example/ideas/4/ и http://localhost/problems/12/ "
            "(повтор), https://evil.example/problems/3/, /problems/ (список без карточки) и /nowhere/5/.")
    assert cards.links_in(text) == ["/problems/12/", "/ideas/4/"]


def test_links_in_keeps_at_most_five():
    text = " ".join(f"/problems/{n}/" for n in range(1, 9))
    assert cards.links_in(text) == [f"/problems/{n}/" for n in range(1, 6)]


def test_a_card_shows_only_what_its_reader_may_see(citizen):
    published = ProblemFactory(address="ул. Красная, 5")
    pending = ProblemFactory(status=Problem.Status.NEW)
    card = cards.card_for(f"/problems/{published.pk}/", AnonymousUser())
    assert card is not None
    assert card.url == f"/problems/{published.pk}/"
    assert published.category.name in card.title and "Красная" in card.title
    assert str(card.status) == str(published.get_status_display())
    # not yet moderated: its card is missing for anyone but its author, like the page itself
    assert cards.card_for(f"/problems/{pending.pk}/", citizen) is None
    assert cards.card_for(f"/problems/{pending.pk}/", pending.author) is not None
    assert cards.card_for("/problems/999999/", citizen) is None
    assert cards.card_for("/nowhere/", citizen) is None
