"""A head's and a lawyer's journey through lawsuits in the deployed shape: the lawyer opens the hearings calendar
of the month with a hearing of his within the coming days, opens the case from it and sees its hearings and
stages; the head sees the list with the totals and the cases with no next step. On a desktop (1280 px) and on a
phone (390 px), never scrolling sideways."""

from __future__ import annotations

import pytest

from .crawler import DESKTOP, PHONE, Crawler, fits, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]

LAWYER = "exec1.unit1.health@demo.krai"  # krai/monitoring/lawsuits/demo.py: health's lawyer, hearings each week
HEAD = "head.health@demo.krai"


@pytest.fixture(scope="module")
def crawler(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler
    crawler.close()


def _page(context, viewport, errors):
    page = context.new_page()
    page.set_viewport_size(viewport)
    watch_errors(page, errors)
    return page


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_lawyer_sees_the_hearings_calendar_and_opens_a_case(crawler, installation, viewport):
    errors: list[str] = []
    page = _page(crawler.context(LAWYER), viewport, errors)
    try:
        page.goto(installation.url + "/workspace/monitoring/lawsuits/calendar/?mine=1")
        links = page.locator("#ls-calendar a[href*='/workspace/monitoring/lawsuits/cases/']")
        if not links.count():  # the month's last days: his next hearings are next month
            with page.expect_navigation():
                page.get_by_role("link", name="Следующий месяц").click()
        assert links.count() >= 1, page.locator("main").inner_text()[:500]
        fits(page, "the calendar")
        with page.expect_navigation():
            links.first.click()
        assert page.locator("#ls-hearings .badge").count() >= 1  # an upcoming hearing
        assert page.locator("#ls-stages li").count() >= 1
        assert page.locator("form input[name=action][value=hearing]").count() == 1  # he may add one
        fits(page, "the case")
        assert not errors, errors
    finally:
        page.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_head_sees_totals_and_cases_with_no_next_step(crawler, installation, viewport):
    errors: list[str] = []
    page = _page(crawler.context(HEAD), viewport, errors)
    try:
        page.goto(installation.url + "/workspace/monitoring/lawsuits/?flagged=on")
        rows = page.locator("#ls-cases tbody tr.table-danger")
        assert rows.count() >= 1
        assert page.locator("#ls-org-title").is_visible()
        fits(page, "the list")
        with page.expect_navigation():
            rows.first.locator("a").first.click()
        assert page.locator(".alert-warning form button").count() == 1  # open an order from it
        fits(page, "the flagged case")
        assert not errors, errors
    finally:
        page.close()
