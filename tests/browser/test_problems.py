"""A resident reports a problem on the map through the pages, the body answers in the workspace, the resident
rates the result — and each step is in the database as the services write it."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.helpers import sign_in

from .conftest import screenshot

pytestmark = pytest.mark.browser


def _compile_problems_messages() -> None:
    """The pages are checked in Russian: compile the area's own catalogue if it is stale."""
    msgfmt = shutil.which("msgfmt")
    po = Path(settings.BASE_DIR, "krai", "problems", "locale", "ru", "LC_MESSAGES", "django.po")
    mo = po.with_suffix(".mo")
    if msgfmt and po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(po)], check=True)
        from django.utils.translation import trans_real

        trans_real._translations = {}


@pytest.fixture
def town(transactional_db):
    from krai.org.models import Role
    from krai.org.tests.factories import (
        MunicipalityFactory,
        OrganisationFactory,
        StaffFactory,
        UserFactory,
        assign,
        square,
    )
    from krai.problems.tests.factories import CategoryFactory

    _compile_problems_messages()
    # a large square around the report map's first view, so a click in the middle of the map lands inside
    municipality = MunicipalityFactory(code="krd", name="Краснодар", boundary=square(37.0, 43.5, 4.0))
    administration = OrganisationFactory(kind="municipal_administration", municipality=municipality, block=None,
                                         name="Администрация Краснодара")
    roads = CategoryFactory(code="roads", name="Дороги")
    CategoryFactory(code="pothole", name="Яма на дороге", parent=roads)
    executor = StaffFactory(email="executor@example.ru", surname="Исполнитель")
    assign(executor, Role.EXECUTOR, organisation=administration)
    moderator = StaffFactory(email="moderator@example.ru", surname="Модератор")
    assign(moderator, Role.CONTROLLER)
    resident = UserFactory(email="resident@example.ru", surname="Житель")
    return {"municipality": municipality, "administration": administration, "executor": executor,
            "moderator": moderator, "resident": resident}


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_resident_reports_the_body_answers_the_resident_rates(page, live_server, town, settings):
    from krai.problems.models import Problem

    settings.KRAI_MAP_TILE_URL = ""  # no tile server in tests: the map still takes clicks
    sign_in(page, live_server, town["resident"])
    page.goto(live_server.url + "/problems/new/")
    page.wait_for_selector("#krai-report-map[data-ready='1']")
    page.get_by_label("Тема").select_option(label="Дороги › Яма на дороге")
    page.locator("#krai-report-map").click()  # the middle of the map: inside the municipality
    assert page.get_by_label("Широта").input_value() != ""
    page.get_by_label("Адрес или ориентир").fill("ул. Красная, 10")
    page.get_by_label("В чём проблема").fill("Глубокая яма на проезжей части у остановки")
    page.set_input_files("input[name=photos]", files=[{"name": "yama.png", "mimeType": "image/png",
                                                        "buffer": _png()}])
    screenshot(page, "problems-report")
    page.get_by_role("button", name="Отправить обращение").click()
    page.wait_for_url("**/problems/*/")
    problem = Problem.objects.get()
    assert problem.status == "new" and problem.municipality == town["municipality"]
    assert page.get_by_role("heading", level=1).inner_text().startswith(f"Проблема №{problem.pk}")

    sign_in(page, live_server, town["moderator"])
    page.goto(f"{live_server.url}/workspace/problems/{problem.pk}/")
    page.get_by_role("button", name="Опубликовать").click()
    page.wait_for_url(f"**/workspace/problems/{problem.pk}/")  # he lands on it: where it went, by when
    problem.refresh_from_db()
    assert problem.status == "routed" and problem.organisation == town["administration"]
    assert page.locator("#krai-routed-to").inner_text() == town["administration"].name

    sign_in(page, live_server, town["executor"])
    page.goto(f"{live_server.url}/workspace/problems/")
    page.get_by_role("link", name=str(problem.pk), exact=True).click()
    page.get_by_label("решено").check()
    page.get_by_label("Текст ответа").fill("Яма заделана, фото прилагаем")
    page.get_by_role("button", name="Отправить ответ").click()
    page.wait_for_url(f"**/workspace/problems/{problem.pk}/")
    problem.refresh_from_db()
    assert problem.status == "fixed" and problem.answer == "fixed"
    screenshot(page, "problems-workspace-answered")

    sign_in(page, live_server, town["resident"])
    page.goto(f"{live_server.url}/problems/{problem.pk}/")
    page.get_by_label("5").check()
    page.get_by_role("button", name="Оценить", exact=True).click()
    page.wait_for_url(f"**/problems/{problem.pk}/")
    problem.refresh_from_db()
    assert problem.rating == 5
    screenshot(page, "problems-detail-rated")

    page.goto(live_server.url + "/problems/")
    page.locator("#krai-problem-map[data-loaded]").wait_for(state="attached")
    assert page.locator("#krai-problem-list").get_by_role("link", name=f"№{problem.pk}").is_visible()
    screenshot(page, "problems-home")
    assert page.js_errors == []


def test_a_place_outside_the_region_is_refused_with_a_message(page, live_server, town):
    from krai.problems.models import Problem

    sign_in(page, live_server, town["resident"])
    page.goto(live_server.url + "/problems/new/")
    page.get_by_label("Тема").select_option(label="Дороги › Яма на дороге")
    page.get_by_label("Широта").fill("10")
    page.get_by_label("Долгота").fill("10")
    page.get_by_label("В чём проблема").fill("Глубокая яма на проезжей части у остановки")
    page.get_by_role("button", name="Отправить обращение").click()
    page.wait_for_selector("#krai-location-error")
    assert not Problem.objects.exists()
