"""Playwright against Debian's Chromium, driving pytest-django's live server.

The sync Playwright API runs an event loop in this thread, which trips Django's async-unsafe check
on database access from the test body and fixtures; they only touch the database between page
actions, never concurrently with it, so that check is switched off while the browser runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = os.environ.get("KRAI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(os.environ.get("KRAI_SCREENSHOT_DIR", "/tmp/krai-screenshots"))


def _compile_messages() -> None:
    """Pages are checked in Russian: make sure the catalogues the source tree holds (one per area) are compiled."""
    msgfmt = shutil.which("msgfmt")
    for po in Path(settings.BASE_DIR, "krai").glob("**/locale/*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if msgfmt and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
            subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(po)], check=True)
    from django.utils import translation
    from django.utils.translation import trans_real

    trans_real._translations = {}  # forget catalogues loaded before compiling
    translation.deactivate()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    _compile_messages()
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) that speaks Russian and may reach only the live server."""
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    errors: list[str] = []

    def only_live_server(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_live_server)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and
            "ERR_FAILED" not in msg.text else None)
    page.js_errors = errors
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def region(transactional_db):
    """A small region that looks like a real one: blocks, bodies, units, posts, municipalities."""
    from krai.org.models import Role
    from krai.org.tests.factories import (
        BlockFactory,
        MunicipalityFactory,
        OrganisationFactory,
        PositionFactory,
        StaffFactory,
        assign,
        square,
    )

    social = BlockFactory(code="social", name="Социальный блок", name_en="Social block", sort_order=1)
    economy = BlockFactory(code="economy", name="Экономический блок", name_en="Economy block", sort_order=2)
    office = OrganisationFactory(code="governor-office", name="Администрация губернатора края", block=None,
                                 kind="governor_office")
    health = OrganisationFactory(code="health", name="Министерство здравоохранения края", block=social,
                                 phone="+7 861 000-00-01", email="health@example.ru")
    licensing = OrganisationFactory(code="health-licensing", name="Отдел лицензирования", block=social,
                                    parent=health, kind="unit")
    education = OrganisationFactory(code="education", name="Министерство образования, науки и молодёжной "
                                    "политики края", block=social)
    finance = OrganisationFactory(code="finance", name="Министерство финансов края", block=economy)
    vice = StaffFactory(email="vice@example.ru", surname="Соколов", given_name="Андрей", patronymic="Викторович")
    assign(vice, Role.VICE_GOVERNOR, block=social)
    social.vice_governor = vice
    social.save()
    minister = StaffFactory(surname="Петрова", given_name="Мария", patronymic="Сергеевна")
    PositionFactory(organisation=office, title="Руководитель администрации", is_head=True)
    PositionFactory(organisation=health, title="Министр", holder=minister, is_head=True)
    PositionFactory(organisation=health, title="Первый заместитель министра")
    PositionFactory(organisation=licensing, title="Начальник отдела", is_head=True,
                    holder=StaffFactory(surname="Орлов", given_name="Олег", patronymic=""))
    PositionFactory(organisation=licensing, title="Главный специалист")
    PositionFactory(organisation=education, title="Министр", is_head=True,
                    holder=StaffFactory(surname="Волкова", given_name="Елена", patronymic="Ивановна"))
    PositionFactory(organisation=finance, title="Министр", is_head=True)
    municipalities = []
    names = ["Краснодар", "Сочи", "Новороссийск", "Анапа", "Армавир", "Ейский район", "Тихорецкий район",
             "Туапсинский район", "Славянский район", "Кавказский район", "Лабинский район", "Темрюкский район"]
    for i, name in enumerate(names):
        lon, lat = 37.0 + (i % 4) * 1.0, 43.8 + (i // 4) * 0.9
        municipalities.append(MunicipalityFactory(code=f"m{i}", name=name, boundary=square(lon, lat, 0.95),
                                                  admin_centre=name.replace(" район", ""),
                                                  population=100_000 + i * 37_000))
    return {"social": social, "economy": economy, "health": health, "licensing": licensing,
            "finance": finance, "vice": vice, "municipalities": municipalities}
