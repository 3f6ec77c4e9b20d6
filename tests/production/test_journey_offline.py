"""The installed apps with the network cut, in the deployed shape: the browser opens the installation through its
balancer (``installation.front``), so the service worker registers and its own requests come through TLS as a
region's do; ``context.set_offline(True)`` cuts the network. On a phone (390 px):

a) the officials' app (its manifest and icons served): the official's orders and planner, opened online, read the
   same offline (from the worker's keep), a page never opened says there is no connection; a quick task written
   offline is kept on the phone, shown as waiting, and when the connection is back it is sent and made once — the
   queue sent twice;
b) the residents' app: a resident files a problem report with a photo offline; it waits on the phone and nothing
   reaches the installation; back online it arrives exactly once, though the queue is sent twice; a copy whose
   answer is lost on the way is sent again with its Idempotency-Key and still makes one report.

Counts are read in the installation's database (``krai shell``), before and after.
"""

from __future__ import annotations

import io

import pytest

from .crawler import PHONE, watch_errors
from .planner_journeys import OFFLINE_NOISE, app_fixture, controlled, count, facts_fixture  # noqa: F401 — fixtures
from .test_journey_report import _demo_house

pytestmark = [pytest.mark.production, pytest.mark.browser]

RESIDENT = "citizen@demo.krai"  # README.md: a resident of Krasnodar with a confirmed e-mail
WAITING = "#krai-offline-queue .krai-offline-item"


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (90, 60), (200, 90, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def _faults(errors: list[str]) -> list[str]:
    return [e for e in errors if not any(noise in e for noise in OFFLINE_NOISE) and e != "undefined"]


def _app_manifest(page, url: str, face: str) -> None:
    """The page names its app's manifest; the manifest and its icons are served."""
    href = page.locator("link[rel=manifest]").get_attribute("href")
    assert href.endswith(f"/{face}.webmanifest"), href
    answer = page.request.get(url + href)
    assert answer.status == 200 and answer.json()["display"] == "standalone", answer.status
    for icon in answer.json()["icons"]:
        assert page.request.get(url + icon["src"]).status == 200, icon


def _flush(page) -> None:
    page.evaluate("() => window.kraiOffline.flush()")  # the sending is over when its promise is


def test_the_officials_app_reads_offline_and_sends_a_quick_task_once(app, installation, facts):
    url, login = installation.front, facts["official"]["login"]
    context = app.context(login)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    errors = watch_errors(page)
    title = "Позвонить в дорожную службу — записано без связи"
    try:
        page.goto(url + "/workspace/")
        _app_manifest(page, url, "workspace")
        controlled(page)
        page.goto(url + "/offline/")
        no_connection = page.locator("main h1").inner_text()
        kept = {}
        for path in ("/workspace/orders/", "/workspace/planner/"):
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            kept[path] = page.locator("main h1").first.inner_text()
        assert page.evaluate("() => caches.keys()"), "the worker keeps nothing"

        # the network cut: the pages opened before read as they were; one never opened says so
        context.set_offline(True)
        for path, heading in kept.items():
            response = page.goto(url + path)
            assert response is not None and response.from_service_worker, f"{path} did not come from the keep"
            assert page.locator("main h1").first.inner_text() == heading
        page.goto(url + "/workspace/planner/given/?state=done")
        assert page.locator("main h1").inner_text() == no_connection

        # a quick task written offline waits on the phone
        page.goto(url + "/workspace/planner/")
        page.fill("#krai-planner-quick input[name=title]", title)
        page.locator("#krai-planner-quick button[type=submit]").click()
        waiting = page.locator(WAITING)
        waiting.wait_for()
        assert waiting.count() == 1, waiting.all_inner_texts()
        assert count(installation, "planner.Entry", title=title) == 0

        # back online: sent by itself, once, though the queue is sent twice
        context.set_offline(False)
        _flush(page)
        assert not waiting.count()
        _flush(page)
        page.reload()
        _flush(page)
        assert count(installation, "planner.Entry", title=title) == 1
        assert _faults(errors) == [], errors
    finally:
        context.set_offline(False)
        page.close()


def _report(page, description: str) -> None:
    """The report form filled without the map (offline its tiles and the address lookup cannot come)."""
    lat, lon = _demo_house("ул. Красная", "12")
    page.get_by_label("Тема").select_option(index=1)
    page.evaluate("([lat, lon]) => { document.getElementById('id_lat').value = lat;"
                  " document.getElementById('id_lon').value = lon; }", [str(lat), str(lon)])
    page.get_by_label("В чём проблема").fill(description)
    page.set_input_files("input[name=photos]", files=[{"name": "yama.png", "mimeType": "image/png",
                                                        "buffer": _png()}])


def test_a_resident_files_a_report_offline_and_it_arrives_once(app, installation):
    url = installation.front
    context = app.context(RESIDENT)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    errors = watch_errors(page)
    description = "Открытый люк у остановки, записано без связи"
    again = description + " (ответ потерян)"
    try:
        page.goto(url + "/problems/mine/")
        _app_manifest(page, url, "portal")
        controlled(page)
        page.reload()  # opened again with the worker in charge: from now on the page is kept on the device
        mine = page.locator("main").inner_text()
        page.goto(url + "/problems/new/")
        page.wait_for_selector("#krai-report-form")
        problems = count(installation, "problems.Problem")

        # offline: the page opened before reads as it was; the report waits on the phone
        context.set_offline(True)
        response = page.goto(url + "/problems/mine/")
        assert response is not None and response.from_service_worker, "the page did not come from the app's keep"
        assert page.locator("main").inner_text() == mine
        page.go_back()
        page.wait_for_selector("#krai-report-form")
        _report(page, description)
        page.locator("#krai-report-submit").click()
        waiting = page.locator(WAITING)
        waiting.wait_for()
        assert "Ждёт отправки" in waiting.inner_text(), waiting.inner_text()
        assert count(installation, "problems.Problem") == problems

        # back online: it arrives once, though the queue is sent twice
        context.set_offline(False)
        _flush(page)
        assert not waiting.count()
        _flush(page)
        assert count(installation, "problems.Problem", description=description) == 1
        assert count(installation, "problems.Problem") == problems + 1

        # a copy whose answer is lost on the way: made once, kept on the phone, sent again, still one report
        lost = {"n": 0}

        def lose_the_answer(route) -> None:
            if route.request.method == "POST" and lost["n"] == 0:
                lost["n"] += 1
                route.fetch()  # the installation gets it and answers; the phone never hears the answer
                route.abort("internetdisconnected")
            else:
                route.continue_()

        context.set_offline(True)
        _report(page, again)
        page.locator("#krai-report-submit").click()
        waiting.first.wait_for()
        page.route("**/problems/new/", lose_the_answer)
        context.set_offline(False)
        _flush(page)
        assert lost["n"] == 1 and count(installation, "problems.Problem", description=again) == 1
        assert waiting.count() == 1  # still waiting on the phone
        page.unroute("**/problems/new/")
        _flush(page)
        assert not waiting.count()
        assert count(installation, "problems.Problem", description=again) == 1  # sent twice, done once
        assert count(installation, "problems.Problem") == problems + 2
        assert _faults(errors) == [], errors
    finally:
        context.set_offline(False)
        page.close()
