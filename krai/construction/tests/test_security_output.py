"""Output escaped and personal data kept back:

* a request's author is named as the community names him ("Given S.") and his contacts are masked on every public
  page and in every public JSON (API, the maps' GeoJSON, what is nearby, the live datasets); a rater likewise;
* ``<script>`` and an ``onerror`` image typed into a request, an inspection, an object, an illegal construction, a
  measure, a work and a rating come out as text on every page that shows them, and the maps' data is served as
  JSON, never as HTML; the area's scripts hand data to Leaflet's tooltips as text, never as HTML;
* the registry's and the report's CSV and XLSX downloads write a formula as text."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from krai.construction.models import IllegalConstruction, VerificationRequest, WorkStatus
from krai.construction.tests.factories import (
    LAT,
    LON,
    body_staff,
    construction_object,
    illegal_construction,
    inspection_body,
    inspector,
    keeper,
    municipality,
    work,
)
from krai.construction.tests.test_journey_api import BASE, TODAY, filing
from krai.org.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">'
SCRIPTS = Path(__file__).resolve().parents[1] / "static" / "construction"
SURNAME, EMAIL, PHONE = "Подгорная", "podgornaya@example.ru", "555-44-33"


def _escaped(text: str, where: str) -> None:
    assert "<script>alert" not in text, where
    assert "<img src=x" not in text, where


def _masked(text: str, where: str) -> None:
    assert SURNAME not in text, where
    assert EMAIL not in text and "podgornaya" not in text, where
    assert PHONE not in text, where


def _api(user: Any) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(user)
    return client


@pytest.fixture
def world() -> dict[str, Any]:
    """A resident's request (his contacts and a script in what he typed) verified as illegal, a registered object
    whose request was verified, a measure, a work a resident rated — every text with a script in it."""
    place = municipality()
    inspection_body()
    body = OrganisationFactory()
    author = UserFactory(given_name="Мария", surname=SURNAME, email=EMAIL, phone="+79185554433")
    building = construction_object(municipality=place, inspection_body=body, name=f"Дом {XSS}",
                                   address=f"Краснодар, ул. Красная, 10 {XSS}", description=XSS, developer=XSS)
    text = f"Строят лишний этаж {XSS}. Пишите {EMAIL}, тел. 8 918 {PHONE}"
    filed = _api(author).post(f"{BASE}/requests/", filing(
        reason="differs", object=building.pk, address=f"ул. Красная, 10, {EMAIL} {XSS}", description=text),
        format="json")
    assert filed.status_code == 201, filed.content
    request = VerificationRequest.objects.get(pk=filed.json()["id"])
    assert _api(inspector(body)).post(f"{BASE}/requests/{request.pk}/inspect/", {
        "visited_on": TODAY.isoformat(), "findings": f"Десять этажей {XSS}", "decision": "illegal"},
        format="json").status_code == 201
    entry = IllegalConstruction.objects.get(verification=request)
    boss = keeper()
    assert _api(boss).post(f"{BASE}/illegal/{entry.pk}/measures/", {
        "kind": "fine", "taken_on": TODAY.isoformat(), "number": XSS, "description": XSS, "amount": "1000"},
        format="json").status_code == 201
    road = work(municipality=place, responsible_body=body, name=f"Ремонт {XSS}", description=XSS,
                contractor=XSS, status=WorkStatus.IN_PROGRESS, actual_start=TODAY)
    staff = _api(body_staff(body))
    later = (road.planned_end + timedelta(days=5)).isoformat()
    assert staff.post(f"{BASE}/works/{road.pk}/reschedule/", {
        "planned_start": road.planned_start.isoformat(), "planned_end": later, "reason": f"Причина {XSS}"},
        format="json").status_code == 200
    assert staff.post(f"{BASE}/works/{road.pk}/complete/", {}, format="json").status_code == 200
    rater = UserFactory(given_name="Олег", surname="Засекреченный", email="oleg.secret@example.ru")
    assert _api(rater).post(f"{BASE}/works/{road.pk}/rate/", {
        "score": 2, "comment": f"Плохо {XSS} пишите oleg.secret@example.ru"}, format="json").status_code == 201
    return {"author": author, "object": building, "request": request, "illegal": entry, "work": road,
            "keeper": boss, "body": body}


def _pages(world: dict[str, Any]) -> list[str]:
    return [reverse("construction:home"), reverse("construction:requests"),
            reverse("construction:request", args=[world["request"].pk]),
            reverse("construction:object", args=[world["object"].pk]),
            reverse("construction:illegal_list"), reverse("construction:illegal", args=[world["illegal"].pk]),
            reverse("construction:works"), reverse("construction:work", args=[world["work"].pk]),
            reverse("construction:works_stats")]


def test_the_author_is_masked_on_every_public_page_and_json(world: dict[str, Any]) -> None:
    request, client = world["request"], Client()
    for path in _pages(world):
        response = client.get(path)
        assert response.status_code == 200, path
        _masked(response.content.decode(), path)
    page = client.get(reverse("construction:request", args=[request.pk])).content.decode()
    assert "Мария П." in page and "Строят лишний этаж" in page
    api = APIClient()
    for path in (f"{BASE}/requests/", f"{BASE}/requests/{request.pk}/", f"{BASE}/illegal/",
                 f"{BASE}/illegal/{world['illegal'].pk}/", f"{BASE}/objects/{world['object'].pk}/"):
        _masked(api.get(path).content.decode(), path)
    _masked(api.get(f"{BASE}/nearby/", {"lat": LAT + 0.001, "lon": LON}).content.decode(), "nearby")
    _masked(client.get(reverse("construction:requests_map")).content.decode(), "requests map")
    _masked(client.get(reverse("construction:nearby"), {"lat": LAT + 0.001, "lon": LON}).content.decode(), "near")
    assert api.get(f"{BASE}/requests/{request.pk}/").json()["author"] == "Мария П."
    work_page = client.get(reverse("construction:work", args=[world["work"].pk])).content.decode()
    assert "Засекреченный" not in work_page and "oleg.secret" not in work_page and "Олег З." in work_page


def test_the_live_datasets_hold_no_personal_data(world: dict[str, Any]) -> None:
    from krai.opendata.live_construction_illegal import construction_illegal
    from krai.opendata.live_construction_objects import construction_registry
    from krai.opendata.live_construction_works import construction_works

    illegal_construction(owner="Петров Пётр Петрович", address="Краснодар, ул. Садовая, 7")
    illegal_construction(owner="ИП Сидоров С. С.", address="Краснодар, ул. Садовая, 9")
    illegal_construction(owner="ООО «Самострой»", address="Краснодар, ул. Садовая, 11")
    datasets = {"illegal": list(construction_illegal()), "objects": list(construction_registry()),
                "works": list(construction_works())}
    assert all(datasets.values())
    for name, rows in datasets.items():
        text = repr(rows)
        _masked(text, name)
        for secret in ("Петров", "Сидоров", "Засекреченный", "oleg.secret", world["keeper"].surname,
                       world["author"].given_name + " П."):
            assert secret not in text, (name, secret)
    owners = {row["owner"] for row in datasets["illegal"]}
    assert owners == {"", "ООО «Самострой»"}


def test_scripts_come_out_as_text_on_every_page(world: dict[str, Any]) -> None:
    staff_pages = [reverse("construction:workspace"), reverse("construction:works_workspace"),
                   reverse("construction:work_edit", args=[world["work"].pk]),
                   reverse("construction:object_edit", args=[world["object"].pk]),
                   reverse("construction:illegal_edit", args=[world["illegal"].pk])]
    for user, extra in ((None, []), (world["author"], [reverse("construction:my_requests")]),
                        (world["keeper"], staff_pages)):
        client = Client()
        if user is not None:
            client.force_login(user)
        for path in _pages(world) + extra:
            response = client.get(path)
            assert response.status_code == 200, path
            html = response.content.decode()
            _escaped(html, path)
    card = Client().get(reverse("construction:illegal", args=[world["illegal"].pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in card  # shown, as text


def test_the_maps_data_is_json_never_html(world: dict[str, Any]) -> None:
    client, api = Client(), APIClient()
    for response in (client.get(reverse("construction:requests_map")), client.get(reverse("construction:works_map")),
                     client.get(reverse("construction:nearby"), {"lat": LAT, "lon": LON}),
                     api.get(f"{BASE}/objects.geojson"), api.get(f"{BASE}/nearby/", {"lat": LAT, "lon": LON})):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
        assert response.get("X-Content-Type-Options") == "nosniff"
    features = api.get(f"{BASE}/objects.geojson").json()["features"]
    assert features[0]["properties"]["name"] == f"Дом {XSS}"  # the data as it is, for the script to set as text


#: Leaflet reads a string handed to bindTooltip/bindPopup as HTML: data must go in as a DOM node
_DATA_AS_HTML = re.compile(r"\.bind(?:Tooltip|Popup)\(\s*(?:[\"'][^\"']*[\"']\s*\+\s*)?[a-z]\w*\.(?!id\b)\w+\s*[+)]")


def test_the_scripts_give_leaflet_data_as_text_not_html() -> None:
    found = []
    for script in sorted(SCRIPTS.glob("*.js")):
        for number, line in enumerate(script.read_text(encoding="utf-8").splitlines(), start=1):
            if _DATA_AS_HTML.search(line):
                found.append(f"{script.name}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
    # the check itself catches the shapes, and lets a node or a number through
    assert _DATA_AS_HTML.search("marker.bindTooltip(p.address);")
    assert _DATA_AS_HTML.search('layer.bindPopup("№ " + p.name);')
    assert not _DATA_AS_HTML.search("marker.bindTooltip(document.createTextNode(p.address));")
    assert not _DATA_AS_HTML.search('marker.bindTooltip("№ " + r.id);')


def test_the_downloads_write_formulas_as_text() -> None:
    place = municipality()
    construction_object(municipality=place, name='=HYPERLINK("http://evil.example","x")',
                        developer="+cmd|' /C calc'!A0", purpose="@SUM(1)", address="-1+2")
    illegal_construction(municipality=place, address="=1+1", found_on=TODAY - timedelta(days=3))
    client = Client()
    exported = client.get(reverse("construction:objects_export"), {"format": "csv", "municipality": place.pk})
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig"))))
    cells = rows[1]
    assert "'=HYPERLINK(\"http://evil.example\",\"x\")" in cells and "'+cmd|' /C calc'!A0" in cells
    assert "'@SUM(1)" in cells and "'-1+2" in cells
    report = {"make": "csv", "municipality": place.pk, "date_from": (TODAY - timedelta(days=10)).isoformat(),
              "date_to": TODAY.isoformat()}
    exported = client.get(reverse("construction:illegal_report"), report)
    assert "'=1+1" in b"".join(exported.streaming_content).decode("utf-8-sig")
    for url, query in ((reverse("construction:objects_export"), {"format": "xlsx", "municipality": place.pk}),
                       (reverse("construction:illegal_report"), {**report, "make": "xlsx"})):
        from openpyxl import load_workbook

        response = client.get(url, query)
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        values = [cell for row in book.active.iter_rows(min_row=2) for cell in row]
        texts = [cell.value for cell in values if isinstance(cell.value, str)]
        assert all(cell.data_type != "f" for cell in values), url
        assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))], (url, texts)


def test_the_pdf_report_prints_markup_as_text() -> None:
    """ReportLab reads tags in a paragraph (an ``<img>`` would open a file of the server): the report escapes them."""
    place = municipality()
    for address in ('Краснодар <img src="/etc/passwd"/>', "Краснодар <font size=99>", f"Краснодар {XSS}"):
        illegal_construction(municipality=place, address=address, description="<b>не закрыт", owner="ООО «<i>»")
    response = APIClient().get(f"{BASE}/illegal/report.pdf", {"municipality": place.pk, "from": "2020-01-01"},
                               HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
