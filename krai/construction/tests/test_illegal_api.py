"""API of the illegal constructions: the public list with filters and pages, one entry with its measures, entering
and changing one and recording a measure (the keepers; a resident is refused with 403 and nothing changes), the
owner shown to the public only when an organisation, the report as PDF."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from krai.construction.models import IllegalConstruction, Measure
from krai.construction.tests.factories import LAT, LON, illegal_construction, keeper, municipality, resident
from krai.core.events.models import Event
from krai.monitoring.lawsuits.models import CourtCase
from krai.org.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/construction/illegal/"
TODAY = timezone.localdate()


@pytest.fixture
def world():
    return SimpleNamespace(town=municipality(name="Краснодар"), keeper=keeper(), resident=resident())


def test_the_list_is_public_filtered_and_paged(client, world):
    for n in range(3):
        illegal_construction(municipality=world.town, address=f"Краснодар, ул. Садовая, {n}", owner="Петров П. П.")
    illegal_construction(municipality=world.town, address="Краснодар, пустырь", lat=None, lon=None,
                         location="not_found", status="demolished", owner="АО «Дом»")
    body = client.get(API, {"page_size": 2}).json()
    assert body["count"] == 4 and len(body["results"]) == 2 and body["next"]
    assert {row["owner"] for row in client.get(API).json()["results"]} == {"", "АО «Дом»"}
    only = client.get(API, {"not_found": "true"}).json()["results"]
    assert [row["address"] for row in only] == ["Краснодар, пустырь"] and only[0]["lat"] is None
    assert client.get(API, {"status": "demolished", "municipality": world.town.pk}).json()["count"] == 1
    assert client.get(API, {"status": "nonsense"}).status_code == 400
    assert client.get(API, {"municipality": 99999}).status_code == 400


def test_a_keeper_enters_changes_and_records_measures(client, world):
    client.force_login(world.keeper)
    created = client.post(API, {"address": "Краснодар, у рынка", "found_on": (TODAY - timedelta(days=9)).isoformat(),
                                "lat": LAT, "lon": LON, "owner": "Сидоров С. С."}, content_type="application/json")
    assert created.status_code == 201, created.content
    entry = created.json()
    assert (entry["location"], entry["municipality"], entry["owner"]) == ("given", world.town.pk, "Сидоров С. С.")
    url = f"{API}{entry['id']}/"
    changed = client.patch(url, {"status": "measures", "cadastral_number": "23:43:0301001:5"},
                           content_type="application/json")
    assert changed.status_code == 200 and changed.json()["cadastral_number"] == "23:43:0301001:5"
    case = CourtCase.objects.create(number="А32-1/2026", court="АС КК", organisation=OrganisationFactory(),
                                    our_side="plaintiff", filed_on=TODAY)
    measured = client.post(f"{url}measures/", {"kind": "court_case", "taken_on": TODAY.isoformat(),
                                               "court_case": case.pk}, content_type="application/json")
    assert measured.status_code == 201, measured.content
    assert measured.json()["measures"][0]["court_case"] == case.pk
    refused = client.post(f"{url}measures/", {"kind": "fine", "taken_on": TODAY.isoformat()},
                          content_type="application/json")
    assert refused.status_code == 400 and "amount" in refused.json()["error"]["fields"]
    demolished = client.post(f"{url}measures/", {"kind": "demolished", "taken_on": TODAY.isoformat()},
                             content_type="application/json")
    assert demolished.json()["status"] == "demolished"
    client.logout()
    public = client.get(url).json()
    assert public["owner"] == "" and public["measures"][0]["court_case"] is None
    assert client.get(f"{API}{entry['id'] + 999}/").status_code == 404


def test_a_resident_is_refused_and_nothing_changes(client, world):
    entry = illegal_construction(municipality=world.town)
    assert client.post(API, {"address": "x", "found_on": TODAY.isoformat()},
                       content_type="application/json").status_code == 401
    client.force_login(world.resident)
    assert client.post(API, {"address": "x", "found_on": TODAY.isoformat(), "lat": LAT, "lon": LON},
                       content_type="application/json").status_code == 403
    assert client.patch(f"{API}{entry.pk}/", {"status": "demolished"},
                        content_type="application/json").status_code == 403
    assert client.post(f"{API}{entry.pk}/measures/", {"kind": "demolished", "taken_on": TODAY.isoformat()},
                       content_type="application/json").status_code == 403
    entry.refresh_from_db()
    assert entry.status == "identified" and IllegalConstruction.objects.count() == 1 and not Measure.objects.exists()
    assert not Event.objects.filter(kind__startswith="construction.").exists()


def test_bad_input_is_named_by_field(client, world):
    client.force_login(world.keeper)
    response = client.post(API, {"address": "Далеко", "found_on": TODAY.isoformat(), "lat": 10, "lon": 10},
                           content_type="application/json")
    assert response.status_code == 400 and "outside the region" in response.json()["error"]["fields"]["lat"][0]
    response = client.post(API, {"address": "x", "found_on": TODAY.isoformat(), "object": 12345},
                           content_type="application/json")
    assert response.status_code == 400 and "object" in response.json()["error"]["fields"]
    assert not IllegalConstruction.objects.exists()


def test_the_report_pdf(client, world):
    illegal_construction(municipality=world.town)
    response = client.get(f"{API}report.pdf", {"municipality": world.town.pk, "from": "2020-01-01"},
                          HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client.get(f"{API}report.pdf").status_code == 200
    bad = client.get(f"{API}report.pdf", {"from": "2026-05-01", "to": "2026-01-01"})
    assert bad.status_code == 400 and "to" in bad.json()["error"]["fields"]
