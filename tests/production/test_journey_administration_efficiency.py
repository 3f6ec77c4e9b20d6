"""Administration's efficiency journey (d) in the deployed shape, through the pages only — on a desktop (1280 px) and
on a phone (390 px), never scrolling sideways, in Russian and with no script or console error: a department's head
(one of the two whose departments executed the most this year) opens Efficiency from the workspace menu, picks this
year, opens a unit, and a figure of it equals the count of the list behind it over all its pages; he opens a person
of that unit, and a figure of the person equals its list too.
"""

from __future__ import annotations

import pytest

from .administration_journeys import (  # noqa: F401 — the module's fixtures are imported to be found
    ADMIN,
    REFUSALS,
    VIEWPORTS,
    _about,
    _history,
    _history_about,
    _index,
    _menu,
    _option,
    _pick,
    _roles,
    _russian,
    _said,
    _submit,
    crawler_fixture,
    facts_fixture,
)
from .crawler import fits, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]


# --- d) efficiency -------------------------------------------------------------------------------------------

def _listed(page) -> int:
    """The rows of a drill-down list over all its pages."""
    total = 0
    for _ in range(30):
        total += page.locator("#krai-items tbody tr:has(a)").count()
        following = page.locator("main a[rel=next]")
        if not following.count():
            return total
        with page.expect_navigation():
            following.first.click()
    raise AssertionError("more than 30 pages")


def _figure_equals_its_list(page, chosen: tuple[str, int, str]) -> None:
    """Follows a figure of the totals' row to its list and counts the list's rows over all its pages."""
    measure, count, href = chosen
    with page.expect_navigation():
        page.locator(f"#krai-eff-total a[data-measure='{measure}']:not([data-compare])").first.click()
    _russian(page, "the list behind a figure")
    assert int(page.locator("#krai-items-total").get_attribute("data-total")) == count, (measure, href)
    assert _listed(page) == count, (measure, href)


@VIEWPORTS
def test_a_heads_efficiency_figure_equals_its_list(crawler, installation, facts, viewport):
    url = installation.url
    head = facts["efficiency"][_index(viewport)]
    page = crawler.context(head["email"]).new_page()
    page.set_viewport_size(viewport)
    errors = watch_errors(page)
    try:
        page.goto(url + "/workspace/")
        _menu(page, "/workspace/administration/efficiency/")
        _russian(page, "efficiency")
        page.select_option("#id_preset", "this_year")
        _submit(page, "#krai-efficiency-period button[type=submit]")
        assert "preset=this_year" in page.url
        fits(page, "efficiency this year")
        units = page.locator("#krai-eff-units tbody th a")
        assert units.count(), page.locator("main").inner_text()[:2000]
        listing = page.url
        for number in range(min(units.count(), 5)):  # the first unit with a figure to follow
            unit = page.locator("#krai-eff-units tbody th a").nth(number)
            name = unit.inner_text().strip()
            with page.expect_navigation():
                unit.click()
            _russian(page, "a unit's efficiency")
            assert page.locator("main h1").inner_text().strip() == name
            figures = page.locator("#krai-eff-total a[data-measure]:not([data-compare])")
            counted = [(f.get_attribute("data-measure"), int(f.get_attribute("data-count")), f.get_attribute("href"))
                       for f in figures.all()]
            chosen = next(((m, c, h) for m, c, h in counted if 0 < c <= 300), None)
            if chosen:
                break
            page.goto(listing)
        assert chosen, counted
        unit_page = page.url
        _figure_equals_its_list(page, chosen)
        # a person of that unit: his page, and one of his figures equal to its list too
        page.goto(unit_page)
        person = page.locator("#krai-eff-people tbody th a[href*='/efficiency/people/']").first
        assert person.count(), page.locator("main").inner_text()[:2000]
        name = person.inner_text().strip()
        with page.expect_navigation():
            person.click()
        _russian(page, "a person's efficiency")
        fits(page, "a person's efficiency")
        assert page.locator("main h1").inner_text().strip() == name
        assert page.locator("#krai-eff-units tbody th a").count()  # his units, each followable
        counted = [(f.get_attribute("data-measure"), int(f.get_attribute("data-count")), f.get_attribute("href"))
                   for f in page.locator("#krai-eff-total a[data-measure]:not([data-compare])").all()]
        chosen = next(((m, c, h) for m, c, h in counted if 0 < c <= 300), None)
        assert chosen, counted  # he is listed as an executor, so some figure of his is not zero
        _figure_equals_its_list(page, chosen)
        assert not errors, errors
    finally:
        page.close()
