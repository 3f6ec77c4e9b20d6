"""Anonymous reads of public rows on the lean WSGI path (krai.core.lean) and the rows API's fast JSON path.

The Django test client has its own handler, so these tests call the project's WSGI application itself.
"""

from __future__ import annotations

import json

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import RequestFactory

from krai.core.lean import LeanDispatch, registered
from krai.opendata import selectors, services
from krai.opendata.models import Dataset
from krai.opendata.tests.factories import VALID_CSV, csv_upload

pytestmark = pytest.mark.django_db
SECURITY = ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
            "Cross-Origin-Opener-Policy", "X-Request-ID")


@pytest.fixture(scope="module")
def apps():
    full = WSGIHandler()
    return full, LeanDispatch(full)


@pytest.fixture
def loaded(dataset, publisher):
    services.version_upload(actor=publisher, dataset=dataset, upload=csv_upload(), provenance="first")
    return dataset


def call(app, path: str, data: dict | None = None, **headers) -> tuple[int, dict[str, str], bytes]:
    environ = RequestFactory().get(path, data or {}, headers=headers).environ
    answer: dict = {}

    def start_response(status: str, header_list: list) -> None:
        answer["status"], answer["headers"] = int(status.split()[0]), dict(header_list)

    # as Django's test client does: the request signals would close the test's connection (its open transaction)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = app(environ, start_response)
        body = b"".join(result)
        result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body


def rows_url(dataset: Dataset) -> str:
    return f"/api/v1/opendata/datasets/{dataset.identifier}/rows/"


def test_only_anonymous_gets_of_registered_views_are_lean(apps, loaded):
    _full, dispatch = apps
    assert {"opendata-rows", "opendata:ckan-action"} <= registered()
    factory = RequestFactory()
    assert dispatch.is_lean(factory.get(rows_url(loaded)).environ)
    assert dispatch.is_lean(factory.get("/api/3/action/datastore_search").environ)
    assert not dispatch.is_lean(factory.get(rows_url(loaded), headers={"Cookie": "sessionid=abc"}).environ)
    assert not dispatch.is_lean(factory.get(rows_url(loaded), headers={"Authorization": "Token x"}).environ)
    assert not dispatch.is_lean(factory.post("/api/3/action/datastore_search").environ)
    assert not dispatch.is_lean(factory.get(f"/api/v1/opendata/datasets/{loaded.identifier}/").environ)
    assert not dispatch.is_lean(factory.get("/no/such/page/").environ)


@pytest.mark.parametrize("path, data", [
    ("rows", {"category": "schools", "total": "1", "limit": 1}),
    ("rows", {"nope": "1"}),  # an error, answered by DRF's view in the API's format
    ("rows", {"format": "xml"}),
    ("/api/3/action/datastore_search", {"resource_id": "2308000001-schools", "filters": '{"category": "schools"}'}),
])
def test_lean_answers_as_the_full_path_does(apps, loaded, path, data):
    full, lean = apps
    path = rows_url(loaded) if path == "rows" else path
    a_status, a_headers, a_body = call(full, path, data)
    b_status, b_headers, b_body = call(lean, path, data)
    assert (a_status, a_body) == (b_status, b_body)
    a_headers.pop("X-Request-ID"), b_headers.pop("X-Request-ID")
    assert a_headers == b_headers
    for name in SECURITY[:-1]:
        assert b_headers[name]


def test_lean_path_keeps_request_id_and_language(apps, loaded):
    _full, lean = apps
    status, headers, _body = call(lean, rows_url(loaded), {"limit": 1}, **{"X-Request-ID": "abc-123"})
    assert status == 200 and headers["X-Request-ID"] == "abc-123" and "Cookie" in headers["Vary"]
    _s, _h, russian = call(lean, rows_url(loaded), {"nope": "1"}, **{"Accept-Language": "ru"})
    status, headers, english = call(lean, rows_url(loaded), {"nope": "1"}, **{"Accept-Language": "en"})
    assert status == 400 and headers["Content-Language"] == "en"
    error = json.loads(english)["error"]
    assert error["code"] == "invalid_query" and "Unknown field" in error["message"]
    assert json.loads(russian)["error"]["message"] != error["message"]


def test_drafts_stay_hidden_on_the_lean_path(apps, loaded):
    _full, lean = apps
    Dataset.objects.filter(pk=loaded.pk).update(status=Dataset.Status.DRAFT)
    status, _headers, body = call(lean, rows_url(loaded))
    assert status == 404 and "error" in json.loads(body)
    status, _headers, body = call(lean, "/api/3/action/datastore_search", {"resource_id": loaded.identifier})
    assert status == 404 and json.loads(body)["error"]["__type"] == "Not Found Error"
    assert selectors.published_resource(loaded.identifier) is None


def test_a_new_version_is_seen_at_once(apps, loaded, publisher):
    _full, lean = apps
    first = json.loads(call(lean, rows_url(loaded), {"category": "schools", "total": "1"})[2])
    assert first["total"] == 2
    more = VALID_CSV + "Школа №3,schools,100,2012-09-01,45.2,39.1\r\n"
    services.version_upload(actor=publisher, dataset=loaded, upload=csv_upload(more), provenance="second")
    second = json.loads(call(lean, rows_url(loaded), {"category": "schools", "total": "1"})[2])
    assert second["total"] == 3 and second["rows"][-1]["name"] == "Школа №3"
    search = "/api/3/action/datastore_search"
    result = json.loads(call(lean, search, {"resource_id": loaded.identifier, "filters": '{"category": "schools"}'})
                        [2])["result"]
    assert result["total"] == 3 and result["resource_id"] == f"{loaded.identifier}-v2"
    status, _headers, body = call(lean, search, {"resource_id": f"{loaded.identifier}-v1"})  # no longer current
    assert status == 404 and json.loads(body)["error"]["__type"] == "Not Found Error"
