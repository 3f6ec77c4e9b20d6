"""A resident's residence, vote and suggestion in the deployed shape.

citizen@demo.krai asks to have his residence in Krasnodar verified with a document; the head of Krasnodar (the
municipality's administration) verifies it; the resident votes in Krasnodar's own poll and sees what he voted and
the results so far, not a greyed empty form. He then moves his profile to Sochi: the verification drops and
Sochi's poll — refused before, as not his — still refuses him (page and API): a profile's claim is not a verified
residence. He suggests a solution to a reported problem and finds it in "my activity". The pages are checked at
1280 px and on a 390 px phone. At the end his residence in Krasnodar is asked for and verified again, so the demo
resident stays as README.md describes him for the other journeys.
"""

from __future__ import annotations

import io
import re

import pytest

from .crawler import DESKTOP, PHONE, Crawler, fits, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]

RESIDENT = "citizen@demo.krai"  # README.md: a resident of Krasnodar with a confirmed e-mail
MAYOR = "mayor.krasnodar@demo.krai"  # the head of Krasnodar's administration (krai/org/demo.py)
POLL = "Маршрутная сеть Краснодара: что изменить?"  # open, for Krasnodar only, results shown while it runs
OTHER_POLL = "Набережная Сочи: что добавить?"  # open, for Sochi only (krai/participation/demo.py)


@pytest.fixture(scope="module")
def crawler(chromium, installation):
    login = installation.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert login.status == 200, f"the login page answered {login.status}:\n{installation.log.read_text()[-3000:]}"
    crawler = Crawler(chromium, installation)
    yield crawler
    crawler.close()


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (230, 230, 230)).save(buffer, "PNG")
    return buffer.getvalue()



def _page(context, viewport, errors: list[str]):
    page = context.new_page()
    page.set_viewport_size(viewport)
    # a refused form answers 400: the browser's own console line, not a fault of the page
    watch_errors(page, errors, ignore=("status of 400", "status of 403"))
    return page


def _ask_for_residence(page, url: str, municipality: str) -> None:
    page.goto(url + "/accounts/profile/residence/")
    page.get_by_label("Муниципалитет, в котором вы живёте").select_option(label=municipality)
    page.set_input_files("input[name=document]", files=[{"name": "propiska.png", "mimeType": "image/png",
                                                          "buffer": _png()}])
    with page.expect_navigation():
        page.get_by_role("button", name="Отправить на проверку").click()
    assert "ожидает проверки" in page.locator("main").inner_text()


def _verify_as_mayor(page, url: str) -> None:
    page.goto(url + "/accounts/residence/")
    link = page.locator("main table a").first  # the oldest waiting request first; the demo has no others
    with page.expect_navigation():
        link.click()
    assert "Краснодар" in page.locator("main dl").inner_text()
    assert page.locator("main .krai-attachments a").first.inner_text() == "propiska.png"
    with page.expect_navigation():
        page.get_by_role("button", name="Подтвердить место проживания").click()
    assert page.url.endswith("/accounts/residence/"), page.url


def test_a_resident_verified_votes_sees_his_answer_is_refused_elsewhere_and_suggests(crawler, installation):
    url = installation.url
    errors: list[str] = []
    resident = _page(crawler.context(RESIDENT), DESKTOP, errors)
    mayor = _page(crawler.context(MAYOR), DESKTOP, errors)
    try:
        # the resident asks with a document; the municipality's administration verifies
        _ask_for_residence(resident, url, "Краснодар")
        fits(resident, "the residence page")
        _verify_as_mayor(mayor, url)
        resident.goto(url + "/accounts/profile/residence/")
        assert "подтверждено" in resident.locator("#krai-residence-state").inner_text()

        # he votes in Krasnodar's poll and sees what he voted and the results, not an empty greyed form
        resident.goto(url + "/polls/")
        with resident.expect_navigation():
            resident.get_by_role("link", name=POLL).first.click()
        poll_url = resident.url
        resident.get_by_label("Автобус", exact=True).check()
        resident.get_by_label("Ночные маршруты").check()
        resident.locator("#poll-form fieldset").nth(2).locator("input[type=radio]").nth(3).check()
        with resident.expect_navigation():
            resident.locator("#poll-submit").click()
        mine = resident.locator("#poll-mine").inner_text()
        assert "Автобус" in mine and "Ночные маршруты" in mine, mine
        results = resident.locator("#poll-results-inline")
        assert results.is_visible() and "Автобус" in results.inner_text()
        fits(resident, "the poll after voting")

        # Sochi's poll is not his; he moves his profile to Sochi: the verification drops and Sochi's poll still
        # refuses him, on the page and in the API
        resident.goto(url + "/polls/")
        with resident.expect_navigation():
            resident.get_by_role("link", name=OTHER_POLL).first.click()
        other_url = resident.url
        other_id = re.search(r"/polls/(\d+)/$", other_url).group(1)
        assert resident.locator("#poll-refusal").get_attribute("data-code") == "not_in_audience"
        resident.goto(url + "/accounts/profile/")
        resident.get_by_label("Муниципалитет проживания").select_option(label="Сочи")
        with resident.expect_navigation():
            resident.get_by_role("button", name="Сохранить").click()
        resident.goto(other_url)
        refusal = resident.locator("#poll-refusal")
        assert refusal.get_attribute("data-code") == "not_verified", resident.locator("main").inner_text()[:500]
        assert resident.locator("#poll-submit").count() == 0
        me = resident.request.get(f"{url}/api/v1/participation/polls/{other_id}/").json()["me"]
        assert me["can_vote"] is False and me["refusal_code"] == "not_verified", me
        resident.goto(url + "/accounts/profile/residence/")
        assert resident.locator("#krai-residence-state .text-bg-warning").count() == 1  # "not verified"

        # he suggests a solution to a reported problem and finds it in "my activity"
        resident.goto(url + "/problems/")
        href = next(h for h in resident.locator("main a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
                    if h and re.fullmatch(r"/problems/\d+/", h))
        number = re.search(r"\d+", href).group(0)
        resident.goto(f"{url}/suggest/?kind=solution&problem={number}")
        assert f"№ {number}" in resident.locator("#suggestion-problem").inner_text()
        resident.fill("input[name=title]", "Засыпать яму щебнем и укатать")
        resident.fill("textarea[name=body]", "Временно засыпать щебнем, весной положить новый асфальт.")
        with resident.expect_navigation():
            resident.get_by_role("button", name="Отправить предложение").click()
        assert re.search(r"/suggest/\d+/$", resident.url), resident.url
        resident.goto(url + "/my/")
        activity = resident.locator("#my-ideas").inner_text()
        assert "Засыпать яму щебнем и укатать" in activity and f"№ {number}" in activity
        assert POLL in resident.locator("#my-votes").inner_text()
        fits(resident, "my activity")

        # the same pages on a phone
        resident.set_viewport_size(PHONE)
        mayor.set_viewport_size(PHONE)
        for path in ("/accounts/profile/residence/", poll_url.removeprefix(url), other_url.removeprefix(url),
                     "/suggest/", "/my/"):
            resident.goto(url + path)
            fits(resident, f"{path} on a phone")
        mayor.goto(url + "/accounts/residence/?status=verified")
        assert mayor.locator("main table a").count() >= 1
        fits(mayor, "the verification queue on a phone")

        # leave the demo resident as README.md describes him: verified in Krasnodar
        _ask_for_residence(resident, url, "Краснодар")
        _verify_as_mayor(mayor, url)
        assert errors == [], errors
    finally:
        resident.close()
        mayor.close()
