"""The rankings tile counts what the list it links to shows: one figure per rating in force (the list's
``?active=1`` rows), and its drops are the rows of ``?active=1&dropped=1`` — for the governor and for a head."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from krai.monitoring import tiles
from krai.monitoring.rankings import services
from krai.org.models import Role
from krai.org.tests.factories import StaffFactory, assign

from .conftest import add_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def governor(db):
    user = StaffFactory()
    assign(user, Role.GOVERNOR)
    return user


@pytest.fixture
def ratings(rating, owner, controller):
    """``invest`` fell past its threshold; ``digital`` rose; ``roads`` has no edition yet; ``old`` fell past its
    threshold but is no longer in force."""
    add_edition(owner, rating, 2023, {"23": (3, None, {})})
    add_edition(owner, rating, 2024, {"23": (11, None, {})})
    made = {}
    for code, active in (("digital", True), ("roads", True), ("old", False)):
        made[code] = services.rating_create(actor=controller, code=code, name=f"Рейтинг {code}", publisher="АСИ",
                                            periodicity="year", drop_threshold=3, active=active)
    add_edition(controller, made["digital"], 2023, {"23": (20, None, {})})
    add_edition(controller, made["digital"], 2024, {"23": (12, None, {})})
    add_edition(controller, made["old"], 2023, {"23": (1, None, {})})
    add_edition(controller, made["old"], 2024, {"23": (40, None, {})})
    return rating


def listed(user, url: str) -> list[str]:
    client = Client()
    client.force_login(user)
    page = client.get(url)
    assert page.status_code == 200
    return re.findall(r'<tr data-rating="([^"]+)"', page.content.decode())


@pytest.mark.parametrize("who", ["governor", "head"])
def test_the_tile_counts_what_the_list_shows(request, ratings, who):
    user = request.getfixturevalue("owner" if who == "head" else "governor")
    tile = next(t for t in tiles.tiles_for(user) if t.key == "rankings")
    shown = listed(user, tile.url)
    assert len(tile.figures) == len(shown) == 3 and "old" not in shown
    assert [f.url for f in tile.figures] == [f"/workspace/monitoring/rankings/{code}/" for code in shown]
    assert {str(label): value for label, value, _tone in tile.figures}["Рейтинг roads"] == "—"
    dropped = listed(user, tile.note_url)
    assert dropped == ["invest"] and str(tile.note).endswith(f": {len(dropped)}")
    assert len(listed(user, "/workspace/monitoring/rankings/")) == 4  # the whole list keeps the one out of force
    client = Client()
    client.force_login(user)
    overview = client.get("/workspace/monitoring/").content.decode()
    assert 'href="/workspace/monitoring/rankings/invest/" data-figure>' in overview
    assert 'href="/workspace/monitoring/rankings/?active=1&amp;dropped=1"' in overview
