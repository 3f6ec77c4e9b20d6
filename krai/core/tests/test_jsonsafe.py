"""JSON nested thousands deep is a clear 400 on every way JSON comes in, never a RecursionError (500)."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from krai.core import jsonsafe
from krai.opendata import services
from krai.opendata.models import DatasetVersion
from krai.opendata.tests.factories import DatasetFactory
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign

DEEP = "[" * 5000 + "]" * 5000


def _deep_object(key: str) -> str:
    return '{"%s": %s}' % (key, DEEP)  # noqa: UP031 (a JSON text, not a format of values)


def test_loads_refuses_depth_and_broken_characters_but_not_brackets_in_text():
    with pytest.raises(jsonsafe.JSONInputError, match="100"):
        jsonsafe.loads(DEEP)
    with pytest.raises(ValueError):  # callers that catch ValueError catch this too
        jsonsafe.loads("[" * (jsonsafe.MAX_DEPTH + 1) + "]" * (jsonsafe.MAX_DEPTH + 1))
    nested = "[" * jsonsafe.MAX_DEPTH + "]" * jsonsafe.MAX_DEPTH
    assert jsonsafe.loads(nested) is not None
    text = json.dumps({"a": "[" * 5000, "b": ['\\"[[{{' * 1000]})
    assert jsonsafe.loads(text)["a"] == "[" * 5000
    assert jsonsafe.loads('["\\ud83d\\ude00"]') == ["😀"]  # a surrogate pair is one character
    with pytest.raises(jsonsafe.JSONInputError):
        jsonsafe.loads('{"name": "\\ud800"}')


@pytest.fixture
def publisher(db):
    owner = OrganisationFactory(inn="2308000001", code="education")
    user = StaffFactory()
    assign(user, Role.EXECUTOR, organisation=owner)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ["accounts-register", "problems-report", "opendata-create"])
def test_rest_api_refuses_deep_json_with_400(client, publisher, citizen, endpoint):
    if endpoint == "accounts-register":
        url = "/api/v1/accounts/register/"
    elif endpoint == "problems-report":
        client.force_login(citizen)
        url = "/api/v1/problems/"
    else:
        client.force_login(publisher)
        url = "/api/v1/opendata/datasets/"
    response = client.post(url, _deep_object("structure"), content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    error = response.json()["error"]
    assert error["code"] == "parse_error" and "100" in error["message"]


@pytest.mark.django_db
def test_ckan_refuses_deep_json_body_and_parameter(client):
    post = client.post("/api/3/action/package_search", _deep_object("q"), content_type="application/json")
    get = client.get("/api/3/action/datastore_search", {"resource_id": "x", "filters": DEEP})
    for response in (post, get):
        assert response.status_code == 409, response.content[:300]
        assert response.json()["error"]["__type"] == "Validation Error"


@pytest.mark.django_db
def test_open_data_refuses_deep_json_upload_and_structure(client, publisher):
    dataset = DatasetFactory(owner=publisher.role_assignments.first().organisation, identifier="2308000001-deep")
    client.force_login(publisher)
    url = f"/api/v1/opendata/datasets/{dataset.identifier}/versions/"
    upload = SimpleUploadedFile("rows.json", ('[{"name": %s}]' % DEEP).encode(),  # noqa: UP031
                                content_type="application/json")
    response = client.post(url, {"file": upload})
    assert response.status_code == 400 and response.json()["error"]["code"] == "json"
    assert not DatasetVersion.objects.exists()
    page = client.post(f"/workspace/opendata/{dataset.identifier}/", {
        "action": "passport", "title": "Набор", "frequency": "yearly", "licence": "CC-BY-4.0", "status": "draft",
        "structure": DEEP})
    assert page.status_code == 200 and "100" in " ".join(page.context["form"].errors["structure"])
    with pytest.raises(ValidationError, match="100"):
        services.dataset_update(actor=publisher, dataset=dataset, structure=DEEP)
    dataset.refresh_from_db()
    assert dataset.fields[0]["name"] == "name"  # nothing changed
