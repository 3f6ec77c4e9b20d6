"""The registry's API: anyone reads (the list by the page's filters, paged; one object; its history; the GeoJSON),
keepers write (create, change, stage with a note, files), a resident is refused (403) and an anonymous caller
told to sign in (401), with nothing changed; bad input is a 400 by field."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from krai.construction.models import ConstructionObject
from krai.construction.tests import factories as f
from krai.construction.tests.test_objects_services import (
    image_upload,
)
from krai.core.events.models import Event

pytestmark = pytest.mark.django_db

NEW = {"name": "Бизнес-центр", "address": "Краснодар, ул. Северная, 300", "kind": "commercial", "lat": f.LAT,
       "lon": f.LON, "approved_floors": 16, "approved_area": "12000.50", "developer_inn": "2308000000",
       "permit_number": "23-RU-9", "permit_date": "2026-03-01", "permit_valid_until": "2029-03-01"}


@pytest.fixture
def api():
    client = APIClient()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def place():
    return f.municipality(name="Краснодар")


def test_anyone_reads_the_list_an_object_its_history_and_the_geojson(api, place):
    objects = [f.construction_object(municipality=place, name=f"Объект {n}", kind="residential") for n in range(3)]
    f.construction_object(municipality=place, name="Школа", kind="social")
    response = api.get(reverse("construction-objects"), {"kind": "residential", "page_size": 2})
    assert response.status_code == 200 and response.data["count"] == 3 and len(response.data["results"]) == 2
    last = api.get(response.data["next"])
    assert [row["name"] for row in last.data["results"]] == ["Объект 2"]
    detail = api.get(reverse("construction-objects-detail", args=[objects[0].pk])).json()
    assert detail["municipality_name"] == "Краснодар" and detail["stage_label"] == "under construction"
    assert detail["documents"] == [] and detail["photos"] == []
    history = api.get(reverse("construction-objects-history", args=[objects[0].pk]))
    assert history.status_code == 200 and history.data["count"] == 0
    geojson = api.get(reverse("construction-objects-geojson"), {"kind": "social"}).json()
    assert [feature["properties"]["name"] for feature in geojson["features"]] == ["Школа"]
    assert api.get(reverse("construction-objects-geojson"), {"bbox": "1,2,3"}).status_code == 400
    assert api.get(reverse("construction-objects-detail", args=[999999])).status_code == 404


def test_a_keeper_creates_changes_and_attaches(api, place):
    api.force_authenticate(f.keeper())
    response = api.post(reverse("construction-objects"), NEW, format="json")
    assert response.status_code == 201, response.content
    pk = response.data["id"]
    assert response.data["municipality"] == place.pk and response.data["approved_area"] == "12000.50"
    url = reverse("construction-objects-detail", args=[pk])
    response = api.patch(url, {"stage": "commissioned", "note": "Введён в эксплуатацию"}, format="json")
    assert response.status_code == 200 and response.data["stage"] == "commissioned"
    response = api.patch(url, {"stage": "suspended"}, format="json")
    assert response.status_code == 400 and "note" in response.json()["error"]["fields"]
    response = api.post(reverse("construction-objects-files", args=[pk]), {"kind": "photo", "file": image_upload()},
                        format="multipart")
    assert response.status_code == 201 and response.data["name"] == "site.png"
    assert [p["name"] for p in api.get(url).data["photos"]] == ["site.png"]
    history = api.get(reverse("construction-objects-history", args=[pk])).json()
    assert [row["changes"][0]["field"] for row in history["results"]][:2] == ["photo", "stage"]
    assert history["results"][1]["note"] == "Введён в эксплуатацию"


def test_bad_input_is_refused_by_field(api, place):
    api.force_authenticate(f.keeper())
    response = api.post(reverse("construction-objects"), {**NEW, "cadastral_number": "12345", "developer_inn": "1"},
                        format="json")
    assert response.status_code == 400
    assert {"cadastral_number", "developer_inn"} <= set(response.json()["error"]["fields"])
    response = api.post(reverse("construction-objects"), {**NEW, "lat": 55.7, "lon": 37.6}, format="json")
    assert response.status_code == 400 and "outside the region" in response.json()["error"]["fields"]["lat"][0]
    assert not ConstructionObject.objects.exists()


@pytest.mark.parametrize(("who", "code"), [("anonymous", 401), ("resident", 403)])
def test_others_may_not_write(api, place, who, code):
    obj = f.construction_object(municipality=place)
    if who == "resident":
        api.force_authenticate(f.resident())
    assert api.post(reverse("construction-objects"), NEW, format="json").status_code == code
    url = reverse("construction-objects-detail", args=[obj.pk])
    assert api.patch(url, {"approved_floors": 2}, format="json").status_code == code
    response = api.post(reverse("construction-objects-files", args=[obj.pk]), {"kind": "photo",
                                                                              "file": image_upload()},
                        format="multipart")
    assert response.status_code == code
    obj.refresh_from_db()
    assert ConstructionObject.objects.count() == 1 and obj.approved_floors == 9
    assert not Event.objects.filter(kind__startswith="construction.").exists()
