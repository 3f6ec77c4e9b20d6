"""The section's start page: the counts, each a link to exactly the list it counts; the parts shown to who may open
them; who may open the section at all (and the menu entry hidden from the rest)."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from krai.integration.tests.factories import administrator, controller
from krai.integration.tests.systems_helpers import message, registered
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign

pytestmark = pytest.mark.django_db
HOME = "/workspace/integration/"


def _figures(text: str) -> dict[str, tuple[str, int]]:
    found = re.findall(r'href="([^"]+)" data-figure="(\w+)">\s*<span class="card-body"><span [^>]*data-value="(\d+)"',
                       text)
    return {key: (unescape(url), int(value)) for url, key, value in found}


def _total(response) -> int:
    return int(re.search(r'data-total="(\d+)"', response.content.decode()).group(1))


def test_every_count_is_the_length_of_the_list_it_links_to(client) -> None:
    now = timezone.now()
    system = registered()
    registered("old", name="Старая")
    for _n in range(3):
        message(system=system, direction="in")
    message(system=system, direction="out", status="failed", error="таймаут")
    message(direction="out", status="refused", created_at=now - timedelta(hours=2))
    message(direction="in", status="refused", created_at=now - timedelta(hours=30))
    message(direction="in", created_at=now - timedelta(days=2))
    client.force_login(administrator())
    page = client.get(HOME)
    assert page.status_code == 200
    figures = _figures(page.content.decode())
    assert set(figures) == {"systems_active", "in_today", "out_today", "refused_24h", "failed_24h"}
    assert figures["refused_24h"][1] == 1 and figures["failed_24h"][1] == 1 and figures["systems_active"][1] == 2
    for key, (url, value) in figures.items():
        assert _total(client.get(url)) == value, key


def test_the_parts_shown_are_those_the_reader_may_open(client) -> None:
    client.force_login(controller())
    page = client.get(HOME).content.decode()
    assert "/workspace/integration/log/" in page and "/workspace/integration/systems/" not in page
    assert 'data-figure="systems_active"' not in page
    try:
        webhooks = reverse("webhooks:home")
    except NoReverseMatch:
        webhooks = None
    if webhooks is not None:  # administrators only
        assert f'href="{webhooks}"' not in page
        client.force_login(administrator())
        assert f'href="{webhooks}"' in client.get(HOME).content.decode()


def test_who_may_open_the_section_and_see_it_in_the_menu(client) -> None:
    executor = StaffFactory()
    assign(executor, Role.EXECUTOR, organisation=OrganisationFactory())
    client.force_login(executor)
    assert client.get(HOME).status_code == 403
    assert f'href="{HOME}"' not in client.get("/workspace/").content.decode()
    client.force_login(controller())
    assert f'href="{HOME}"' in client.get("/workspace/").content.decode()
    client.logout()
    assert client.get(HOME).status_code == 302
