"""Residence through the pages: asked with a document, verified by the municipality's head, the vote in its poll
shown back with the results; moving the profile elsewhere refuses him there; a solution suggested to a problem
shows in "my activity"."""

from __future__ import annotations

import io

import pytest

from krai.org.tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 80), (230, 230, 230)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def residents(transactional_db):
    from krai.org.models import Role
    from krai.org.tests.factories import MunicipalityFactory, StaffFactory, UserFactory, assign
    from krai.participation.models import Poll, Question
    from krai.participation.tests.factories import OptionFactory, QuestionFactory, poll_with
    from krai.problems.tests.factories import ProblemFactory

    town = MunicipalityFactory(name="Краснодар", code="krasnodar")
    MunicipalityFactory(name="Сочи", code="sochi")
    resident = UserFactory(email="resident@example.ru", email_confirmed=True, home_municipality=town,
                           residence_verified=False)
    mayor = StaffFactory(email="mayor@example.ru")
    assign(mayor, Role.HEAD, municipality=town)
    poll, single, _options = poll_with(title="Маршрутная сеть", results_during=True, allow_change=False,
                                       audience=Poll.Audience.MUNICIPALITIES)
    poll.municipalities.set([town])
    for n, text in enumerate(["Трамвай", "Автобус"], start=1):
        single.options.filter(position=n).update(text=text)
    multiple = QuestionFactory(poll=poll, position=2, kind=Question.Kind.MULTIPLE, text="Что улучшить?")
    OptionFactory(question=multiple, position=1, text="Ночные маршруты")
    problem = ProblemFactory(municipality=town)
    return {"resident": resident, "mayor": mayor, "poll": poll, "problem": problem}


def _log_in(page, url: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")


def test_residence_verified_then_vote_then_moved_and_refused_then_a_suggestion(page, live_server, residents):
    url, poll, problem = live_server.url, residents["poll"], residents["problem"]
    _log_in(page, url, "resident@example.ru")
    page.goto(f"{url}/polls/{poll.pk}/")
    assert page.locator("#poll-refusal").get_attribute("data-code") == "not_verified"

    page.goto(url + "/accounts/profile/residence/")
    page.get_by_label("Муниципалитет, в котором вы живёте").select_option(label="Краснодар")
    page.set_input_files("input[name=document]", files=[{"name": "propiska.png", "mimeType": "image/png",
                                                          "buffer": _png()}])
    with page.expect_navigation():
        page.get_by_role("button", name="Отправить на проверку").click()
    assert "ожидает проверки" in page.locator("main").inner_text()

    _log_in(page, url, "mayor@example.ru")
    page.goto(url + "/accounts/residence/")
    with page.expect_navigation():
        page.locator("main table a").first.click()
    assert page.locator("main .krai-attachments a").first.inner_text() == "propiska.png"
    with page.expect_navigation():
        page.get_by_role("button", name="Подтвердить место проживания").click()

    _log_in(page, url, "resident@example.ru")
    page.goto(url + "/polls/")
    with page.expect_navigation():
        page.get_by_role("link", name="Маршрутная сеть").first.click()
    page.get_by_label("Автобус", exact=True).check()
    page.get_by_label("Ночные маршруты").check()
    with page.expect_navigation():
        page.locator("#poll-submit").click()
    mine = page.locator("#poll-mine").inner_text()
    assert "Автобус" in mine and "Ночные маршруты" in mine
    assert "Автобус" in page.locator("#poll-results-inline").inner_text()
    assert page.locator("#poll-form").count() == 0

    page.goto(url + "/accounts/profile/")
    page.get_by_label("Муниципалитет проживания").select_option(label="Сочи")
    with page.expect_navigation():
        page.get_by_role("button", name="Сохранить").click()
    page.goto(f"{url}/polls/{poll.pk}/")
    assert page.locator("#poll-refusal").count() == 0  # he voted: his answer shows, no refusal over it
    assert "Автобус" in page.locator("#poll-mine").inner_text()

    page.goto(f"{url}/suggest/?kind=solution&problem={problem.pk}")
    assert f"№ {problem.pk}" in page.locator("#suggestion-problem").inner_text()
    page.fill("input[name=title]", "Засыпать яму щебнем")
    page.fill("textarea[name=body]", "Временно засыпать, весной положить асфальт.")
    with page.expect_navigation():
        page.get_by_role("button", name="Отправить предложение").click()
    page.goto(url + "/my/")
    assert "Засыпать яму щебнем" in page.locator("#my-ideas").inner_text()
    assert "Маршрутная сеть" in page.locator("#my-votes").inner_text()
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/accounts/profile/residence/", f"/polls/{poll.pk}/", "/suggest/", "/my/"):
        page.goto(url + path)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{path}: {overflow}px wider than a phone"
    assert page.js_errors == []
