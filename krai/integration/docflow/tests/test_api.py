"""The HTTP way in with a real system token: 201 with the three orders, 200 for the same uid again, 400 with the
errors in the API's format for a malformed package (nothing made), 403 for a token without ``integration:write``
or of a person rather than a system; the package's status for its system only (another gets 404); the orders'
export for a system token, scoped to what it may see."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from krai.integration.docflow.models import DocflowPackage
from krai.integration.docflow.tests.conftest import counts, sample
from krai.integration.tests.factories import external_system, system_token
from krai.orders.models import Order
from krai.org.models import Role

pytestmark = pytest.mark.django_db
API = "/api/v1/integration/docflow/packages/"


def _client(key: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


def _post(client: APIClient, name: str, content: bytes | None = None):
    return client.post(API, data=content or sample(name), content_type="application/xml")


def test_a_package_of_three_items_answers_201_with_the_orders_and_200_when_repeated(gov):
    client = _client(system_token(gov.system).key)

    created = _post(client, "valid_three_items.xml")

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "accepted" and body["uid"] == "sed-social-2026-0142" and body["channel"] == "medo"
    assert [o["item"] for o in body["orders"]] == ["1", "2", "3"]
    assert [o["deadline"] for o in body["orders"]] == ["2031-03-14", "2031-04-15", "2031-02-28"]
    assert {o["number"] for o in body["orders"]} == set(Order.objects.values_list("number", flat=True))

    again = _post(client, "valid_three_items.xml")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Order.objects.count() == 3

    status = client.get(f"{API}{body['id']}/")
    assert status.status_code == 200 and status.json()["status"] == "accepted"
    listed = client.get(API, {"uid": "sed-social-2026-0142"}).json()
    assert [p["id"] for p in listed["results"]] == [body["id"]]


def test_a_malformed_package_answers_400_in_the_error_format(gov):
    client = _client(system_token(gov.system).key)
    before = counts()

    answer = _post(client, "invalid_schema.xml")

    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["status"] == 400 and error["code"] == "package_refused"
    assert error["message"] == "The package is refused; nothing was imported."
    assert error["fields"]["package"][0].startswith("Line 27, element <deadline>:")
    assert counts() == before
    refused = client.get(f"{API}{error['package']}/").json()
    assert refused["status"] == "refused" and refused["errors"][0]["line"] == 27


def test_an_unknown_executor_answers_400(gov):
    answer = _post(_client(system_token(gov.system).key), "unknown_executor.xml")
    assert answer.status_code == 400 and "item 2" in answer.json()["error"]["fields"]["package"][0]
    assert not Order.objects.exists()


def test_token_scopes_and_who_may_send(gov):
    read_only = _post(_client(system_token(gov.system, scopes=["read", "write"]).key), "valid_three_items.xml")
    assert read_only.status_code == 403 and "integration:write" in read_only.json()["error"]["message"]
    from krai.accounts.services.tokens import token_create

    personal = token_create(actor=gov.controller, user=gov.controller, name="mine",
                            scopes=["read", "write", "integration:write"]).key
    answer = _post(_client(personal), "valid_three_items.xml")
    assert answer.status_code == 403
    assert APIClient().post(API, data=sample("valid_three_items.xml"), content_type="application/xml"
                            ).status_code in (401, 403)
    assert not DocflowPackage.objects.exists()


def test_another_system_sees_neither_the_package_nor_its_orders(gov):
    body = _post(_client(system_token(gov.system).key), "valid_three_items.xml").json()
    other = external_system("sed-economy-2", role=Role.HEAD, organisation=gov.finance)
    client = _client(system_token(other).key)

    assert client.get(f"{API}{body['id']}/").status_code == 404
    assert client.get(API).json()["results"] == []
    export = client.get("/api/v1/integration/docflow/orders.csv")
    assert export.status_code == 200 and len(b"".join(export.streaming_content).splitlines()) == 1


def test_the_export_for_a_system_token_with_formulas_neutralised(gov):
    client = _client(system_token(gov.system).key)
    content = sample("valid_three_items.xml").replace(
        "Организовать ремонт кровли".encode(), "=HYPERLINK(\"http://evil\") Организовать ремонт кровли".encode())
    _post(client, "valid_three_items.xml", content)

    csv = b"".join(client.get("/api/v1/integration/docflow/orders.csv").streaming_content).decode("utf-8-sig")
    lines = csv.strip().splitlines()
    assert lines[0].startswith("Number,Title,Executor,Deadline,Status,Closed on,Overdue")
    assert len(lines) == 4 and "'=HYPERLINK" in csv
    xlsx = client.get("/api/v1/integration/docflow/orders.xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(b"".join(xlsx.streaming_content))).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any(str(t).startswith("'=HYPERLINK") for t in titles)
