"""The healthcare rating's owner in the deployed shape: he opens the federal rankings, sees the fall past the
threshold marked, opens the rating, the place chart draws (place 1 at the top), and he opens an order from the
drop in one step; on a desktop (1280 px) and on a phone (390 px), where the page never scrolls sideways."""

from __future__ import annotations

import pytest

from .crawler import DESKTOP, PHONE, Crawler, fits, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]

OWNER = "head.health@demo.krai"  # krai/monitoring/rankings/demo.py: owns "healthcare", which fell 12 → 20


@pytest.fixture(scope="module")
def owner(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler.context(OWNER)
    crawler.close()



@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_owner_sees_the_drop_the_chart_and_opens_an_order(owner, installation, viewport):
    page = owner.new_page()
    page.set_viewport_size(viewport)
    errors = watch_errors(page)
    try:
        response = page.goto(installation.url + "/workspace/monitoring/rankings/")
        assert response is not None and response.status == 200
        row = page.locator("tr[data-rating=healthcare]")
        assert "table-danger" in (row.get_attribute("class") or "")
        assert row.locator("[data-change=down]").count() == 1
        fits(page, "the list")
        with page.expect_navigation():
            row.locator("a").first.click()
        assert page.url.endswith("/workspace/monitoring/rankings/healthcare/"), page.url
        page.wait_for_selector("#rankings-history[_echarts_instance_] svg")
        drawn = page.evaluate("""() => {
            const chart = echarts.getInstanceByDom(document.getElementById('rankings-history'));
            const option = chart.getOption();
            return {points: option.series[0].data.filter(v => v !== null).length, inverse: option.yAxis[0].inverse};
        }""")
        assert drawn == {"points": 5, "inverse": True}, drawn
        assert page.locator("#rankings-compare[_echarts_instance_] svg").count() == 1
        assert page.locator("#rankings-drop").is_visible()
        fits(page, "the rating")
        if viewport == DESKTOP:  # one open order per edition: the desktop run opens it, the phone run finds it open
            with page.expect_navigation():
                page.click("#rankings-order")
            assert "/workspace/orders/control/" in page.url, page.url
            assert "Рейтинг регионов по доступности" in page.content()
        else:
            with page.expect_navigation():
                page.click("#rankings-order")
            assert "/workspace/monitoring/rankings/healthcare/" in page.url
            assert "уже на контроле" in page.content() or "already on control" in page.content()
        fits(page, "after the order")
        assert not errors, errors
    finally:
        page.close()
