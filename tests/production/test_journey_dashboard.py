"""The governor's journey through the control dashboard in the deployed shape: region → block → body → executor,
one click each, a number clicked at every level, and the list it opens shows exactly that many rows; on a
desktop (1280 px) and on a phone (390 px), where the page never scrolls sideways."""

from __future__ import annotations

import re

import pytest

from .crawler import DESKTOP, PHONE, Crawler, fits, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]

GOVERNOR = "governor@demo.krai"
ROWS_PER_PAGE = 50


@pytest.fixture(scope="module")
def governor(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler, crawler.context(GOVERNOR)
    crawler.close()



def _click(page, locator) -> None:
    with page.expect_navigation():
        locator.click()


def _a_number_shows_its_rows(page, where: str) -> None:
    """Click the first non-zero number of the table; the list must say and show that many rows."""
    numbers = page.locator("table.krai-dashboard-table td[data-count] a")
    chosen = None
    for i in range(numbers.count()):
        text = numbers.nth(i).inner_text().strip()
        if re.fullmatch(r"\d+", text) and int(text) > 0:
            chosen = numbers.nth(i)
            break
    assert chosen is not None, f"{where}: no number to click"
    wanted = int(chosen.inner_text().strip())
    back = page.url
    _click(page, chosen)
    assert "/workspace/orders/" in page.url and "dashboard" not in page.url, page.url
    total = int(page.locator("[data-total]").get_attribute("data-total"))
    shown = page.locator("tr[data-assignment]").count()
    assert total == wanted, f"{where}: the number says {wanted}, its list {total} ({page.url})"
    assert shown == min(wanted, ROWS_PER_PAGE), f"{where}: {shown} rows shown for {wanted} ({page.url})"
    fits(page, f"{where}, its list")
    page.goto(back)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_governor_drills_down_and_every_number_opens_its_rows(governor, installation, viewport):
    _crawler, context = governor
    page = context.new_page()
    page.set_viewport_size(viewport)
    errors = watch_errors(page)
    try:
        response = page.goto(installation.url + "/workspace/orders/dashboard/")
        assert response is not None and response.status == 200
        trail = ["region"]
        for level in ("block", "body", "executor"):
            fits(page, trail[-1])
            _a_number_shows_its_rows(page, trail[-1])
            drill = page.locator("table.krai-dashboard-table tbody th a").first
            assert drill.count(), f"{trail[-1]}: no row leads down to the {level}"
            _click(page, drill)
            assert f"level={level}" in page.url, page.url
            trail.append(level)
            # the breadcrumbs keep every level passed
            crumbs = page.locator("nav ol.breadcrumb li")
            assert crumbs.count() == len(trail), (level, crumbs.all_inner_texts())
        fits(page, "executor")
        _a_number_shows_its_rows(page, "executor")
        # the chart of months follows the executor: nothing like the region's hundreds a month
        given = page.evaluate("() => JSON.parse(document.getElementById('orders-trend-data').textContent).given")
        total = int(page.locator("table.krai-dashboard-table tfoot td[data-count] a").first.inner_text())
        assert sum(given) <= total, (given, total)
        assert not errors, errors
    finally:
        page.close()
