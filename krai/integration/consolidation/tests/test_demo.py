"""The demo: two vice-governors' installations with their consolidated orders, shown whether or not the sources
are configured; a second run changes nothing; the crawl lists the pages."""

from __future__ import annotations

import io
import random

import pytest

from krai.integration.consolidation.crawl import PAGES
from krai.integration.consolidation.demo import ORDERS_PER_SOURCE, load_consolidation
from krai.integration.consolidation.models import ConsolidatedOrder, ConsolidationSource
from krai.integration.tests.factories import controller

pytestmark = pytest.mark.django_db


def _load() -> None:
    load_consolidation(scale=1, stdout=io.StringIO(), rng=random.Random("demo"))


def test_the_demo_receives_two_installations_and_a_second_run_changes_nothing(client, settings):
    settings.KRAI_CONSOLIDATION_SOURCES = ""
    settings.KRAI_CONSOLIDATION_UPSTREAM_URL = ""
    _load()
    rows = list(ConsolidatedOrder.objects.order_by("pk").values_list("source__code", "remote_id", "status", "version"))
    assert len(rows) == 2 * ORDERS_PER_SOURCE
    assert set(ConsolidationSource.objects.values_list("name", flat=True)) == {"Экономический блок",
                                                                             "Социальный блок"}
    overdue = [row for row in ConsolidatedOrder.objects.all() if row.is_overdue()]
    assert overdue and ConsolidatedOrder.objects.filter(status="done").exists()
    assert ConsolidatedOrder.objects.filter(status="reported").exists()
    _load()
    assert list(ConsolidatedOrder.objects.order_by("pk").values_list("source__code", "remote_id", "status",
                                                                      "version")) == rows
    client.force_login(controller())
    for page in PAGES:
        response = client.get(page.path)
        assert response.status_code == 200, page.path
    home = client.get(PAGES[0].path).content.decode()
    assert "Экономический блок" in home and "Социальный блок" in home
