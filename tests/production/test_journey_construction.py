"""Construction's journey in the deployed shape, through the pages only — on a desktop (1280 px) and on a phone
(390 px), never scrolling sideways and with no script or console error:

a) a demo resident asks to verify a site: he types the address of a registered object that an open request is
   already about and picks the registry's suggestion (on the phone he also clicks the map beside it); the object
   and the open request are listed first; he says the object differs, writes what is wrong, attaches a photo and
   sends it; the request's page shows it with its due date, and an anonymous reader finds it in the public list;
b) the inspection body's head finds it in his queue, records the visit, the findings and the decision "illegal
   construction" with a photo; an anonymous reader sees the published result on the request, the construction in
   the registry of illegal constructions, and the resident is told in his inbox (by the worker, in the background);
c) the keeper imports illegal constructions from an XLSX through the import kernel's pages: a file with a bad date
   is refused row by row (line and column) and nothing is stored; the corrected file is, and its rows are listed;
d) the keeper downloads the report on illegal constructions: a PDF whose text carries its Russian heading.

Each viewport has its own resident, addresses and texts, so the two runs do not meet.
"""

from __future__ import annotations

import io
import re
import secrets
import time
from datetime import date, timedelta

import pytest

from .crawler import DESKTOP, PHONE, Crawler, fits, watch_errors

pytestmark = [pytest.mark.production, pytest.mark.browser]

KEEPER = "controller@demo.krai"  # controllers keep the registries
INSPECTOR = "head.construction-supervision@demo.krai"  # the inspection body that answers the requests
VIEWPORTS = pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
#: per viewport: the resident who files the request (demo residents with a confirmed e-mail)
RESIDENT = {1280: "citizen.00051@demo.krai", 390: "citizen.00052@demo.krai"}
#: the browser's own console line for the refused import (the page answers 400 and shows the errors)
REFUSALS = ("status of 400",)
#: Krasnodar's centre (krai/org/demo_data.py): the imported constructions are placed around it
KRASNODAR = (45.035, 38.975)


@pytest.fixture(scope="module")
def crawler(chromium, installation):
    crawler = Crawler(chromium, installation)
    yield crawler
    crawler.close()


def _png(colour: tuple[int, int, int]) -> dict:
    """A small photo, as Playwright hands a file to an input."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "PNG")
    return {"name": "site.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.locator(selector).first.click()


def _path(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


def _said(page, *words: str) -> str:
    """The page's messages; one of ``words`` (Russian, or the English fallback) must be there."""
    text = " ".join(page.locator(".krai-messages, .alert").all_inner_texts())
    assert re.search("|".join(words), text, re.I), text
    return text


def _told(installation, login: str) -> str:
    """The events' deliveries and the user's notifications (for a failure's message)."""
    script = ("from krai.core.events import dispatch; from krai.core.notifications.models import Notification; "
              "print(dispatch.backlog()); "
              f"print(list(Notification.objects.filter(user__email='{login}').values_list('kind', 'title')))")
    answer = installation.krai("shell", "-c", script)
    return answer.stdout[-3000:] + answer.stderr[-3000:]


def _nearby(response) -> bool:
    return "/construction/nearby/" in response.url and response.status == 200


def _open_requests_about_objects(page, url: str) -> list[tuple[str, str, str]]:
    """Open requests that name a registered object: (request's path, its address, the object's path)."""
    page.goto(url + "/construction/requests/?status=open&reason=differs")
    found = [link.get_attribute("href") for link in page.locator("#krai-request-list h3 a").all()[:2]]
    rows = []
    for path in found:
        page.goto(url + path)
        address = re.sub(r"^.*?№\s*\d+\s*·\s*", "", page.locator("main h1").inner_text()).strip()
        obj = page.locator("#krai-request-facts a[href^='/construction/objects/']").first.get_attribute("href")
        rows.append((path, address, obj))
    return rows


@VIEWPORTS
def test_a_request_is_filed_inspected_and_published(crawler, installation, viewport):
    url = installation.url
    width = viewport["width"]
    tag = f"J{width}-{secrets.token_hex(3)}"
    errors: list[str] = []
    pages = {}

    def open_as(login: str | None):
        if login not in pages:
            page = crawler.context(login).new_page()
            page.set_viewport_size(viewport)
            watch_errors(page, errors)
            pages[login] = page
        return pages[login]

    try:
        # the site: an open request about a registered object (each viewport its own)
        reader = open_as(None)
        targets = _open_requests_about_objects(reader, url)
        assert len(targets) >= 2, targets
        near_request, address, object_path = targets[0 if width == DESKTOP["width"] else 1]
        object_id = re.search(r"(\d+)/$", object_path).group(1)

        # a) the resident marks the site by its address, sees what is there, and files his request
        resident = open_as(RESIDENT[width])
        resident.goto(url + "/construction/requests/new/")
        assert resident.locator("html").get_attribute("lang") == "ru"
        resident.wait_for_selector("#krai-request-map[data-ready='1']")
        fits(resident, "the request form")
        resident.locator("#id_address").press_sequentially(address, delay=15)
        options = resident.locator("#krai-address-suggestions [role=option]")
        options.first.wait_for()
        house = address.rsplit(",", 1)[-1].strip()  # the suggestion of that very house, the best one first
        choice = options.filter(has_text=re.compile(rf"(^|[\s,]){re.escape(house)}\s*$")).first
        with resident.expect_response(_nearby):  # what is near the chosen address is asked for at once
            choice.click()
        assert house in resident.input_value("#id_address")
        assert resident.input_value("#id_lat") and resident.input_value("#id_lon")
        if width == PHONE["width"]:  # a click on the map beside the marked house moves the point there
            point = (resident.input_value("#id_lat"), resident.input_value("#id_lon"))
            site = resident.locator("#krai-request-map")
            site.scroll_into_view_if_needed()
            box = site.bounding_box()
            with resident.expect_response(_nearby):
                site.click(position={"x": box["width"] / 2 + 25, "y": box["height"] / 2 + 25})
            assert (resident.input_value("#id_lat"), resident.input_value("#id_lon")) != point
        nearby_object = resident.locator(f"#krai-nearby-objects input[name=object][value='{object_id}']")
        nearby_object.wait_for()
        assert resident.locator(f"#krai-nearby-requests a[href='{near_request}']").count() == 1, \
            resident.locator("#krai-nearby").inner_text()
        # the registered objects come before "none of these", the closest first
        radios = resident.locator("#krai-nearby-objects input[name=object]")
        assert radios.last.get_attribute("value") == ""
        distances = [int(m) for m in re.findall(r"(\d+)\s*(?:м|m)\b", resident.locator(
            "#krai-nearby-objects").inner_text())]
        assert distances and distances == sorted(distances), resident.locator("#krai-nearby-objects").inner_text()
        fits(resident, "the request form with what is nearby")
        resident.locator(f"label[for='krai-object-{object_id}']").click()
        assert resident.is_checked("input[name=reason][value=differs]")
        description = f"{tag}: надстроили ещё два этажа сверх разрешённых, работы идут по ночам."
        resident.fill("#id_description", description)
        resident.fill("#id_observed_floors", "12")
        resident.set_input_files("#id_photos", _png((180, 90, 40)))
        _submit(resident, "#krai-request-submit")
        match = re.search(r"/construction/requests/(\d+)/$", resident.url)
        assert match, (resident.url, resident.locator(".invalid-feedback, .alert-danger").all_inner_texts())
        detail, number = match.group(0), match.group(1)
        due = re.search(r"\d\d\.\d\d\.\d{4}", _said(resident, number)).group(0)
        facts = resident.locator("#krai-request-facts").inner_text()
        assert due in facts, facts
        assert date(*reversed([int(p) for p in due.split(".")])) > date.today(), due
        assert description in resident.locator("#krai-request-description").inner_text()
        photo = resident.locator("#krai-request-photos img")
        assert photo.count() == 1 and photo.evaluate("img => img.complete && img.naturalWidth > 0")
        fits(resident, "the request's page")
        reader.goto(url + "/construction/requests/")
        assert reader.locator(f"#krai-request-list a[href='{detail}']").count() == 1
        reader.goto(url + detail)
        assert description in reader.locator("#krai-request-description").inner_text()
        assert RESIDENT[width] not in reader.locator("main").inner_text()

        # b) the inspection body's head answers it from his queue
        inspector = open_as(INSPECTOR)
        inspect = f"{detail.replace('/construction/', '/workspace/construction/')}inspect/"
        for queue_page in range(1, 6):
            inspector.goto(url + f"/workspace/construction/?page={queue_page}")
            link = inspector.locator(f"#krai-queue a[href='{inspect}']")
            if link.count():
                break
        assert link.count() == 1, inspector.locator("main").inner_text()[:3000]
        fits(inspector, "the inspection queue")
        with inspector.expect_navigation():
            link.click()
        fits(inspector, "the inspection form")
        assert inspector.input_value("#id_visited_on") == date.today().isoformat()
        inspector.check("#krai-inspect-form input[name=decision][value=illegal]")
        findings = f"{tag}: разрешение на надстройку не выдавалось; объект включён в реестр самовольных построек."
        inspector.fill("#id_findings", findings)
        inspector.fill("#id_floors_found", "12")
        inspector.set_input_files("#id_photos", _png((60, 120, 200)))
        _submit(inspector, "#krai-inspect-form button[type=submit]")
        assert _path(inspector) == detail, (inspector.url, inspector.locator(".invalid-feedback").all_inner_texts())
        _said(inspector, "опубликован|published")

        reader.goto(url + detail)
        decision = reader.locator("#krai-inspection-decision").inner_text()
        assert re.search("Самовольн|Illegal", decision), decision
        assert findings in reader.locator("#krai-inspection-findings").inner_text()
        shown = reader.locator("#krai-inspection-photos img")
        assert shown.count() == 1 and shown.evaluate("img => img.complete && img.naturalWidth > 0")
        illegal = reader.locator("#krai-inspection a[href^='/construction/illegal/']").get_attribute("href")
        fits(reader, "the verified request")
        reader.goto(url + "/construction/illegal/")
        assert reader.locator(f"main table a[href='{illegal}']").count() == 1, \
            reader.locator("main table").inner_text()[:2000]
        fits(reader, "the registry of illegal constructions")
        reader.goto(url + illegal)
        assert findings in reader.locator("main").inner_text()
        fits(reader, "the illegal construction's card")

        title = re.compile(rf"№\s*{number}\b")
        for _attempt in range(90):  # the author is told by the worker (event delivery runs in the background)
            resident.goto(url + "/notifications/")
            if resident.locator("main li[id^='notification-']", has_text=title).count():
                break
            time.sleep(1)
        told = resident.locator("main li[id^='notification-']", has_text=title)
        assert told.count() >= 1, _told(installation, RESIDENT[width])
        assert re.search("самовольн|illegal", told.first.inner_text(), re.I), told.first.inner_text()
        fits(resident, "the resident's notifications")
        assert not errors, errors
    finally:
        for page in pages.values():
            page.close()


# --- c) the import, d) the report ----------------------------------------------------------------------

HEADER = ["Адрес", "Дата выявления", "Широта", "Долгота", "Описание", "Владелец (застройщик)", "Мера",
          "Дата меры", "Номер документа"]


def _xlsx(rows: list[list]) -> dict:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return {"name": "samostroi.xlsx", "buffer": buffer.getvalue(),
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _rows(tag: str, width: int, bad_date: bool) -> list[list]:
    found = date.today() - timedelta(days=40)
    lat, lon = KRASNODAR
    shift = 0.004 if width == DESKTOP["width"] else -0.004
    return [
        [f"Краснодар, ул. Импортная {tag}, 1", found, lat + shift, lon + 0.002, "Пристройка к жилому дому",
         "физическое лицо", "Предписание о сносе", found + timedelta(days=5), f"ПС-{tag}"],
        [f"Краснодар, ул. Импортная {tag}, 3", "31.02.2025" if bad_date else found.strftime("%d.%m.%Y"),
         lat + shift, lon - 0.002, "Капитальный гараж на землях общего пользования", "ООО «Гараж-Сервис»",
         None, None, None],
    ]


def _total(page) -> int:
    """The registry's count as its list page says it (the table's heading)."""
    heading = page.locator("#krai-illegal-table-title").inner_text()
    return int(re.search(r"\d+", heading.replace("\xa0", "").replace(" ", "")).group(0))


def _upload(page, url: str, file: dict) -> None:
    """The kernel's import: the start page reads the file, the record page confirms the mapping."""
    page.goto(url + "/workspace/imports/new/construction.illegal/")
    page.set_input_files("main form input[type=file]", file)
    _submit(page, "main form button[type=submit]")
    assert re.search(r"/workspace/imports/\d+/$", page.url), page.locator("main").inner_text()[:2000]
    fits(page, "the import's mapping")
    _submit(page, "main form button[name=confirm]")


@VIEWPORTS
def test_the_keeper_imports_illegal_constructions_and_downloads_the_report(crawler, installation, viewport,
                                                                          tmp_path):
    from pypdf import PdfReader

    url = installation.url
    width = viewport["width"]
    tag = f"И{width}{secrets.token_hex(2)}"
    errors: list[str] = []
    keeper = crawler.context(KEEPER).new_page()
    keeper.set_viewport_size(viewport)
    watch_errors(keeper, errors, ignore=REFUSALS)
    try:
        keeper.goto(url + "/construction/illegal/")
        before = _total(keeper)
        assert before > 0
        assert keeper.locator("main a[href='/workspace/imports/new/construction.illegal/']").count() == 1

        # c) a file with a bad date: the row and the column named, nothing stored
        _upload(keeper, url, _xlsx(_rows(tag, width, bad_date=True)))
        assert keeper.locator("main [data-status]").get_attribute("data-status") == "rejected"
        table = keeper.locator("main .alert-danger table")
        row = table.locator("tbody tr", has_text="31.02.2025")
        assert row.count() == 1, keeper.locator("main").inner_text()[:2000]
        cells = [cell.strip() for cell in row.locator("td").all_inner_texts()]
        assert cells[0] == "3" and cells[1] == "Дата выявления", cells
        fits(keeper, "the refused import")
        keeper.goto(url + "/construction/illegal/")
        assert _total(keeper) == before
        keeper.goto(url + f"/construction/illegal/?q={tag}")
        assert _total(keeper) == 0

        # the corrected file: every row stored and listed
        _upload(keeper, url, _xlsx(_rows(tag, width, bad_date=False)))
        assert keeper.locator("main [data-status]").get_attribute("data-status") == "stored", \
            keeper.locator("main").inner_text()[:2000]
        _said(keeper, "2")
        with keeper.expect_navigation():
            keeper.locator("main .alert-success a[href^='/construction/illegal/']").click()
        listed = keeper.locator("main table tbody a[href^='/construction/illegal/']")
        assert sorted(listed.all_inner_texts()) == [f"Краснодар, ул. Импортная {tag}, 1",
                                                    f"Краснодар, ул. Импортная {tag}, 3"]
        fits(keeper, "the imported constructions")
        keeper.goto(url + "/construction/illegal/")
        assert _total(keeper) == before + 2

        # d) the report, downloaded as a PDF
        keeper.goto(url + "/construction/illegal/report/")
        fits(keeper, "the report's form")
        with keeper.expect_download() as download:
            keeper.locator("main form button[name=make][value=pdf]").click()
        saved = tmp_path / "report.pdf"
        download.value.save_as(saved)
        assert saved.read_bytes().startswith(b"%PDF-")
        reader = PdfReader(saved)
        assert len(reader.pages) >= 1
        text = " ".join(page.extract_text() or "" for page in reader.pages)
        assert "Самовольные постройки" in text and "отчёт" in text, text[:500]
        assert errors == [], errors
    finally:
        keeper.close()
