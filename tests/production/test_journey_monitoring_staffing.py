"""A department head's journey through staff completeness in the deployed shape: the monitor opens on his body's
units with its fill rate and the history chart drawn, a critical vacancy past the setting's days is in the risks,
he opens an order from it in one click and lands on the order (the risk then shows it is on control); his body's
staffing page lists its positions. On a desktop (1280 px) and on a phone (390 px), never scrolling sideways."""

from __future__ import annotations

import re

import pytest

from .crawler import DESKTOP, PHONE, Crawler, fits, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]

HEAD = "head.health@demo.krai"  # krai/monitoring/staffing/demo.py: health always has overdue critical vacancies


@pytest.fixture(scope="module")
def head(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler.context(HEAD)
    crawler.close()



@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_head_sees_his_fill_rate_and_a_critical_vacancy_and_opens_an_order(head, installation, viewport):
    page = head.new_page()
    page.set_viewport_size(viewport)
    errors = watch_errors(page)
    try:
        response = page.goto(installation.url + "/workspace/monitoring/staffing/")
        assert response is not None and response.status == 200
        assert page.locator("#st-rates tbody tr").count() >= 2  # his body and its units
        assert re.search(r"\d+ %", page.locator("#st-rates-title").inner_text())
        page.wait_for_selector("#staffing-history svg")
        fits(page, "the monitor")
        buttons = page.locator("#st-critical form button")
        assert buttons.count() >= 1, page.locator("#st-critical").inner_text()
        item = buttons.first.locator("xpath=ancestor::li")
        assert re.search(r"\d+", item.inner_text())
        with page.expect_navigation():
            buttons.first.click()
        assert "/workspace/orders/control/" in page.url, page.url
        fits(page, "the order")
        page.goto(installation.url + "/workspace/monitoring/staffing/")
        assert page.locator("#st-critical a[href*='/workspace/orders/control/']").count() >= 1
        with page.expect_navigation():
            page.locator("a[href^='/workspace/monitoring/staffing/organisations/']").first.click()
        assert page.locator("#st-positions tbody tr").count() > 5
        assert page.locator("#st-org-rate").inner_text().endswith("%")
        fits(page, "the organisation's staffing")
        assert not errors, errors
    finally:
        page.close()


def test_the_public_structure_page_shows_the_staffing_without_names(chromium, installation):
    context = chromium.new_context(locale="ru-RU", viewport=PHONE)  # a resident's phone, through the balancer
    try:
        page = context.new_page()
        page.goto(installation.front + "/structure/health/")
        section = page.locator("#krai-staffing")
        assert section.is_visible() and re.search(r"\d+ %", section.inner_text())
        fits(page, "the public structure page")
    finally:
        context.close()
