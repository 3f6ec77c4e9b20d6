"""A publisher creates a dataset and uploads it through the workspace pages (an invalid version is refused row
by row, a valid one is published); a reader then finds it in the catalogue, filters and sorts its table, sees it
on the map and downloads the filtered view as CSV — and the database and the file say what the pages showed."""

from __future__ import annotations

import csv
import io
import json

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import sign_in

from .conftest import screenshot

pytestmark = pytest.mark.browser

STRUCTURE = [
    {"name": "name", "type": "string", "title": "Наименование", "description": "Название школы", "required": True},
    {"name": "category", "type": "string", "title": "Категория", "description": "Вид учреждения"},
    {"name": "pupils", "type": "integer", "title": "Ученики", "description": "Число учеников"},
    {"name": "lat", "type": "number", "title": "Широта", "description": "Широта"},
    {"name": "lon", "type": "number", "title": "Долгота", "description": "Долгота"},
]
INVALID_CSV = ("name,category,pupils,lat,lon\r\n"
               "Школа №1,school,много,45.03,38.97\r\n"
               ",school,300,45.04,38.98\r\n")
VALID_CSV = ("name,category,pupils,lat,lon\r\n"
             "Школа №1,school,500,45.03,38.97\r\n"
             "Школа №2,school,320,45.05,38.99\r\n"
             "Гимназия №3,gymnasium,410,45.10,39.01\r\n"
             "Школа №4,school,780,44.72,37.77\r\n"
             "Лицей №5,lyceum,250,43.59,39.72\r\n")


@pytest.fixture
def publisher(transactional_db):
    from krai.org.models import Role
    from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign

    owner = OrganisationFactory(code="education", inn="2308000001",
                                name="Министерство образования, науки и молодёжной политики края")
    user = StaffFactory(email="publisher@example.ru", surname="Волкова", given_name="Елена")
    assign(user, Role.EXECUTOR, organisation=owner)
    return {"owner": owner, "user": user}


def _upload(page, name: str, text: str) -> None:
    page.locator("input[name=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}])
    page.locator("input[name=provenance]").fill(f"Загружен {name}")
    page.locator("form:has(input[name=file]) button[type=submit]").click()
    page.wait_for_load_state()


def test_a_publisher_publishes_and_a_reader_finds_filters_maps_and_downloads(page, browser, live_server, publisher,
                                                                             settings):
    from krai.opendata.models import Dataset, DatasetVersion

    settings.KRAI_MAP_TILE_URL = ""  # no tile server in tests: the markers are drawn all the same
    identifier = "2308000001-schools-map"

    # the publisher: a dataset with its passport and structure
    sign_in(page, live_server, publisher["user"])
    page.goto(f"{live_server.url}/workspace/opendata/")
    page.locator("a[href$='/workspace/opendata/new/']").click()
    page.wait_for_url("**/workspace/opendata/new/")
    page.locator("#id_owner").select_option(label=publisher["owner"].name)
    page.locator("#id_code").fill("schools-map")
    page.locator("#id_title").fill("Общеобразовательные учреждения края")
    page.locator("#id_description").fill("Школы, гимназии и лицеи края с числом учеников и координатами.")
    page.locator("#id_keywords").fill("школы, образование")
    page.locator("#id_subject").fill("Образование")
    page.locator("#id_frequency").select_option(value="yearly")
    page.locator("#id_responsible_name").fill("Волкова Елена Ивановна")
    page.locator("#id_responsible_phone").fill("+7 861 000-00-02")
    page.locator("#id_responsible_email").fill("opendata@example.ru")
    page.locator("textarea[name=structure]").fill(json.dumps(STRUCTURE, ensure_ascii=False))
    page.locator("#id_status").select_option(value="published")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/workspace/opendata/{identifier}/")
    ds = Dataset.objects.get(identifier=identifier)
    assert ds.owner == publisher["owner"] and ds.status == "published"
    assert [f["name"] for f in ds.fields] == [f["name"] for f in STRUCTURE]
    assert ds.responsible_email == "opendata@example.ru" and ds.frequency == "yearly"

    # an invalid version: the reasons row by row, nothing stored
    _upload(page, "bad.csv", INVALID_CSV)
    errors = page.locator(".alert-danger table")
    assert errors.is_visible()
    assert errors.locator("tbody tr").count() >= 2
    cells = errors.locator("tbody tr").all_inner_texts()
    assert any("много" in row for row in cells), cells  # the offending value is shown back
    screenshot(page, "opendata-upload-rejected")
    assert DatasetVersion.objects.filter(dataset=ds).count() == 0
    assert page.js_errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    page.js_errors.clear()  # the refused upload answers 400 on purpose; nothing else may fail

    # a valid version with coordinates: published as version 1
    _upload(page, "schools.csv", VALID_CSV)
    page.wait_for_url(f"**/workspace/opendata/{identifier}/")
    version = DatasetVersion.objects.get(dataset=ds)
    assert version.number == 1 and version.row_count == 5 and version.is_current
    assert page.locator(".alert-danger").count() == 0
    screenshot(page, "opendata-workspace-published")

    # the reader, in a fresh context: finds it in the catalogue by a word of its description
    reader_context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900},
                                         accept_downloads=True)
    reader_context.set_default_timeout(10_000)
    reader = reader_context.new_page()
    js_errors: list[str] = []
    reader.on("pageerror", lambda exc: js_errors.append(str(exc)))
    try:
        reader.goto(f"{live_server.url}/opendata/")
        reader.locator("#od-q").fill("гимназии")
        reader.locator("form[role=search] button[type=submit]").click()
        reader.wait_for_url("**/opendata/?q=*")
        found = reader.get_by_role("link", name="Общеобразовательные учреждения края")
        assert found.is_visible()
        reader.goto(f"{live_server.url}/opendata/?q=nothing-like-this")
        assert reader.get_by_role("link", name="Общеобразовательные учреждения края").count() == 0
        reader.go_back()
        reader.get_by_role("link", name="Общеобразовательные учреждения края").click()
        reader.wait_for_url(f"**/opendata/{identifier}/")

        # the table: filter category = school, then sort by pupils (ascending, then descending)
        reader.locator("[data-bs-target='#od-data']").click()
        table = reader.locator("#od-table")
        table.locator("#od-ff").select_option(value="category")
        table.locator("#od-fv").fill("school")
        table.locator("button[type=submit]").click()
        expect(reader.locator("#od-table tbody tr")).to_have_count(3)
        names = reader.locator("#od-table tbody tr td:nth-child(2)").all_inner_texts()
        assert sorted(names) == ["Школа №1", "Школа №2", "Школа №4"]
        reader.locator("#od-table thead").get_by_role("link", name="Ученики").click()
        reader.wait_for_selector("#od-table th[aria-sort=ascending]")
        reader.locator("#od-table thead").get_by_role("link", name="Ученики").click()
        reader.wait_for_selector("#od-table th[aria-sort=descending]")
        pupils = reader.locator("#od-table tbody tr td:nth-child(4)").all_inner_texts()
        assert pupils == ["780", "500", "320"]
        screenshot(reader, "opendata-table-filtered")

        # the map: one marker per row of the table's view (category = school) with coordinates
        reader.locator("#od-map-tab").click()
        expect(reader.locator("#od-map path.leaflet-interactive")).to_have_count(3)
        screenshot(reader, "opendata-map")

        # the download of the filtered, sorted view as CSV
        reader.locator("[data-bs-target='#od-data']").click()
        with reader.expect_download() as info:
            reader.locator("#od-table").get_by_role("link", name="CSV", exact=True).click()
        download = info.value
        assert download.suggested_filename == f"{identifier}.csv"
        with open(download.path(), encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(io.StringIO(handle.read())))
        assert [r["name"] for r in rows] == ["Школа №4", "Школа №1", "Школа №2"]
        assert {r["category"] for r in rows} == {"school"}
        assert [int(r["pupils"]) for r in rows] == [780, 500, 320]
        assert float(rows[0]["lat"]) == pytest.approx(44.72)
        assert js_errors == []
    finally:
        reader_context.close()
    assert page.js_errors == []
