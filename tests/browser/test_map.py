"""The municipalities' map draws every boundary even when no tile server is reachable."""

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("tile_url", ["", "http://tiles.invalid/{z}/{x}/{y}.png"])
def test_map_draws_the_boundaries_without_tiles(page, live_server, region, settings, tile_url):
    settings.KRAI_MAP_TILE_URL = tile_url
    page.goto(live_server.url + "/municipalities/")
    paths = page.locator("#krai-municipality-map .leaflet-overlay-pane svg path")
    paths.first.wait_for(state="attached")
    page.locator("#krai-municipality-map[data-loaded]").wait_for(state="attached")
    assert paths.count() == len(region["municipalities"])
    assert page.locator("#krai-municipality-map").get_attribute("data-loaded") == str(len(region["municipalities"]))
    assert page.get_by_role("rowheader", name="Новороссийск").is_visible()
    # "on the map" (a button only scripts show) opens the municipality's popup, which links to its page
    page.get_by_role("button", name="на карте: Новороссийск").click()
    popup = page.locator(".leaflet-popup-content")
    assert popup.inner_text().startswith("Новороссийск")
    # the popup may still be panning into view: a click at its old place once landed on the map (a CI flake),
    # so the link is followed by its own click event, wherever it is at that moment
    with page.expect_navigation():
        popup.get_by_role("link", name="Новороссийск").dispatch_event("click")
    page.wait_for_url("**/municipalities/m2/")
    assert page.get_by_role("heading", level=1).inner_text() == "Новороссийск"
    assert page.locator("#krai-municipality-map .leaflet-overlay-pane svg path").count() == 1
    screenshot(page, f"municipalities-{'blank' if not tile_url else 'unreachable-tiles'}")
    assert page.js_errors == []
