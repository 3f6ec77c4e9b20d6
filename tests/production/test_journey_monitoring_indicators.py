"""A department head's journey through target indicators in the deployed shape: the deviation table opens on his
body, coloured by thresholds; he drills down from a number to the report behind it, fills in this month's report
(typed values) and sees it submitted; his body's missing report, past its due date, is counted overdue on the
orders dashboard and listed behind that number. On a desktop (1280 px) and on a phone (390 px), never scrolling
sideways."""

from __future__ import annotations

import re

import pytest

from .crawler import DESKTOP, PHONE, Crawler, fits, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]

HEAD = "head.health@demo.krai"  # krai/monitoring/indicators/demo.py: health's latest overdue report is missing


@pytest.fixture(scope="module")
def head(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler.context(HEAD)
    crawler.close()



@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_head_drills_down_submits_and_sees_the_overdue_report_on_the_dashboard(head, installation, viewport):
    page = head.new_page()
    page.set_viewport_size(viewport)
    errors = watch_errors(page)
    try:
        response = page.goto(installation.url + "/workspace/monitoring/indicators/")
        assert response is not None and response.status == 200
        rows = page.locator("#ind-table tbody tr")
        assert rows.count() >= 5
        colours = set(page.eval_on_selector_all("#ind-table tbody tr", "rs => rs.map(r => r.dataset.colour)"))
        assert colours & {"warn", "critical"}, colours
        assert all("zdrav-" in t for t in page.locator("#ind-table tbody code").all_inner_texts())  # his body only
        fits(page, "the deviation table")

        with page.expect_navigation():
            page.locator("a.ind-drill").first.click()
        assert re.search(r"/workspace/monitoring/indicators/reports/\d+/$", page.url), page.url
        assert page.locator("#ind-values tbody tr").count() >= 5
        fits(page, "the report behind a number")

        page.goto(installation.url + "/workspace/monitoring/indicators/reports/")
        listed = page.locator("#ind-reports tbody a")
        assert listed.count() >= 14
        with page.expect_navigation():
            listed.first.click()  # the newest first: this month's report (on the phone, submitted already: corrected)
        with page.expect_navigation():
            page.click("#ind-submit")
        fields = page.locator("#ind-report-form input[type=number]")
        assert fields.count() >= 5
        for n in range(fields.count()):
            fields.nth(n).fill(str(100 + n))
        fits(page, "the report form")
        with page.expect_navigation():
            page.locator("#ind-report-form button[type=submit]").click()
        assert re.search(r"/reports/\d+/$", page.url), page.url
        assert "100" in page.locator("#ind-values").inner_text()

        page.goto(installation.url + "/workspace/orders/dashboard/?kind=monitoring.report")
        overdue = page.locator("tfoot a[href*='bucket=overdue']")
        assert int(overdue.inner_text()) >= 1
        fits(page, "the orders dashboard")
        with page.expect_navigation():
            overdue.click()
        assert "Отчёт по целевым показателям" in page.locator("main").inner_text()
        assert not errors, errors
    finally:
        page.close()
