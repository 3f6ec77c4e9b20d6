"""The registry's pages: the list with its filters (the resident's municipality first), the map's data, paging to
the last object, the export of the filtered list as CSV and XLSX (the same rows, formulas neutralised), the card
with every field, files and history (escaped), and the keepers' pages (others get 404)."""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from krai.construction.models import ConstructionObject, ObjectStage
from krai.construction.services.objects import object_attach, object_create, object_update
from krai.construction.tests import factories as f
from krai.construction.tests.test_objects_services import (
    image_upload,
)
from krai.org.tests.factories import MunicipalityFactory, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    return f.municipality(name="Краснодар")


@pytest.fixture
def other_place():
    return MunicipalityFactory(boundary=square(40.0, 44.0), name="Тихорецкий район", centre_lat=44.2, centre_lon=40.2)


def make(municipality, n=1, **fields):
    return [f.construction_object(municipality=municipality, name=fields.pop("name", f"Объект {i:03d}"), **fields)
            for i in range(n)]


def test_the_registry_lists_filters_and_starts_at_the_residents_municipality(client, place, other_place):
    make(place, 2, kind="residential")
    f.construction_object(municipality=place, name="Школа на 1100 мест", kind="social", stage="commissioned")
    f.construction_object(municipality=other_place, name="Склад", kind="industrial", lat=44.2, lon=40.2)
    response = client.get(reverse("construction:home"))
    assert response.status_code == 200 and response.context["total"] == 4
    client.force_login(f.resident(home_municipality=other_place))
    response = client.get(reverse("construction:home"))
    assert response.context["total"] == 1 and "Склад" in response.content.decode()
    assert response.context["form"]["municipality"].value() == str(other_place.pk)
    response = client.get(reverse("construction:home"), {"municipality": ""})  # "any" chosen: the whole region
    assert response.context["total"] == 4
    response = client.get(reverse("construction:home"), {"municipality": "", "kind": "social"})
    assert [o.name for o in response.context["rows"]] == ["Школа на 1100 мест"]
    response = client.get(reverse("construction:home"), {"municipality": place.pk, "stage": "commissioned"})
    assert response.context["total"] == 1
    response = client.get(reverse("construction:home"), {"municipality": "", "q": "школа"})  # any case, a stem
    assert response.context["total"] == 1
    response = client.get(reverse("construction:home"), {"municipality": "", "q": "23:43:0000000:1001"})
    assert response.context["total"] == 4  # the factory's cadastral number, typed whole


def test_permit_expired_filter(client, place):
    today = timezone.localdate()
    f.construction_object(municipality=place, name="Просрочен", permit_valid_until=today - timedelta(days=1),
                          permit_date=today - timedelta(days=900))
    f.construction_object(municipality=place, name="Введён", permit_valid_until=today - timedelta(days=1),
                          permit_date=today - timedelta(days=900), stage=ObjectStage.COMMISSIONED)
    f.construction_object(municipality=place, name="Действует")
    response = client.get(reverse("construction:home"), {"expired": "on"})
    assert [o.name for o in response.context["rows"]] == ["Просрочен"]


def test_paging_reaches_the_last_object(client, place):
    make(place, 27)
    response = client.get(reverse("construction:home"))
    assert len(response.context["rows"]) == 25 and 'page=2"' in response.content.decode()
    last = client.get(reverse("construction:home"), {"page": 2})
    assert [o.name for o in last.context["rows"]] == ["Объект 025", "Объект 026"]


def test_the_maps_data_are_the_filtered_objects_with_their_outlines(client, place):
    outline = square(f.LON - 0.001, f.LAT - 0.001, 0.002)
    school = f.construction_object(municipality=place, name="Школа", kind="social", polygon=outline)
    f.construction_object(municipality=place, name="Дом", kind="residential")
    f.construction_object(municipality=place, name="Без точки", kind="social", lat=None, lon=None)
    page = client.get(reverse("construction:home"), {"kind": "social"}).content.decode()
    url = reverse("construction-objects-geojson") + "?kind=social"
    assert url in page  # the map reads the page's filters
    data = client.get(reverse("construction-objects-geojson"), {"kind": "social"}).json()
    assert data["type"] == "FeatureCollection"
    shapes = sorted((feature["properties"]["shape"], feature["properties"]["id"]) for feature in data["features"])
    assert shapes == [("outline", school.pk), ("point", school.pk)]
    point = next(x for x in data["features"] if x["geometry"]["type"] == "Point")
    assert point["geometry"]["coordinates"] == [f.LON, f.LAT]
    assert point["properties"]["url"] == school.get_absolute_url()


def rows_of_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def rows_of_xlsx(response) -> list[tuple]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(book.worksheets[0].iter_rows(values_only=True))


def test_the_export_holds_the_filtered_list_with_formulas_neutralised(client, place, other_place):
    make(place, 3, kind="residential")
    f.construction_object(municipality=place, name="=HYPERLINK(\"http://evil\")", developer="+7 ООО", kind="social")
    f.construction_object(municipality=other_place, name="Склад", lat=44.2, lon=40.2)
    url = reverse("construction:objects_export")
    response = client.get(url, {"format": "csv", "municipality": place.pk})
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = rows_of_csv(response)
    listed = client.get(reverse("construction:home"), {"municipality": place.pk}).context["total"]
    assert len(rows) - 1 == listed == 4
    evil = next(row for row in rows if "HYPERLINK" in row[1])
    assert evil[1].startswith("'=") and evil[7].startswith("'+")
    assert "Склад" not in {row[1] for row in rows}

    response = client.get(url, {"format": "xlsx", "municipality": place.pk, "kind": "social"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = rows_of_xlsx(response)
    assert len(rows) - 1 == 1 and rows[1][1].startswith("'=")
    assert rows[0][0] == "No." and rows[1][10] is not None  # a date cell


def test_the_export_refuses_an_unknown_format(client, place):
    assert client.get(reverse("construction:objects_export"), {"format": "pdf"}).status_code == 400


def test_the_card_shows_every_field_files_and_history_escaped(client, place):
    keeper = f.keeper()
    obj = object_create(actor=keeper, name="<script>alert(1)</script> Дом", address="ул. Красная, 1", lat=f.LAT,
                        lon=f.LON, developer="ООО «Стройка»", developer_inn="2308000000", permit_number="23-RU-77",
                        permit_date=date(2026, 1, 1), permit_valid_until=date(2028, 1, 1), approved_floors=9,
                        approved_area="5400", purpose="многоквартирный дом", cadastral_number="23:43:0123456:789")
    object_update(actor=keeper, construction_object=obj, note="Уточнена <b>этажность</b>", approved_floors=10)
    object_attach(actor=keeper, construction_object=obj, upload=image_upload(), kind="photo")
    response = client.get(obj.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for text in ("23-RU-77", "2308000000", "23:43:0123456:789", "многоквартирный дом", "Краснодар", "01.01.2028"):
        assert text in page
    assert "Уточнена &lt;b&gt;этажность&lt;/b&gt;" in page and "<del>9</del> → 10" in page
    assert "site.png" in page and 'id="krai-object-geojson"' in page
    with contextlib.suppress(NoReverseMatch):  # the verification part's page, once it is there
        assert f'{reverse("construction:request_new")}?object={obj.pk}' in page
    assert reverse("construction:object_edit", args=[obj.pk]) not in page  # not for the public
    assert client.get(reverse("construction:object", args=[obj.pk + 1000])).status_code == 404


def test_the_keepers_pages_are_404_for_anyone_else(client, place):
    obj = f.construction_object(municipality=place)
    client.force_login(f.resident())
    assert client.get(reverse("construction:object_new")).status_code == 404
    assert client.get(reverse("construction:object_edit", args=[obj.pk])).status_code == 404
    assert client.post(reverse("construction:object_files", args=[obj.pk]), {"kind": "photo"}).status_code == 404


def test_a_keeper_enters_and_changes_an_object_through_the_pages(client, place):
    keeper = f.keeper()
    client.force_login(keeper)
    data = {"name": "Детский сад", "kind": "social", "stage": "permit_issued", "address": "ул. Садовая, 5",
            "lat": f.LAT, "lon": f.LON, "polygon": "", "municipality": "", "cadastral_number": "23:43:1234567:1",
            "developer": "МКУ", "developer_inn": "", "permit_number": "P-1", "permit_date": "2026-02-01",
            "permit_authority": "", "permit_valid_until": "2027-02-01", "approved_floors": "3",
            "approved_area": "1500", "purpose": "", "description": "", "inspection_body": ""}
    response = client.post(reverse("construction:object_new"), {**data, "approved_floors": "300"})
    assert response.status_code == 200 and "from 1 to 200" in response.content.decode()
    assert not ConstructionObject.objects.exists()
    response = client.post(reverse("construction:object_new"), data)
    obj = ConstructionObject.objects.get()
    assert response.status_code == 302 and response["Location"] == obj.get_absolute_url()
    assert obj.municipality == place
    edit = reverse("construction:object_edit", args=[obj.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {**data, "stage": "commissioned", "approved_floors": "4", "note": "Введён"})
    obj.refresh_from_db()
    assert response.status_code == 302 and obj.stage == "commissioned" and obj.approved_floors == 4
    response = client.post(edit, {**data, "stage": "suspended", "approved_floors": "4", "note": ""})
    assert "with a note" in response.content.decode()
    obj.refresh_from_db()
    assert obj.stage == "commissioned"
    response = client.post(reverse("construction:object_files", args=[obj.pk]),
                           {"kind": "photo", "file": image_upload()})
    assert response.status_code == 302 and "site.png" in client.get(obj.get_absolute_url()).content.decode()
