"""A moderator's journey through the moderation queue in the deployed shape: the count says how many reports
wait, the pages reach the last of them (the count matches the rows over every page), he ticks several on the
last page and rejects them with one reason, then publishes one and lands on it seeing the body it went to and
the answer's deadline, in the message too. On a desktop (1280 px) and on a phone (390 px), where the page never
scrolls sideways."""

from __future__ import annotations

import re

import pytest

from .crawler import DESKTOP, PHONE, Crawler, fits, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]

MODERATOR = "controller@demo.krai"  # README.md: the Department of Control moderates the whole region
PAGE_SIZE = 30
QUEUE = "/workspace/problems/moderation/"


@pytest.fixture(scope="module")
def moderator(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler.context(MODERATOR)
    crawler.close()



def _total(page) -> int:
    return int(page.locator("#krai-queue-count").get_attribute("data-total"))


def _rows(page) -> list[int]:
    return [int(v) for v in page.locator("input.krai-bulk-item").evaluate_all("els => els.map(e => e.value)")]


def _messages(page) -> str:
    return " ".join(page.locator(".krai-messages .alert").all_inner_texts())


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_moderator_reaches_the_last_report_rejects_several_and_publishes_one(moderator, installation, viewport):
    page = moderator.new_page()
    page.set_viewport_size(viewport)
    errors = watch_errors(page)
    try:
        response = page.goto(installation.url + QUEUE)
        assert response is not None and response.status == 200
        total = _total(page)
        assert total > PAGE_SIZE, f"the demo should have more than a page waiting, the count says {total}"
        assert len(_rows(page)) == PAGE_SIZE
        fits(page, "the moderation queue")

        # the last page is one click away, and what it holds completes the count
        numbers = page.locator("nav[aria-label] .pagination a.page-link").all_inner_texts()
        last = max(int(n) for n in numbers if n.strip().isdigit())
        assert last == -(-total // PAGE_SIZE), (numbers, total)
        with page.expect_navigation():
            page.locator("nav .pagination a.page-link", has_text=re.compile(rf"^\s*{last}\s*$")).click()
        assert f"page={last}" in page.url
        on_last = _rows(page)
        assert _total(page) == total and (last - 1) * PAGE_SIZE + len(on_last) == total, (total, len(on_last))
        fits(page, "the last page")

        # tick several, one reason for all
        ticked = on_last[:3] if len(on_last) >= 3 else on_last
        for pk in ticked:
            page.locator(f"#bulk-{pk}").check()
        page.locator("#bulk-action-reject").check()
        page.fill("#bulk-reason", "Сообщение не относится к ведению органов власти края")
        with page.expect_navigation():
            page.get_by_role("button", name=re.compile("Применить")).click()
        said = _messages(page)
        assert all(f"№{pk}" in said for pk in ticked), said
        assert "Отклонено" in said, said
        assert _total(page) == total - len(ticked)
        assert not set(ticked) & set(_rows(page))

        # publish one: the page he lands on and the message say where it went and by when
        published = None
        for pk in _rows(page)[:5]:
            page.goto(installation.url + f"/workspace/problems/{pk}/")
            with page.expect_navigation():
                page.locator("#form-publish button[type=submit]").click()
            if page.url.rstrip("/").endswith(f"/workspace/problems/{pk}") and page.locator("#krai-due").count() \
                    and re.search(r"\d\d\.\d\d\.\d{4}", page.locator("#krai-due").inner_text()):
                published = pk
                break
        assert published is not None, "none of five reports could be published (no body answers them?)"
        body = page.locator("#krai-routed-to").inner_text().strip()
        due = re.search(r"\d\d\.\d\d\.\d{4}", page.locator("#krai-due").inner_text()).group(0)
        assert body and body != "—"
        said = _messages(page)
        assert body in said and due in said, said
        fits(page, "the published report")
        assert page.locator("a", has_text="Следующее сообщение на модерации").count() == 1

        page.goto(installation.url + QUEUE)
        assert _total(page) == total - len(ticked) - 1
        assert not errors, errors
    finally:
        page.close()
