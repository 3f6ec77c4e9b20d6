"""Hostile query inputs on every reader of the datastore answer a clear 400, never a 500 or a cut-off download.

Each case is an input a client can send — a number out of range, a malformed ``fields``, a crafted ``cursor``,
a NUL byte or a lone surrogate — written once for the GET readers (the rows API, the table page, the map,
the exports) and once as the JSON a CKAN client posts to ``datastore_search``.
"""

import base64
import json

import pytest

from krai.opendata import services
from krai.opendata.tests.factories import csv_upload

pytestmark = pytest.mark.django_db

HUGE = "1" + "0" * 30  # past a 64-bit integer
GARBAGE = b"\xff\xfe\x00\x01garbage"


def _cursor(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _ckan_cursor(raw: bytes, *, sort: str = "") -> str:
    return json.dumps({"cursor": _cursor(raw), **({"sort": sort} if sort else {})})


# (id, GET parameters or None where the reader has no such input, CKAN JSON body or None)
CASES = [
    ("int-1e400", {"pupils": "1e400"}, '{"filters": {"pupils": 1e400}}'),
    ("int-nan", {"pupils": "NaN"}, '{"filters": {"pupils": NaN}}'),
    ("int-inf", {"pupils__gt": "Infinity"}, '{"filters": {"pupils": {"gt": Infinity}}}'),
    ("int-minus-inf", {"pupils__lt": "-Infinity"}, '{"filters": {"pupils": {"lt": -Infinity}}}'),
    ("int-huge", {"pupils": HUGE}, f'{{"filters": {{"pupils": {HUGE}}}}}'),
    ("int-in-huge", {"pupils__in": f"1,{HUGE}"}, f'{{"filters": {{"pupils": [1, {HUGE}]}}}}'),
    ("id-1e400", None, '{"filters": {"_id": 1e400}}'),
    ("number-1e400", {"lat": "1e400"}, '{"filters": {"lat": 1e400}}'),
    ("number-nan", {"lat__gte": "nan"}, '{"filters": {"lat": {"gte": NaN}}}'),
    ("number-inf", {"lat__lte": "inf"}, '{"filters": {"lat": {"lte": Infinity}}}'),
    ("number-huge-int", {"lat": "1" + "0" * 400}, '{"filters": {"lat": 1' + "0" * 400 + "}}"),
    ("limit-1e400", {"limit": "1e400"}, '{"limit": 1e400}'),
    ("limit-nan", {"limit": "NaN"}, '{"limit": NaN}'),
    ("limit-inf", {"limit": "Infinity"}, '{"limit": Infinity}'),
    ("limit-minus-inf", {"limit": "-Infinity"}, '{"limit": -Infinity}'),
    ("offset-huge", {"offset": HUGE}, f'{{"offset": {HUGE}}}'),
    ("offset-past-bigint", {"offset": str(2 ** 63)}, f'{{"offset": {2 ** 63}}}'),
    ("offset-1e400", {"offset": "1e400"}, '{"offset": 1e400}'),
    ("offset-nan", {"offset": "nan"}, '{"offset": NaN}'),
    ("fields-unknown", {"fields": "name,nope"}, '{"fields": ["name", "nope"]}'),
    ("fields-duplicate", {"fields": "name,pupils,NAME"}, '{"fields": ["name", "name"]}'),
    ("fields-number", None, '{"fields": [1]}'),
    ("fields-object", None, '{"fields": [{"a": 1}]}'),
    ("fields-scalar", None, '{"fields": 5}'),
    ("fields-null", None, '{"fields": [null, "name"]}'),
    ("fields-dict", None, '{"fields": {"name": 1}}'),
    ("cursor-bad-base64", {"cursor": "!!!!"}, '{"cursor": "!!!!"}'),
    ("cursor-garbage", {"cursor": _cursor(GARBAGE)}, _ckan_cursor(GARBAGE)),
    ("cursor-object", {"cursor": _cursor(b'{"a": 1}')}, _ckan_cursor(b"{}")),
    ("cursor-wrong-types", {"cursor": _cursor(b'["x", 1]')}, _ckan_cursor(b"[true, [1]]")),
    ("cursor-huge-id", {"cursor": _cursor(b"[%s, null]" % HUGE.encode())}, _ckan_cursor(b"[%s, null]" % HUGE.encode())),
    ("cursor-inf-id", {"cursor": _cursor(b"[1e999, null]")}, _ckan_cursor(b"[1e999, null]")),
    ("cursor-huge-value", {"sort": "pupils", "cursor": _cursor(b"[1, %s]" % HUGE.encode())},
     _ckan_cursor(b"[1, %s]" % HUGE.encode(), sort="pupils")),
    ("cursor-text-for-number", {"sort": "-pupils", "cursor": _cursor(b'[1, "abc"]')},
     _ckan_cursor(b'[1, "abc"]', sort="pupils desc")),
    ("cursor-bad-date", {"sort": "opened", "cursor": _cursor(b'[1, "yesterday"]')},
     _ckan_cursor(b'[1, "yesterday"]', sort="opened")),
    ("cursor-nul", {"sort": "name", "cursor": _cursor(b'[1, "a\\u0000"]')},
     _ckan_cursor(b'[1, "a\\u0000"]', sort="name")),
    ("nul-filter", {"name": "a\x00b"}, '{"filters": {"name": "a\\u0000b"}}'),
    ("nul-contains", {"name__contains": "\x00"}, '{"filters": {"name": {"like": "\\u0000"}}}'),
    ("nul-in", {"category__in": "a,\x00"}, '{"filters": {"category": ["a", "\\u0000"]}}'),
    ("nul-q", {"q": "школа \x00"}, '{"q": "школа \\u0000"}'),
    ("nul-q-field", None, '{"q": {"name": "\\u0000"}}'),
    ("surrogate-filter", None, '{"filters": {"name": "\\ud800"}}'),
    ("surrogate-q", None, '{"q": "\\udfff"}'),
    ("nul-resource", None, '{"resource_id": "2308000001-schools\\u0000"}'),
]

GET_READERS = {
    "rows-api": "/api/v1/opendata/datasets/{id}/rows/",
    "table-page": "/opendata/{id}/",
    "table-fragment": "/opendata/{id}/table/",
    "map": "/opendata/{id}/map.geojson",
    "export-csv": "/opendata/{id}/export.csv",
    "export-json": "/opendata/{id}/export.json",
    "export-xml": "/opendata/{id}/export.xml",
    "export-xlsx": "/opendata/{id}/export.xlsx",
}


@pytest.fixture
def loaded(dataset, publisher):
    services.version_upload(actor=publisher, dataset=dataset, upload=csv_upload(), provenance="first")
    return dataset


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _refusal(reader: str, response) -> str:
    """What is wrong with a reader's answer to a hostile input ("" when it is the clear refusal expected)."""
    body = _body(response)
    if reader == "table-fragment":
        # htmx swaps only 2xx answers: the fragment shows the reason in place of the table
        return "" if response.status_code == 200 and b"alert-warning" in body else f"{response.status_code}"
    if response.status_code != 400:
        return f"{response.status_code} {body[:200]!r}"
    if reader == "rows-api":
        error = json.loads(body)["error"]
        ok = error["status"] == 400 and error["code"] == "invalid_query" and error["message"]
    elif reader == "map":
        ok = bool(json.loads(body)["error"])
    elif reader == "table-page":
        ok = b"alert-warning" in body
    else:  # a download: the reason as text, and no file begun
        ok = response["Content-Type"].startswith("text/plain") and not response.streaming and body.strip()
    return "" if ok else f"400 without the reason: {body[:200]!r}"


GET_CASES = [c for c in CASES if c[1] is not None]


@pytest.mark.parametrize(("case", "params"), [c[:2] for c in GET_CASES], ids=[c[0] for c in GET_CASES])
def test_get_readers_answer_400(client, loaded, case, params):
    wrong = {}
    for reader, url in GET_READERS.items():
        if reader.startswith("export") and ("cursor" in params or "offset" in params):
            continue  # a download is whole (or filtered): it takes no page position
        headers = {"HTTP_HX_REQUEST": "true"} if reader == "table-fragment" else {}
        problem = _refusal(reader, client.get(url.format(id=loaded.identifier), params, **headers))
        if problem:
            wrong[reader] = problem
    assert not wrong


@pytest.mark.parametrize(("case", "ckan"), [(c[0], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_ckan_datastore_search_answers_a_validation_error(client, loaded, case, ckan):
    body = {"resource_id": loaded.identifier}
    answers = {"post": client.post("/api/3/action/datastore_search", json.dumps(body)[:-1] + ", " + ckan[1:],
                                   content_type="application/json")}
    if "\\ud" not in ckan:  # a query string cannot carry a lone surrogate
        # a GET carries lists, dicts and numbers as JSON text, strings as they are
        query = {**body, **{key: value if isinstance(value, str) else json.dumps(value)
                            for key, value in json.loads(ckan).items()}}
        answers["get"] = client.get("/api/3/action/datastore_search", query)
    wrong = {}
    for method, response in answers.items():
        answer = response.json()
        if response.status_code not in (400, 404, 409) or answer["success"] is not False or answer["error"][
                "__type"] not in ("Validation Error", "Search Query Error", "Not Found Error"):
            wrong[method] = (response.status_code, response.content[:200])
    assert not wrong


def test_export_with_an_unknown_field_is_refused_before_the_download_starts(client, loaded):
    response = client.get(f"/opendata/{loaded.identifier}/export.csv", {"fields": "name,nope"})
    assert response.status_code == 400 and not response.streaming
    assert "nope" in response.content.decode()


def test_refusals_stop_at_what_is_broken(client, dataset, publisher):
    """Big but valid numbers, deep offsets, known fields in any case and operands outside a field's constraints
    (a question, not a row to store) still read."""
    for spec in dataset.structure["fields"]:
        spec.update({"pupils": {"minimum": 0}, "category": {"enum": ["schools", "gymnasium"]}}.get(spec["name"], {}))
    dataset.save()
    services.version_upload(actor=publisher, dataset=dataset, upload=csv_upload())
    url = f"/api/v1/opendata/datasets/{dataset.identifier}/rows/"
    assert client.get(url, {"pupils__lt": str(2 ** 63 - 1), "lat__gt": "-1e300"}).json()["rows"][0]["_id"] == 1
    assert client.get(url, {"pupils__lt": "-1"}).json()["rows"] == []
    assert client.get(url, {"category": "lyceum"}).json()["rows"] == []
    assert client.get(url, {"offset": str(10 ** 9)}).json()["rows"] == []
    assert client.get(url, {"limit": HUGE}).status_code == 200  # a limit is capped, not refused
    assert client.get(url, {"fields": "NAME,pupils"}).json()["rows"][0] == {"_id": 1, "name": "Школа №1",
                                                                             "pupils": 500}
    ckan = client.post("/api/3/action/datastore_search", {"resource_id": dataset.identifier, "offset": 10 ** 9,
                                                          "filters": {"pupils": {"lt": 2 ** 63 - 1}}},
                       content_type="application/json")
    assert ckan.status_code == 200 and ckan.json()["result"]["records"] == []
