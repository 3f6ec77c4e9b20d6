"""The Department of Control's journey through the mass-media monitor in the deployed shape: from the topics a topic,
its 30 days' total followed to the mentions feed whose list over all its pages holds exactly that many, a story
opened from a mention, and "prepare a reply" opened from it in one step as an order of the control engine, for a body
chosen with the search picker. On a desktop (1280 px) and on a phone (390 px), never scrolling sideways."""

from __future__ import annotations

import re

import pytest

from .crawler import DESKTOP, PHONE, Crawler, fits, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]

CONTROLLER = "head.control@demo.krai"  # krai/monitoring/media/demo.py: owner of the demo's topics
TOPICS = {"desktop": "Паводок", "phone": "Минздрав края"}
ordered: set[str] = set()  # a story takes one open order: each width orders another story


@pytest.fixture(scope="module")
def crawler(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler
    crawler.close()


def _number(text: str) -> int:
    return int(re.search(r"\d+", text.replace("\xa0", "")).group(0))


def _listed(page) -> int:
    """The mentions of the feed over all its pages (following the link to the next page while there is one)."""
    count = page.locator("[data-mention]").count()
    number = 1
    while (following := page.locator(f"nav .pagination a.page-link[href$='page={number + 1}']")).count():
        with page.expect_navigation():
            following.first.click()
        number += 1
        count += page.locator("[data-mention]").count()
    return count


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_topics_total_is_its_feed_and_a_story_becomes_an_order(crawler, installation, viewport, request):
    width = request.node.callspec.id
    errors: list[str] = []
    page = crawler.context(CONTROLLER).new_page()
    page.set_viewport_size(viewport)
    watch_errors(page, errors)
    try:
        page.goto(installation.url + "/workspace/monitoring/media/topics/")
        assert page.locator("html").get_attribute("lang") == "ru"
        fits(page, "the topics")
        with page.expect_navigation():
            page.locator("#md-topics a", has_text=TOPICS[width]).first.click()
        total = _number(page.locator("#md-topic-total").inner_text())
        assert total >= 1, "the demo's month of articles mentions the topic"
        fits(page, "the topic")
        with page.expect_navigation():
            page.locator("#md-topic-total a").click()
        assert _number(page.locator("#md-total").inner_text()) == total
        assert _listed(page) == total
        fits(page, "the feed")
        stories = [href for href in page.locator("[data-mention] a[href*='/stories/']").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))") if href not in ordered]
        assert stories, "a story not ordered yet"
        page.goto(installation.url + stories[0])
        ordered.add(stories[0])
        assert page.locator("#md-articles li").count() >= 1
        fits(page, "the story")
        page.fill("#id_executor_organisation-search", "Минздрав")  # bodies are listed by their short names
        page.locator("#id_executor_organisation-search ~ ul [role=option]",  # the answers once filtered
                     has_text=re.compile("^\\s*Минздрав края\\s*$")).first.click()
        chosen = page.eval_on_selector("#id_executor_organisation", "s => s.selectedOptions[0].text")
        assert chosen.strip() == "Минздрав края"
        with page.expect_navigation():
            page.get_by_role("button", name="Открыть поручение").click()
        assert "/workspace/orders/" in page.url, page.locator("main").inner_text()[:500]
        assert "Поручение дано" in page.locator(".krai-messages, .alert").first.inner_text()
        fits(page, "the order")
        assert not errors, errors
    finally:
        page.close()
