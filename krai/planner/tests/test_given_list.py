"""What I gave, on the page and in the API: the orders the governor issued and the assignment the minister
delegated, each with its executor, deadline and state, linked to its order; the lists open, overdue and done; the
number shown equals the rows listed, page by page; a resident is refused."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from krai.accounts.services.tokens import token_create
from krai.orders.services import control_accept, control_delegate, control_report
from krai.orders.tests.factories import TODAY, government, issued_order
from krai.org.tests.factories import UserFactory
from krai.planner.views import calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def gave():
    gov = government()
    soon = issued_order(gov, deadline=TODAY + timedelta(days=10))
    late = issued_order(gov, deadline=TODAY - timedelta(days=3), issued_on=TODAY - timedelta(days=20))
    done = issued_order(gov, deadline=TODAY + timedelta(days=20))
    control_report(actor=gov.head, assignment=done.assignment, text="Сделано")
    control_accept(actor=gov.governor, assignment=done.assignment)
    delegated = control_delegate(actor=gov.head, assignment=soon.assignment, executor_organisation=gov.subunit,
                                 executor_user=gov.executor, deadline=TODAY + timedelta(days=5), text="Подготовить")
    return {"gov": gov, "soon": soon, "late": late, "done": done, "delegated": delegated}


def rows(html: str) -> list[str]:
    body = html.split('id="krai-given-table"')[1].split("</tbody>")[0]
    return re.findall(r'<th scope="row"[^>]*><a href="([^"]+)"', body)


def shown_count(html: str) -> int:
    return int(re.search(r'id="krai-given-count">(\d+)<', html).group(1))


def test_the_governors_orders_by_state(client, gave):
    client.force_login(gave["gov"].governor)
    order = {name: reverse("orders:order", args=[gave[name].pk]) for name in ("soon", "late", "done")}
    expected = {"all": [order["late"], order["soon"], order["done"]], "open": [order["late"], order["soon"]],
                "overdue": [order["late"]], "done": [order["done"]]}
    for state, urls in expected.items():
        html = client.get(reverse("planner:given"), {"state": state}).content.decode()
        assert rows(html) == urls, state
        assert shown_count(html) == len(urls), state
    html = client.get(reverse("planner:given")).content.decode()
    assert "overdue" in html and "Министерство здравоохранения" in html
    assert reverse("orders:assignment", args=[gave["late"].assignment.pk]) in html


def test_the_ministers_delegation(client, gave):
    client.force_login(gave["gov"].head)
    html = client.get(reverse("planner:given")).content.decode()
    assert rows(html) == [reverse("orders:order", args=[gave["soon"].pk])] and shown_count(html) == 1
    assert "delegated" in html and gave["gov"].executor.short_name in html
    assert (TODAY + timedelta(days=5)).strftime("%d.%m.%Y") in html


def test_paged_the_count_is_every_row(client, gave, monkeypatch):
    monkeypatch.setattr(calendar, "GIVEN_PAGE_SIZE", 2)
    client.force_login(gave["gov"].governor)
    first = client.get(reverse("planner:given")).content.decode()
    second = client.get(reverse("planner:given"), {"page": 2}).content.decode()
    assert shown_count(first) == shown_count(second) == len(rows(first)) + len(rows(second)) == 3
    assert 'rel="next"' in first


def test_the_api(gave):
    governor = gave["gov"].governor
    key = token_create(actor=governor, user=governor, name="t", scopes=["read"]).key
    api = APIClient(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")
    body = api.get("/api/v1/planner/given/", {"state": "open"}).json()
    assert body["count"] == len(body["results"]) == 2
    late = body["results"][0]
    assert (late["order"], late["overdue"], late["delegated"], late["status"]) == (gave["late"].pk, True, False,
                                                                                   "issued")
    assert late["url"] == reverse("orders:order", args=[gave["late"].pk])
    assert late["executor"] == "Министерство здравоохранения"
    assert api.get("/api/v1/planner/given/", {"state": "lost"}).status_code == 400
    head = gave["gov"].head
    key = token_create(actor=head, user=head, name="t", scopes=["read"]).key
    mine = APIClient(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/planner/given/").json()["results"]
    assert [(r["id"], r["delegated"], r["executor_user"]) for r in mine] == [
        (gave["delegated"].pk, True, gave["gov"].executor.pk)]


def test_a_resident_is_refused(client):
    resident = UserFactory()
    client.force_login(resident)
    assert client.get(reverse("planner:given")).status_code == 403
    key = token_create(actor=resident, user=resident, name="t", scopes=["read"]).key
    assert APIClient(HTTP_AUTHORIZATION=f"Bearer {key}").get("/api/v1/planner/given/").status_code == 403
