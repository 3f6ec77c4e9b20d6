"""The machine interfaces: the v1 data API, the Russian layout, the CKAN Action API and DCAT."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from krai.opendata import services
from krai.opendata.models import STANDARD_VERSION
from krai.opendata.tests.factories import csv_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(dataset, publisher):
    services.version_upload(actor=publisher, dataset=dataset, upload=csv_upload(), provenance="first")
    return dataset


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


# --- v1 -------------------------------------------------------------------------------------------

def test_rows_filters_sort_and_keyset(client, loaded):
    url = f"/api/v1/opendata/datasets/{loaded.identifier}/rows/"
    body = client.get(url, {"category": "schools", "total": "1", "sort": "-pupils", "limit": 1}).json()
    assert body["total"] == 2 and [r["name"] for r in body["rows"]] == ["Школа №1"]
    second = client.get(url, {"category": "schools", "sort": "-pupils", "limit": 1,
                              "cursor": body["next_cursor"]}).json()
    assert [r["name"] for r in second["rows"]] == ["Школа №2"] and second["next_cursor"] is None
    assert client.get(url, {"pupils__gte": 400, "fields": "name"}).json()["rows"] == [{"_id": 1, "name": "Школа №1"}]
    assert client.get(url, {"pupils__isnull": "true"}).json()["rows"][0]["name"] == "Гимназия"
    assert len(client.get(url, {"q": "школа"}).json()["rows"]) == 2


def test_keyset_walks_every_row_with_nulls(client, loaded):
    url = f"/api/v1/opendata/datasets/{loaded.identifier}/rows/"
    for sort in ("pupils", "-pupils", "opened", "-name", ""):
        seen, cursor = [], None
        for _ in range(10):
            params = {"sort": sort, "limit": 1, **({"cursor": cursor} if cursor else {})}
            body = client.get(url, params).json()
            seen += [r["_id"] for r in body["rows"]]
            cursor = body["next_cursor"]
            if not cursor:
                break
        whole = [r["_id"] for r in client.get(url, {"sort": sort, "limit": 10}).json()["rows"]]
        assert seen == whole and sorted(seen) == [1, 2, 3], sort


def test_rows_bad_query_is_400(client, loaded):
    url = f"/api/v1/opendata/datasets/{loaded.identifier}/rows/"
    assert client.get(url, {"nope": "1"}).status_code == 400
    assert client.get(url, {"pupils__gt": "many"}).status_code == 400
    assert client.get(url, {"cursor": "garbage"}).status_code == 400


def test_rows_as_xml(client, loaded):
    response = client.get(f"/api/v1/opendata/datasets/{loaded.identifier}/rows/", {"format": "xml", "limit": 2})
    assert response.status_code == 200
    root = ET.fromstring(  # noqa: S314
        response.content)
    assert [row.findtext("name") for row in root.findall("row")] == ["Школа №1", "Школа №2"]


def test_api_upload_rejects_with_rows(client, dataset, publisher):
    client.force_login(publisher)
    url = f"/api/v1/opendata/datasets/{dataset.identifier}/versions/"
    bad = csv_upload("name,category,pupils,opened,lat,lon\r\nA,b,x,2001-01-01,1,2\r\n")
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert response.json()["error"]["rows"][0]["column"] == "pupils"
    assert client.post(url, {"file": csv_upload()}).status_code == 201


def test_api_upload_too_large_is_413(client, dataset, publisher, settings):
    settings.KRAI_UPLOAD_MAX_BYTES = 100
    client.force_login(publisher)
    response = client.post(f"/api/v1/opendata/datasets/{dataset.identifier}/versions/", {"file": csv_upload()})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_draft_is_hidden_from_the_public(client, dataset, publisher, stranger):
    dataset.status = "draft"
    dataset.save()
    url = f"/api/v1/opendata/datasets/{dataset.identifier}/"
    assert client.get(url).status_code == 404
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(publisher)
    assert client.get(url).status_code == 200


def test_api_create_dataset(client, owner, publisher):
    client.force_login(publisher)
    response = client.post("/api/v1/opendata/datasets/", {
        "owner": owner.code, "code": "parks", "title": "Парки",
        "structure": [{"name": "name", "type": "string"}]}, content_type="application/json")
    assert response.status_code == 201 and response.json()["identifier"] == "2308000001-parks"


# --- the Russian layout ----------------------------------------------------------------------------

def test_list_and_meta_csv_carry_the_standard_fields(client, loaded):
    rows = _csv(client.get("/opendata/list.csv"))
    assert rows[0] == ["property", "title", "value", "format"]
    assert rows[1][0] == "standardversion" and rows[1][2] == STANDARD_VERSION
    item = next(r for r in rows if r[0] == loaded.identifier)
    assert item[2].endswith(f"/opendata/{loaded.identifier}/meta.csv")
    meta = dict(_csv(client.get(f"/opendata/{loaded.identifier}/meta.csv"))[1:])
    for key in ("standardversion", "identifier", "title", "description", "creator", "created", "modified",
                "subject", "format", "provenance", "valid", "publishername", "publisherphone", "publishermbox"):
        assert key in meta, key
    data_keys = [k for k in meta if k.startswith("data-")]
    structure_keys = [k for k in meta if k.startswith("structure-")]
    assert len(data_keys) == 1 and len(structure_keys) == 1
    data_path = meta[data_keys[0]].split("testserver", 1)[1]
    data = _csv(client.get(data_path))
    assert data[0] == ["name", "category", "pupils", "opened", "lat", "lon"] and len(data) == 4
    structure = _csv(client.get(meta[structure_keys[0]].split("testserver", 1)[1]))
    assert structure[0] == ["field name", "english description", "russian description", "format"]
    assert len(structure) == 7


def test_meta_json_and_xml(client, loaded):
    body = client.get(f"/opendata/{loaded.identifier}/meta.json").json()
    assert body["identifier"] == loaded.identifier and len(body["data"]) == 1 and "publisher" in body
    root = ET.fromstring(  # noqa: S314
        client.get(f"/opendata/{loaded.identifier}/meta.xml").content)
    assert root.tag == "meta" and root.find("data/dataversion/source") is not None
    assert client.get("/opendata/list.json").status_code == 200
    assert ET.fromstring(  # noqa: S314
        client.get("/opendata/list.xml").content).tag == "list"


def test_old_versions_stay_downloadable(client, loaded, publisher):
    services.version_upload(actor=publisher, dataset=loaded, upload=csv_upload("name,category,pupils,opened,lat,lon\n"
                                                                               "Новая,x,1,2020-01-01,45,39\n"))
    old = _csv(client.get(f"/opendata/{loaded.identifier}/versions/1.csv"))
    new = _csv(client.get(f"/opendata/{loaded.identifier}/versions/2.csv"))
    assert len(old) == 4 and len(new) == 2
    assert client.get(f"/opendata/{loaded.identifier}/versions/1.json").status_code == 200


def test_versions_of_one_day_get_distinct_names_in_the_russian_layout(client, loaded, publisher):
    """Three versions on the same day (two within one minute): three names, three files, each its own rows."""
    for n in (2, 3):
        services.version_upload(actor=publisher, dataset=loaded, upload=csv_upload(
            "name,category,pupils,opened,lat,lon\n" + "".join(f"Новая {i},x,{i},2020-01-01,45,39\n"
                                                             for i in range(n))))
    names = list(loaded.versions.order_by("number").values_list("data_name", flat=True))
    assert len(set(names)) == 3, names
    day, structure = names[0][5:13], names[0].split("-structure-")[1]
    assert names[0] == f"data-{day}-structure-{structure}"
    assert names[1].startswith(f"data-{day}T") and names[2].startswith(f"data-{day}T")
    meta = dict(_csv(client.get(f"/opendata/{loaded.identifier}/meta.csv"))[1:])
    assert sorted(k for k in meta if k.startswith("data-")) == sorted(names)
    sizes = [len(_csv(client.get(meta[name].split("testserver", 1)[1]))) - 1 for name in names]
    assert sizes == [3, 2, 3]
    body = client.get(f"/opendata/{loaded.identifier}/meta.json").json()
    assert len({d["source"] for d in body["data"]}) == 3


def test_version_names_are_unique_by_construction():
    import datetime as dt

    from django.utils import timezone

    from krai.opendata.models import version_data_name, version_structure_name

    at = timezone.make_aware(dt.datetime(2026, 3, 5, 9, 7, 30))
    taken: set[str] = set()
    for _ in range(4):
        taken.add(version_data_name(at, "structure-20260301", taken))
    assert sorted(taken) == ["data-20260305-structure-20260301", "data-20260305T0907-2-structure-20260301",
                             "data-20260305T0907-3-structure-20260301", "data-20260305T0907-structure-20260301"]
    structures: set[str] = set()
    for _ in range(3):
        structures.add(version_structure_name(at, structures))
    assert sorted(structures) == ["structure-20260305", "structure-20260305T0907", "structure-20260305T0907-2"]


def test_two_structures_of_one_day_get_distinct_names(client, loaded, publisher):
    """A structure changed the day it was first published: both structure files stay, each with its columns."""
    fields = [*loaded.fields, {"name": "address", "type": "string", "title": "Адрес", "description": "Адрес"}]
    services.dataset_update(actor=publisher, dataset=loaded, structure=fields)
    services.version_upload(actor=publisher, dataset=loaded, upload=csv_upload(
        "name,category,pupils,opened,lat,lon,address\nНовая,x,1,2020-01-01,45,39,ул. Красная\n"))
    first, second = loaded.versions.order_by("number")
    assert first.structure_name != second.structure_name
    assert second.data_name.endswith(f"-{second.structure_name}") and first.data_name != second.data_name
    meta = dict(_csv(client.get(f"/opendata/{loaded.identifier}/meta.csv"))[1:])
    structures = sorted(k for k in meta if k.startswith("structure-"))
    assert structures == sorted([first.structure_name, second.structure_name])
    columns = {name: [r[0] for r in _csv(client.get(meta[name].split("testserver", 1)[1]))[1:]] for name in structures}
    assert columns[first.structure_name] == ["name", "category", "pupils", "opened", "lat", "lon"]
    assert columns[second.structure_name][-1] == "address"
    data = _csv(client.get(meta[second.data_name].split("testserver", 1)[1]))
    assert data[0][-1] == "address" and data[1][-1] == "ул. Красная"


@pytest.mark.parametrize("fmt", ["csv", "json", "xml", "xlsx"])
def test_filtered_export(client, loaded, fmt):
    response = client.get(f"/opendata/{loaded.identifier}/export.{fmt}", {"category": "schools"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    if fmt == "csv":
        assert len(body.decode().strip().splitlines()) == 3
    elif fmt == "json":
        assert len(json.loads(body)) == 2
    elif fmt == "xml":
        assert len(ET.fromstring(  # noqa: S314
        body).findall("row")) == 2
    else:
        assert body[:2] == b"PK"


def test_dcat(client, loaded):
    body = json.loads(client.get("/catalog.jsonld").content)
    assert body["@type"] == "dcat:Catalog" and body["dcat:dataset"][0]["dct:identifier"] == loaded.identifier
    us = client.get("/data.json").json()
    assert us["conformsTo"].endswith("/v1.1/schema") and us["dataset"][0]["identifier"] == loaded.identifier


# --- CKAN ------------------------------------------------------------------------------------------

def test_ckan_envelope_and_errors(client, loaded):
    ok = client.get("/api/3/action/package_list").json()
    assert ok["success"] is True and ok["result"] == [loaded.identifier] and "help" in ok
    missing = client.get("/api/action/package_show", {"id": "nope"})
    assert missing.status_code == 404 and missing.json()["error"]["__type"] == "Not Found Error"
    assert client.get("/api/3/action/no_such_action").status_code == 400
    bad = client.post("/api/action/datastore_search", {"resource_id": loaded.identifier, "filters": {"x": 1}},
                      content_type="application/json")
    assert bad.status_code == 409 and bad.json()["error"]["__type"] == "Validation Error"


def test_ckan_package_search_and_facets(client, loaded):
    body = client.get("/api/3/action/package_search", {
        "q": f"organization:{loaded.owner.code} AND tags:школы", "facet.field": '["organization","tags"]',
        "rows": 5}).json()["result"]
    assert body["count"] == 1 and body["results"][0]["name"] == loaded.identifier
    assert body["search_facets"]["tags"]["items"][0] == {"name": "школы", "display_name": "школы", "count": 1}
    assert client.get("/api/3/action/package_search", {"fq": "tags:nothing"}).json()["result"]["count"] == 0


def test_ckan_datastore_search(client, loaded):
    result = client.post("/api/action/datastore_search", {
        "resource_id": f"{loaded.identifier}-v1", "filters": {"category": "schools"}, "limit": 1,
        "sort": "pupils desc"}, content_type="application/json").json()["result"]
    assert result["total"] == 2 and result["records"][0]["name"] == "Школа №1" and result["records"][0]["_id"] == 1
    assert result["fields"][0] == {"id": "_id", "type": "int"}
    ops = client.get("/api/3/action/datastore_search", {"resource_id": loaded.identifier,
                                                        "filters": '{"pupils": {"gt": 400}}'}).json()["result"]
    assert ops["total"] == 1


def test_ckan_other_actions(client, loaded):
    assert client.get("/api/3/action/organization_list").json()["result"] == [loaded.owner.code]
    org = client.get("/api/3/action/organization_show", {"id": loaded.owner.code,
                                                         "include_datasets": "true"}).json()["result"]
    assert org["package_count"] == 1 and org["packages"][0]["name"] == loaded.identifier
    assert client.get("/api/3/action/group_list").json()["result"] == ["education"]
    assert client.get("/api/3/action/tag_list").json()["result"] == ["школы"]
    resource = client.get("/api/3/action/resource_show", {"id": f"{loaded.identifier}-v1"}).json()["result"]
    assert resource["datastore_active"] is True and resource["package_id"] == loaded.identifier
    status = client.get("/api/3/action/status_show").json()["result"]
    assert "datastore" in status["extensions"]


def test_exports_keep_awkward_values(client, dataset, publisher):
    text = 'name,category,pupils,opened,lat,lon\r\n"Школа ""Радуга""\nкорпус 2",a\\b <&>,1,2001-01-01,45,39\r\n'
    services.version_upload(actor=publisher, dataset=dataset, upload=csv_upload(text))
    name = 'Школа "Радуга"\nкорпус 2'
    for fmt in ("csv", "json", "xml"):
        body = b"".join(client.get(f"/opendata/{dataset.identifier}/export.{fmt}").streaming_content)
        if fmt == "csv":
            assert _csv_text(body)[1][:2] == [name, "a\\b <&>"]
        elif fmt == "json":
            assert json.loads(body)[0]["name"] == name and json.loads(body)[0]["category"] == "a\\b <&>"
        else:
            row = ET.fromstring(body).find("row")  # noqa: S314
            assert row.findtext("name") == name and row.findtext("category") == "a\\b <&>"


def _csv_text(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
