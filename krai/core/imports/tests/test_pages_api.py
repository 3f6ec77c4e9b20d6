"""The import journey through the pages (upload → check the mapping → stored or errors) and the API."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from krai.accounts.tests.factories import make_token
from krai.core.imports import registry
from krai.core.imports.models import ImportRecord
from krai.core.imports.tests.test_kernel import GroupImporter
from krai.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def importer():
    registry.register(GroupImporter())
    yield
    registry.unregister("test.groups")


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True)
    client.force_login(user)
    return user


def csv_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("groups.csv", text.encode(), content_type="text/csv")


def test_the_page_journey_maps_a_column_by_hand_and_stores_every_row(client, staff):
    index = client.get(reverse("imports:index"))
    assert index.status_code == 200 and reverse("imports:start", args=["test.groups"]) in index.content.decode()
    start = client.get(reverse("imports:start", args=["test.groups"]))
    assert "Код" in start.content.decode() and start.status_code == 200
    template = client.get(reverse("imports:template", args=["test.groups"]))
    assert template.content.decode("utf-8-sig").strip() == "code,name,opened"
    response = client.post(reverse("imports:start", args=["test.groups"]),
                           {"file": csv_file("Код,Название,Открыто\n1,Школа,2024-01-31\n2,Сад,\n")})
    record = ImportRecord.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:record", args=[record.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'name="code"' in page and "Школа" in page  # the mapping form and the sample
    assert Group.objects.count() == 0
    done = client.post(response["Location"], {"code": "Код", "name": "Название", "opened": "Открыто"})
    assert done.status_code == 302
    assert sorted(Group.objects.values_list("name", flat=True)) == ["1 Школа", "2 Сад"]
    assert 'data-status="stored"' in client.get(done["Location"]).content.decode()


def test_a_broken_row_shows_its_row_and_column_and_stores_nothing(client, staff):
    client.post(reverse("imports:start", args=["test.groups"]),
                {"file": csv_file("code,name\n1,Школа\nx,Сад\n")})
    record = ImportRecord.objects.get()
    response = client.post(reverse("imports:record", args=[record.pk]), {"code": "code", "name": "name"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "<td>3</td><td>code</td><td>x</td>" in page
    assert Group.objects.count() == 0
    assert ImportRecord.objects.get().status == "rejected"


def test_someone_else_cannot_see_or_confirm_an_import(client, staff):
    client.post(reverse("imports:start", args=["test.groups"]), {"file": csv_file("code,name\n1,a\n")})
    record = ImportRecord.objects.get()
    other = UserFactory(is_staff=True)
    client.force_login(other)
    assert client.get(reverse("imports:record", args=[record.pk])).status_code == 404
    assert client.post(reverse("imports:record", args=[record.pk]), {"code": "code", "name": "name"}).status_code == 404
    resident = UserFactory()
    client.force_login(resident)
    assert client.get(reverse("imports:start", args=["test.groups"])).status_code == 403
    assert Group.objects.count() == 0


def test_the_api_previews_confirms_and_reports_rows(client):
    user = UserFactory(is_staff=True)
    _token, key = make_token(user, scopes=("read", "write", "imports:write"))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    preview = client.post("/api/v1/imports/test.groups/preview/", {"file": csv_file("A,name\n1,a\n2,b\n")}, **auth)
    assert preview.status_code == 201, preview.content
    body = preview.json()
    assert body["mapping"] == {"name": "name"} and body["status"] == "previewed"
    confirm = client.post(f"/api/v1/imports/{body['id']}/confirm/", json.dumps({"mapping": {"code": "A",
                                                                                             "name": "name"}}),
                          content_type="application/json", **auth)
    assert confirm.status_code == 200, confirm.content
    assert confirm.json()["status"] == "stored" and Group.objects.count() == 2
    bad = client.post("/api/v1/imports/test.groups/", {"file": csv_file("code,name\n5,a\nz,b\n")}, **auth)
    assert bad.status_code == 400
    error = bad.json()["error"]
    assert error["code"] == "rows" and error["rows"] == [{"row": 3, "column": "code", "value": "z",
                                                           "reason": error["rows"][0]["reason"]}]
    assert Group.objects.count() == 2
    listed = client.get("/api/v1/imports/", **auth).json()
    assert [r["status"] for r in listed["results"]] == ["rejected", "stored"]
    _token, read_only = make_token(user, scopes=("read", "write"), name="no scope")
    refused = client.post("/api/v1/imports/test.groups/", {"file": csv_file("code,name\n9,a\n")},
                          HTTP_AUTHORIZATION=f"Bearer {read_only}")
    assert refused.status_code == 403 and Group.objects.count() == 2
