"""Pages: a publisher creates a dataset and uploads versions; a reader finds, filters, maps and downloads it."""

import pytest

from krai.opendata.models import Dataset, DatasetVersion
from krai.opendata.tests.factories import VALID_CSV, csv_upload

pytestmark = pytest.mark.django_db

STRUCTURE = ('[{"name": "name", "type": "string", "required": true, "title": "Имя", "description": "Имя"},'
             ' {"name": "lat", "type": "number", "description": "Широта"},'
             ' {"name": "lon", "type": "number", "description": "Долгота"}]')


def test_publisher_creates_uploads_and_reader_finds_filters_maps_downloads(client, owner, publisher):
    client.force_login(publisher)
    response = client.post("/workspace/opendata/new/", {
        "owner": owner.pk, "code": "wells", "title": "Колодцы", "description": "Колодцы края", "keywords": "вода",
        "frequency": "yearly", "licence": "CC-BY-4.0", "structure": STRUCTURE, "status": "published"})
    assert response.status_code == 302
    dataset = Dataset.objects.get(identifier="2308000001-wells")
    page = f"/workspace/opendata/{dataset.identifier}/"
    bad = client.post(page, {"action": "upload", "file": csv_upload("name,lat,lon\n,45,x\n")})
    assert bad.status_code == 400 and not DatasetVersion.objects.exists()
    good = client.post(page, {"action": "upload",
                              "file": csv_upload("name,lat,lon\nСеверный,45.1,39.1\nЮжный,44.9,38.9\n")})
    assert good.status_code == 302 and DatasetVersion.objects.get().row_count == 2
    assert client.get(page).status_code == 200
    client.logout()

    assert dataset.title in client.get("/opendata/", {"q": "колодцы"}).content.decode()
    assert dataset.title not in client.get("/opendata/", {"q": "нефть"}).content.decode()
    detail = client.get(f"/opendata/{dataset.identifier}/")
    assert detail.status_code == 200 and b'typeof="foaf:Document"' in detail.content
    table = client.get(f"/opendata/{dataset.identifier}/table/",
                       {"f_field": "name", "f_op": "eq", "f_value": "Южный"}, HTTP_HX_REQUEST="true")
    assert table.status_code == 200 and "Южный" in table.content.decode() and "Северный" not in table.content.decode()
    points = client.get(f"/opendata/{dataset.identifier}/map.geojson").json()
    assert len(points["features"]) == 2
    export = client.get(f"/opendata/{dataset.identifier}/export.csv", {"name": "Южный"})
    assert b"".join(export.streaming_content).decode().count("\n") == 2


def test_catalogue_facets(client, dataset, publisher):
    from krai.opendata import services

    services.version_upload(actor=publisher, dataset=dataset, upload=csv_upload(VALID_CSV))
    response = client.get("/opendata/", {"owner": dataset.owner.code, "format": "csv"})
    assert response.status_code == 200 and dataset.title in response.content.decode()
    assert dataset.title not in client.get("/opendata/", {"subject": "nothing"}).content.decode()
    page = client.get(f"/opendata/{dataset.identifier}/")
    assert b'id="od-chart-spec"' in page.content and b'id="od-map"' in page.content  # a date, numbers, coordinates


def test_workspace_needs_staff(client, citizen, dataset, stranger):
    client.force_login(citizen)
    assert client.get("/workspace/opendata/").status_code == 403
    client.force_login(stranger)
    assert client.get("/workspace/opendata/").status_code == 200
    assert client.get(f"/workspace/opendata/{dataset.identifier}/").status_code == 404
