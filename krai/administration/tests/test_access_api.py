"""Access management's API with real tokens: the people (paged, filtered), a person with his scope and deputyships,
the bulk change (``dry_run`` first, then all or nothing), the reviews; a controller reads and is refused writes, a
token without ``administration:write`` is refused (nothing changes), an executor gets 403, anyone out of reach 404,
and errors come in the one format."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from krai.accounts.services.tokens import token_create
from krai.administration.tests.test_access_review import small_tree
from krai.core.events.models import Event
from krai.org.models import Role, RoleAssignment, ScopeKind
from krai.org.tests.factories import StaffFactory, assign

pytestmark = pytest.mark.django_db

BASE = "/api/v1/administration/"
WRITE = ["read", "write", "administration:write"]


def client_of(user: Any, scopes: list[str] = WRITE) -> APIClient:
    key = token_create(actor=user, user=user, name="access", scopes=scopes).key
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def tree() -> dict[str, Any]:
    return small_tree()


def test_people_and_a_person(tree):
    api = client_of(tree["admin"])
    listed = api.get(f"{BASE}people/", {"role": Role.HEAD, "active": "yes", "page_size": 2})
    assert listed.status_code == 200
    body = listed.json()
    assert body["count"] == 4 and len(body["results"]) == 2 and body["next"]  # Главов, Мэров, Нештатов, Финансов
    assert {r["full_name"].split()[0] for r in body["results"]} == {"Главов", "Мэров"}
    found = api.get(f"{BASE}people/", {"q": "вицев"}).json()["results"]
    assert [r["id"] for r in found] == [tree["vice"].pk] and found[0]["roles"][0]["target_name"] == "Социальный блок"
    system = api.get(f"{BASE}people/", {"organisation": tree["health"].pk}).json()["results"]
    assert any(r["is_system"] for r in system if r["id"] == tree["system"].pk)
    person = api.get(f"{BASE}people/{tree['head'].pk}/").json()
    assert person["scope"]["organisations"] == 2 and person["scope"]["parts"][0]["kind"] == ScopeKind.ORGANISATION
    assert [d["deputy"] for d in person["acted_for_by"]] == [tree["deputy"].pk, tree["later"].pk]
    assert api.get(f"{BASE}people/999999/").json()["error"]["status"] == 404
    bad = api.get(f"{BASE}people/", {"role": "emperor"})
    assert bad.status_code == 400 and "role" in bad.json()["error"]["fields"]


def test_bulk_dry_run_then_apply(tree):
    api = client_of(tree["admin"])
    choice = {"people": [tree["deputy"].pk, tree["later"].pk, tree["executor"].pk], "action": "grant",
              "role": Role.EXECUTOR, "scope": ScopeKind.ORGANISATION, "organisation": tree["unit"].pk}
    events = Event.objects.count()
    dry = api.post(f"{BASE}bulk/", {**choice, "dry_run": True}, format="json")
    assert dry.status_code == 200 and dry.json()["summary"] == "3 people: 2 will get the role, 1 already holds it."
    assert not dry.json()["applied"] and Event.objects.count() == events
    done = api.post(f"{BASE}bulk/", choice, format="json").json()
    assert done["applied"] and done["changes"] == 2
    assert RoleAssignment.objects.filter(organisation=tree["unit"], role=Role.EXECUTOR).count() == 3
    assert Event.objects.filter(kind="administration.bulk_access_change").count() == 1


def test_bulk_all_or_nothing_and_refusals(tree):
    api = client_of(tree["admin"])
    refused = api.post(f"{BASE}bulk/", {"people": [tree["deputy"].pk, tree["closed"].pk], "action": "grant",
                                        "role": Role.EXECUTOR, "scope": ScopeKind.SELF}, format="json")
    assert refused.status_code == 400 and "no one is changed" in str(refused.json()["error"]["fields"]["people"])
    assert not RoleAssignment.objects.filter(user=tree["deputy"]).exists()
    wrong = api.post(f"{BASE}bulk/", {"people": [tree["deputy"].pk], "action": "grant", "role": Role.GOVERNOR,
                                      "scope": ScopeKind.BLOCK, "block": tree["social"].pk}, format="json")
    assert wrong.status_code == 400 and "scope" in wrong.json()["error"]["fields"]


def test_a_controller_reads_but_cannot_change(tree):
    api = client_of(tree["controller"])
    assert api.get(f"{BASE}people/").status_code == 200
    assert api.get(f"{BASE}review/", {"block": tree["social"].pk}).status_code == 200
    answer = api.post(f"{BASE}bulk/", {"people": [tree["head"].pk], "action": "deactivate"}, format="json")
    assert answer.status_code == 403 and answer.json()["error"]["status"] == 403
    tree["head"].refresh_from_db()
    assert tree["head"].is_active


def test_token_scopes_and_strangers(tree):
    events = Event.objects.count()
    read_only = client_of(tree["admin"], ["read", "write"])  # no administration:write
    answer = read_only.post(f"{BASE}bulk/", {"people": [tree["head"].pk], "action": "deactivate"}, format="json")
    assert answer.status_code == 403 and "administration:write" in answer.json()["error"]["message"]
    tree["head"].refresh_from_db()
    assert tree["head"].is_active and Event.objects.filter(kind__startswith="org.user").count() == 0
    assert Event.objects.count() == events + 1  # the second token's own issue only
    executor = client_of(tree["executor"])
    for url in ("people/", f"people/{tree['head'].pk}/", f"review/?organisation={tree['unit'].pk}",
                f"review/people/{tree['head'].pk}/"):
        assert executor.get(BASE + url).status_code == 403, url
    assert APIClient().get(f"{BASE}people/").status_code == 401


def test_reviews(tree):
    api = client_of(tree["admin"])
    unit = api.get(f"{BASE}review/", {"organisation": tree["unit"].pk}).json()
    assert unit["people"] == 8 and unit["systems"] == 1 and unit["deputies"] == 1
    deputy = next(row for row in unit["rows"] if row["person"] == tree["deputy"].pk)
    assert deputy["acting_for"] == tree["head"].pk and deputy["through"] == "ancestor"
    assert api.get(f"{BASE}review/").status_code == 400
    assert api.get(f"{BASE}review/", {"organisation": 1, "block": 1}).status_code == 400
    assert api.get(f"{BASE}review/", {"municipality": 999999}).status_code == 404
    person = api.get(f"{BASE}review/people/{tree['vice'].pk}/").json()
    assert person["scope"]["organisations"] == 2
    allowed = {p["permission"]: p["allowed"] for p in person["permissions"]}
    assert allowed["workspace.access"] and not allowed["administration.review_access"]
    narrow = StaffFactory()
    assign(narrow, Role.CONTROLLER, block=tree["economy"])
    outside = client_of(narrow)
    assert outside.get(f"{BASE}review/", {"organisation": tree["health"].pk}).status_code == 404
    assert outside.get(f"{BASE}review/people/{tree['head'].pk}/").status_code == 404
