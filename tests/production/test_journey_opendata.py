"""A reader's journey through an open dataset in the deployed shape: he filters and sorts its table, copies the URL
into a new page (and one without JavaScript) and sees the same rows, pages to the last page, chooses the chart's
columns and the chart draws, and downloads the CSV for Excel (which starts with a byte-order mark); HEAD on the
download answers its headers. On a desktop (1280 px) and on a phone (390 px), where the page never scrolls
sideways."""

from __future__ import annotations

import re

import pytest

from .crawler import DESKTOP, PHONE, SETTLE_MS, fits, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]

PERMITS = "Выданные разрешения на строительство"  # krai/opendata/demo.py: 500+ rows, a date, text and numbers


@pytest.fixture(scope="module")
def reader(chromium):
    """An anonymous reader's browser, saying it came through the region's TLS-terminating balancer, that keeps
    downloads (service workers blocked: a download is a navigation the worker would keep as a page)."""
    context = chromium.new_context(locale="ru-RU", viewport=DESKTOP, accept_downloads=True, service_workers="block",
                                   extra_http_headers={"X-Forwarded-Proto": "https"})
    context.set_default_timeout(SETTLE_MS)
    yield context
    context.close()



def _rows(page) -> list[list[str]]:
    return [[cell.strip() for cell in row.split("\t")] for row in page.locator("#od-rows tbody tr").all_inner_texts()]


def _swap(page, action) -> None:
    """Do what makes htmx swap the table, and wait until the new table is in."""
    page.evaluate("() => document.getElementById('od-rows').setAttribute('data-old', '1')")
    action()
    page.wait_for_function("() => { const t = document.getElementById('od-rows'); return t && !t.dataset.old; }")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_reader_shares_a_view_pages_charts_and_downloads_for_excel(reader, chromium, installation, viewport):
    page = reader.new_page()
    page.set_viewport_size(viewport)
    errors = watch_errors(page)
    try:
        page.goto(installation.url + "/opendata/?q=разрешения")
        with page.expect_navigation():
            page.get_by_role("link", name=PERMITS).click()
        dataset_url = page.url.split("?")[0]
        page.click("#od-table-tab")

        # filter (object = школа) and sort by floors, descending: two clicks on the column's header
        page.select_option("#od-ff", "object")
        page.select_option("#od-fo", "eq")
        page.fill("#od-fv", "школа")
        _swap(page, lambda: page.click("#od-table-form button[type=submit]"))
        _swap(page, lambda: page.click("#od-rows thead a[data-field=floors]"))
        _swap(page, lambda: page.click("#od-rows thead a[data-field=floors]"))
        page.wait_for_url(re.compile(r"sort=-floors"))
        assert "f_value=" in page.url and page.url.startswith(dataset_url + "?"), page.url
        rows = _rows(page)
        assert rows and all(r[4] == "школа" for r in rows), rows[:3]
        floors = [int(r[5]) for r in rows]
        assert floors == sorted(floors, reverse=True), floors
        fits(page, "the filtered table")

        # the URL, copied into a new page, shows the same rows; so does a browser without JavaScript
        shared = page.url
        other = reader.new_page()
        other.set_viewport_size(viewport)
        other.goto(shared)
        assert other.locator("#od-data").is_visible()
        assert _rows(other) == rows
        other.close()
        plain = chromium.new_context(java_script_enabled=False, viewport=viewport,
                                     extra_http_headers={"X-Forwarded-Proto": "https"})
        bare = plain.new_page()
        bare.goto(shared)
        assert _rows(bare) == rows
        plain.close()

        # pages: the total, page numbers, the last page
        status = page.locator("#od-page-of").inner_text()
        pages = int(re.findall(r"\d+", status)[-1])
        if pages > 1:
            _swap(page, lambda: page.locator("ul.pagination a.page-link", has_text=re.compile(rf"^{pages}$")).click())
            page.wait_for_url(re.compile(rf"page={pages}"))
            assert re.findall(r"\d+", page.locator("#od-page-of").inner_text())[:2] == [str(pages), str(pages)]
        total = int(re.findall(r"\d+", page.locator("#od-total").inner_text().replace("\xa0", ""))[0])
        assert 0 < len(_rows(page)) == total - (pages - 1) * 50

        # the chart: the reader chooses the horizontal axis and the series, and the chart draws them
        page.click("#od-chart-tab")
        assert page.locator("#od-chart-x").input_value() != "number"  # never the permit's number by default
        page.select_option("#od-chart-x", "municipality")
        boxes = page.locator("#od-chart-form input[name=chart_y]")
        for i in range(boxes.count()):
            boxes.nth(i).set_checked(boxes.nth(i).get_attribute("value") == "floors")
        page.wait_for_function("""() => { const el = document.getElementById('od-chart');
            const chart = window.echarts && echarts.getInstanceByDom(el);
            if (!chart || el.dataset.x !== 'municipality' || el.dataset.series !== 'floors') return false;
            const series = (chart.getOption() || {}).series || [];
            return series.length === 1 && (series[0].data || []).length > 0; }""")

        # CSV for Excel: a byte-order mark first; HEAD answers the same headers without a body
        page.click("#od-table-tab")
        excel = page.locator("#od-csv-excel")
        href = installation.url + excel.get_attribute("href")
        head = reader.request.fetch(href, method="HEAD")
        assert head.status == 200 and head.body() == b""
        assert head.headers["content-type"].startswith("text/csv")
        assert "attachment" in head.headers["content-disposition"]
        with page.expect_download() as download:
            excel.click()
        with open(download.value.path(), "rb") as handle:
            content = handle.read()
        assert content.startswith(b"\xef\xbb\xbfnumber,"), content[:40]
        assert len(content.splitlines()) == total + 1
        fits(page, "the dataset")
        assert not errors, errors
    finally:
        page.close()
