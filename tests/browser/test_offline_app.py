"""The portal as an installed app, with the network cut: a resident's browser takes the app (its manifest and
service worker), reads a page it opened before without a connection, files a problem report with a photo while
offline — kept on the device and shown as waiting — and when the connection is back the report is sent by itself and
arrives exactly once; a copy whose answer is lost on the way is sent again with its Idempotency-Key and still makes
one report. (On the live server: the deployed-shape harness fakes TLS with a header a service worker's own requests
do not carry, so there the crawler blocks service workers.)"""

from __future__ import annotations

import io

import pytest

from tests.browser.helpers import sign_in
from tests.browser.test_problems import town  # noqa: F401 — the fixture: a town, its body, a resident

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (90, 60), (200, 90, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def _controlled(page) -> None:
    """Wait until the service worker controls the page (the first visit installs it; a reload puts it in charge)."""
    page.wait_for_function("() => navigator.serviceWorker && navigator.serviceWorker.ready")
    page.evaluate("() => navigator.serviceWorker.ready")
    if not page.evaluate("() => !!navigator.serviceWorker.controller"):
        page.reload()
    page.wait_for_function("() => !!navigator.serviceWorker.controller")


def _fill_report(page, description: str) -> None:
    page.get_by_label("Тема").select_option(label="Дороги › Яма на дороге")
    page.fill("#id_lat", "45.5")
    page.fill("#id_lon", "39.0")
    page.get_by_label("В чём проблема").fill(description)
    page.set_input_files("input[name=photos]", files=[{"name": "yama.png", "mimeType": "image/png",
                                                        "buffer": _png()}])


def _reports(description: str) -> int:
    from krai.problems.models import Problem

    return Problem.objects.filter(description=description).count()


def test_the_app_installs_and_a_report_written_offline_arrives_once(page, live_server, town, settings):  # noqa: F811
    settings.KRAI_MAP_TILE_URL = ""  # no tile server in tests: the form works without the map's tiles
    url = live_server.url
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, town["resident"])
    context = page.context
    description = "Открытый люк у остановки, записано без связи"
    # the app: a manifest with its icons, a service worker in charge of the page
    page.goto(url + "/problems/mine/")
    manifest = page.locator("link[rel=manifest]").get_attribute("href")
    answer = page.request.get(url + manifest)
    assert answer.status == 200 and answer.json()["display"] == "standalone"
    for icon in answer.json()["icons"]:
        assert page.request.get(url + icon["src"]).status == 200, icon
    _controlled(page)
    page.reload()  # opened again with the worker in charge: from now on the page is kept on the device
    mine = page.locator("main").inner_text()
    page.goto(url + "/problems/new/")
    page.wait_for_selector("#krai-report-form")

    # without a connection: the page opened before reads as it was; the report is kept on the device
    context.set_offline(True)
    response = page.goto(url + "/problems/mine/")
    assert response is not None and response.from_service_worker, "the page did not come from the app's keep"
    assert page.locator("main").inner_text() == mine
    page.go_back()
    page.wait_for_selector("#krai-report-form")
    _fill_report(page, description)
    page.locator("#krai-report-submit").click()
    waiting = page.locator("#krai-offline-queue .krai-offline-item")
    waiting.wait_for()
    assert "Ждёт отправки" in waiting.inner_text(), waiting.inner_text()
    assert _reports(description) == 0

    # back online: sent by itself, once
    context.set_offline(False)
    page.evaluate("() => window.kraiOffline.flush()")
    assert not waiting.count()
    assert _reports(description) == 1
    page.reload()  # nothing is left to send again
    page.evaluate("() => window.kraiOffline.flush()")
    assert _reports(description) == 1

    # a copy whose answer is lost on the way: the report is made, the device keeps it and sends it again later
    again = description + " (ответ потерян)"
    lost = {"n": 0}

    def lose_the_answer(route) -> None:
        if route.request.method == "POST" and lost["n"] == 0:
            lost["n"] += 1
            route.fetch()  # the server gets it and answers; the device never hears the answer
            route.abort("internetdisconnected")
        else:
            route.continue_()

    context.set_offline(True)
    _fill_report(page, again)
    page.locator("#krai-report-submit").click()
    page.locator("#krai-offline-queue .krai-offline-item").wait_for()
    page.route("**/problems/new/", lose_the_answer)
    context.set_offline(False)
    page.evaluate("() => window.kraiOffline.flush()")  # the sending is over when its promise is
    assert lost["n"] == 1 and _reports(again) == 1
    assert page.locator("#krai-offline-queue .krai-offline-item").count() == 1  # still waiting on the device
    page.unroute("**/problems/new/")
    page.evaluate("() => window.kraiOffline.flush()")
    assert not page.locator("#krai-offline-queue .krai-offline-item").count()
    assert _reports(again) == 1  # sent twice, done once
    # offline, the browser and htmx log the requests that could not go (the similar-problems lookup on the form)
    offline_noise = ("ERR_INTERNET_DISCONNECTED", "Failed to fetch", "htmx:sendError", "htmx:afterRequest")
    faults = [e for e in page.js_errors if not any(n in e for n in offline_noise) and e != "undefined"]
    assert not faults, page.js_errors
