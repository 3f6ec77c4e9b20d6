"""A resident's report in the deployed shape: the form opens its map on his municipality; "my location" refused
says so, allowed marks the place and names the nearest address; he types an address, picks a suggestion and the
marker moves there; he attaches a photo and sends without a description — the form comes back with the photo
kept — then sends again and sees his report with the photo. On a desktop (1280 px) and on a phone (390 px),
where the map comes before the button and the page never scrolls sideways."""

from __future__ import annotations

import io
import re

import pytest

from .crawler import DESKTOP, PHONE, Crawler, fits, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]

RESIDENT = "citizen@demo.krai"  # README.md: a resident of Krasnodar with a confirmed e-mail


@pytest.fixture(scope="module")
def resident(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler.context(RESIDENT)
    crawler.close()


def _demo_house(street: str, house: str) -> tuple[float, float]:
    from krai.org.addresses.demo import plan

    return next((lat, lon) for code, _locality, name, number, lat, lon, _id in plan()
                if code == "krasnodar" and name == street and number == house)


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (40, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()



@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_resident_finds_the_place_keeps_his_photo_and_sees_his_report(resident, installation, viewport):
    page = resident.new_page()
    page.set_viewport_size(viewport)
    # the form's answer 400 to a refused try is the browser's own console line, not a fault of the page
    errors = watch_errors(page, ignore=("status of 400",))
    resident.clear_permissions()
    try:
        page.goto(installation.url + "/problems/new/")
        page.wait_for_selector("#krai-report-map[data-ready='1']")
        the_map = page.locator("#krai-report-map")
        assert the_map.get_attribute("data-municipality"), "the map does not know the resident's municipality"
        south, west, north, east = map(float, the_map.get_attribute("data-bounds").split(","))
        assert south < 45.035 < north and west < 38.975 < east, "the map does not open on Krasnodar"
        fits(page, "the report form")
        if viewport is PHONE:  # the map comes before the button
            map_box, button_box = the_map.bounding_box(), page.locator("#krai-report-submit").bounding_box()
            assert map_box["y"] + map_box["height"] <= button_box["y"], (map_box, button_box)

        # "my location": refused, the form says so; allowed, the place is marked and the nearest address named
        page.get_by_role("button", name="Моё местоположение").click()
        expect_status = page.locator("#krai-place-status")
        expect_status.filter(has_text="недоступно").wait_for()
        lat0, lon0 = _demo_house("ул. Мира", "5")
        resident.grant_permissions(["geolocation"], origin=installation.url)
        resident.set_geolocation({"latitude": lat0 + 0.00005, "longitude": lon0})
        page.get_by_role("button", name="Моё местоположение").click()
        page.wait_for_function("() => document.getElementById('id_address').value.includes('ул. Мира, 5')")
        assert float(page.locator("#id_lat").input_value()) == pytest.approx(lat0 + 0.00005, abs=1e-6)

        page.get_by_label("Тема").select_option(index=1)
        address = page.get_by_label("Адрес или ориентир")
        address.fill("")
        address.press_sequentially("красная, д. 12", delay=40)
        suggestion = page.get_by_role("option", name="Краснодар, ул. Красная, 12", exact=True)
        suggestion.click()
        lat, lon = _demo_house("ул. Красная", "12")
        assert address.input_value() == "Краснодар, ул. Красная, 12"
        assert float(page.locator("#id_lat").input_value()) == pytest.approx(lat, abs=1e-6)
        assert float(page.locator("#id_lon").input_value()) == pytest.approx(lon, abs=1e-6)
        assert float(the_map.get_attribute("data-marker-lat")) == pytest.approx(lat, abs=1e-6)
        assert page.locator("#krai-report-map .leaflet-marker-icon").count() == 1

        page.set_input_files("input[name=photos]", files=[{"name": "yama.png", "mimeType": "image/png",
                                                            "buffer": _png()}])
        with page.expect_navigation():
            page.get_by_role("button", name="Отправить обращение").click()  # no description yet
        assert page.locator(".invalid-feedback").first.is_visible()
        kept = page.locator("#krai-kept-photos img")
        assert kept.count() == 1
        assert page.evaluate("() => document.querySelector('#krai-kept-photos img').naturalWidth") == 80
        assert page.get_by_label("Адрес или ориентир").input_value() == "Краснодар, ул. Красная, 12"
        page.wait_for_selector("#krai-report-map[data-ready='1']")
        assert page.locator("#krai-report-map .leaflet-marker-icon").count() == 1  # the marker is back too
        fits(page, "the report form with an error")

        page.get_by_label("В чём проблема").fill("Глубокая яма на проезжей части напротив дома")
        with page.expect_navigation():
            page.get_by_role("button", name="Отправить обращение").click()
        assert re.search(r"/problems/\d+/$", page.url), page.url
        number = re.search(r"/problems/(\d+)/$", page.url).group(1)
        assert page.locator("#krai-report-photos img").count() == 1
        assert page.evaluate("() => document.querySelector('#krai-report-photos img').naturalWidth") == 80
        assert "ул. Красная, 12" in page.locator("main").inner_text()
        fits(page, "the report's page")

        page.goto(installation.url + "/problems/mine/")
        mine = page.locator(f"main a[href='/problems/{number}/']")
        assert mine.first.is_visible() and mine.first.inner_text().startswith(f"№{number}")
        assert errors == [], errors
    finally:
        page.close()
        resident.clear_permissions()
