"""Importing illegal constructions from Excel through the import kernel (kind ``construction.illegal``): a file
with a broken row (a bad date, an unknown municipality, a point outside the region, a row given twice) reports
the row and the column and stores nothing at all; a good file stores every row — placed by its point, by the
address registry, or kept and flagged — with its measure, one event and the summary; the same through the
kernel's API; only the registry's keepers may import."""

from __future__ import annotations

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from krai.construction.models import Change, IllegalConstruction, Measure
from krai.construction.services.illegal import illegal_import
from krai.construction.tests.factories import LAT, LON, keeper, municipality, resident
from krai.core.events.models import Event
from krai.core.imports import services as imports
from krai.core.imports.models import ImportRecord
from krai.core.imports.schema import ImportRejected
from krai.org.addresses.services import addresses_load

pytestmark = pytest.mark.django_db
KIND = "construction.illegal"
FOUND = timezone.localdate() - timedelta(days=60)
HEADER = ["Адрес", "Муниципальное образование", "Широта", "Долгота", "Кадастровый номер", "Описание",
          "Владелец (застройщик)", "Дата выявления", "Статус", "Мера", "Дата меры", "Номер документа",
          "Сумма штрафа"]


def xlsx(rows: list[list]) -> SimpleUploadedFile:
    """An example file as an inspection body keeps it: Russian headers, date cells, numbers."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Самострой"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("самострой.xlsx", buffer.getvalue(),
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


GOOD = [
    ["г. Краснодар, ул. Садовая, д. 3", "Краснодар", None, None, "23:43:0301001:123", "Пристройка к дому",
     "Иванов И. И.", FOUND, "выявлено", "штраф", FOUND + timedelta(days=10), "5-ш", 50000],
    ["Краснодар, берег реки Кубань", "krasnodar", LAT + 0.05, LON + 0.05, None, "Гараж", "ООО «Берег»",
     FOUND, "Снесено", None, None, None, None],
    ["Краснодар, ул. Несуществующая, 5", None, None, None, None, None, None, FOUND.strftime("%d.%m.%Y"),
     None, "Предписание о сносе", FOUND + timedelta(days=1), "12-п", None],
]


@pytest.fixture
def world():
    town = municipality(name="Краснодар", code="krasnodar")
    addresses_load(actor=None, rows=[{"municipality": "krasnodar", "locality": "Краснодар", "street": "ул. Садовая",
                                      "house": "3", "lat": LAT + 0.01, "lon": LON + 0.01}])
    return SimpleNamespace(town=town, keeper=keeper())


def _nothing_stored() -> None:
    assert not IllegalConstruction.objects.exists() and not Measure.objects.exists()
    assert not Change.objects.exists()
    assert not Event.objects.filter(kind__startswith="construction.").exists()


def test_a_good_file_stores_every_row_placed_or_flagged(world):
    record = imports.run(actor=world.keeper, kind=KIND, upload=xlsx(GOOD))
    assert record.status == "stored"
    assert {k: record.summary[k] for k in ("created", "geocoded", "not_found", "measures")} == {
        "created": 3, "geocoded": 1, "not_found": 1, "measures": 2}
    geocoded = IllegalConstruction.objects.get(address__contains="Садовая")
    assert (geocoded.location, geocoded.lat, geocoded.municipality) == ("geocoded", LAT + 0.01, world.town)
    assert (geocoded.source, geocoded.import_record, geocoded.status) == ("import", record, "measures")
    assert geocoded.cadastral_number == "23:43:0301001:123" and geocoded.owner == "Иванов И. И."
    fine = geocoded.measures.get()
    assert (fine.kind, fine.amount, fine.number) == ("fine", 50000, "5-ш")
    given = IllegalConstruction.objects.get(address__contains="Кубань")
    assert (given.location, given.status, given.lat) == ("given", "demolished", LAT + 0.05)
    lost = IllegalConstruction.objects.get(address__contains="Несуществующая")
    assert (lost.location, lost.lat, lost.municipality, lost.status) == ("not_found", None, None, "measures")
    event = Event.objects.get(kind="construction.illegal_imported")
    assert event.payload["created"] == 3 and event.payload["import_id"] == record.pk
    url = imports.registry.get(KIND).result_url(options={}, summary=record.summary)
    assert url == reverse("construction:illegal_list") + f"?import_id={record.pk}"


@pytest.mark.parametrize(("broken", "column", "reason"), [
    (["Краснодар, ул. Садовая, 3", "Краснодар", None, None, None, None, None, "31.02.2026", None, None, None, None,
      None], "Дата выявления", "date"),
    (["Краснодар, ул. Садовая, 3", "Атлантида", None, None, None, None, None, FOUND, None, None, None, None, None],
     "Муниципальное образование", "No such municipality"),
    (["Где-то", None, 10.0, 10.0, None, None, None, FOUND, None, None, None, None, None], "Широта",
     "outside the region"),
    (["Краснодар, ул. Садовая, 3", None, None, None, None, None, None, FOUND, "почти снесено", None, None, None,
      None], "Статус", "Unknown status"),
    (["Краснодар, ул. Садовая, 3", None, None, None, None, None, None, FOUND, None, "штраф", FOUND, None, None],
     "Сумма штрафа", "amount"),
    (["Краснодар, ул. Садовая, 3", None, LAT, None, None, None, None, FOUND, None, None, None, None, None],
     "Долгота", "both"),
])
def test_a_broken_row_is_reported_and_nothing_is_stored(world, broken, column, reason):
    before = IllegalConstruction.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        imports.run(actor=world.keeper, kind=KIND, upload=xlsx([*GOOD, broken]))
    errors = [e for e in rejected.value.errors if e.row == 5]
    assert errors and errors[0].column == column and reason in errors[0].reason, rejected.value.errors
    assert IllegalConstruction.objects.count() == before == 0
    _nothing_stored()
    record = ImportRecord.objects.get()
    assert record.status == "rejected" and record.errors[0]["row"] == 5


def test_a_row_given_twice_or_already_stored_is_an_error(world):
    twice = [GOOD[0], [*GOOD[0][:7], FOUND, None, None, None, None, None]]
    with pytest.raises(ImportRejected) as rejected:
        imports.run(actor=world.keeper, kind=KIND, upload=xlsx(twice))
    assert [(e.row, e.column) for e in rejected.value.errors] == [(3, "Адрес")]
    assert "row 2" in rejected.value.errors[0].reason
    _nothing_stored()
    imports.run(actor=world.keeper, kind=KIND, upload=xlsx(GOOD[:1]))
    with pytest.raises(ImportRejected) as again:
        imports.run(actor=world.keeper, kind=KIND, upload=xlsx(GOOD[:1]))
    assert "Already in the registry" in again.value.errors[0].reason
    assert IllegalConstruction.objects.count() == 1


def test_through_the_kernels_api(client, world):
    client.force_login(world.keeper)
    bad = [*GOOD, ["Краснодар, ул. Садовая, 3", "Атлантида", None, None, None, None, None, "2026-13-01", None,
                   None, None, None, None]]
    response = client.post(f"/api/v1/imports/{KIND}/", {"file": xlsx(bad)})
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "rows" and error["rows"][0]["row"] == 5
    assert error["rows"][0]["column"] == "Дата выявления"
    _nothing_stored()
    response = client.post(f"/api/v1/imports/{KIND}/", {"file": xlsx(GOOD)})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "stored" and body["summary"]["created"] == 3 and body["summary"]["not_found"] == 1
    assert IllegalConstruction.objects.filter(import_record_id=body["id"]).count() == 3
    page = client.get(reverse("construction:illegal_list"), {"import_id": body["id"]})
    assert page.status_code == 200 and page.context["total"] == 3


def test_only_keepers_may_import(client, world):
    person = resident()
    with pytest.raises(PermissionDenied):
        imports.run(actor=person, kind=KIND, upload=xlsx(GOOD))
    client.force_login(person)
    assert client.post(f"/api/v1/imports/{KIND}/", {"file": xlsx(GOOD)}).status_code == 403
    _nothing_stored()



def test_illegal_import_stores_rows_with_one_event_or_none(world):
    rows = [{"address": "Краснодар, ул. Садовая, 3", "found_on": FOUND, "municipality": world.town,
             "measure": {"kind": "fine", "taken_on": FOUND, "amount": 100}},
            {"address": "Краснодар, пустырь", "found_on": FOUND, "measure": None}]
    assert illegal_import(actor=world.keeper, rows=rows) == {"created": 2, "geocoded": 1, "not_found": 1,
                                                             "measures": 1}
    assert Event.objects.filter(kind="construction.illegal_imported").count() == 1
    assert not Event.objects.filter(kind="construction.illegal_created").exists()
    broken = [{**rows[1], "address": "Краснодар, ул. Новая, 1"},
              {"address": "Краснодар, ул. Новая, 2", "found_on": FOUND, "lat": LAT}]
    with pytest.raises(ValidationError) as refused:
        illegal_import(actor=world.keeper, rows=broken)
    assert "Row 2" in str(refused.value) and IllegalConstruction.objects.count() == 2
