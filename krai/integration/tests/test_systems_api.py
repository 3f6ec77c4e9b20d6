"""The systems' API with real tokens: an administrator's token registers, lists, changes (deactivates) a system and
issues its token (the key in that answer only); a system's token asks ``me``; scope refusals, others' 403, a
stranger's 401, a missing system's 404 — all in the one error format."""

from __future__ import annotations

import pytest

from krai.accounts.models import ApiToken
from krai.accounts.tests.factories import make_token
from krai.integration.models import ExternalSystem
from krai.integration.tests.factories import administrator, body, controller
from krai.integration.tests.systems_helpers import api, kinds, registered

pytestmark = pytest.mark.django_db
API = "/api/v1/integration/systems/"
ADMIN_SCOPES = ("read", "write", "integration:write")


def _admin_key() -> str:
    return make_token(administrator(), scopes=ADMIN_SCOPES)[1]


def test_an_administrator_registers_changes_and_issues_a_token() -> None:
    client, health = api(key=_admin_key()), body("health")
    created = client.post(API, {"code": "ais-health", "name": "АИС", "kind": "management",
                                "access_role": "executor", "access_scope": "organisation",
                                "access_organisation": health.pk, "rate_limit": "100/min"}, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["account"] == "system.ais-health@systems.invalid" and data["rate"] == "100/min"
    assert data["access"] == [{"role": "executor", "scope": "organisation", "organisation": health.pk,
                               "municipality": None, "block": None}]
    listed = client.get(API, {"q": "ais", "page_size": 1}).json()
    assert listed["count"] == 1 and listed["results"][0]["code"] == "ais-health"
    changed = client.patch(API + "ais-health/", {"rate_limit": "", "payload_days": 14}, format="json").json()
    assert changed["rate_limit"] == "" and changed["rate"] == "600/min" and changed["payload_days"] == 14
    issued = client.post(API + "ais-health/tokens/", {"name": "сервер", "scopes": ["read"]}, format="json")
    assert issued.status_code == 201 and issued["Cache-Control"] == "no-store"
    key = issued.json()["key"]
    listed_tokens = client.get(API + "ais-health/tokens/").json()
    assert len(listed_tokens) == 1 and "key" not in listed_tokens[0] and listed_tokens[0]["active"]
    me = api(key=key).get("/api/v1/integration/me/")
    assert me.status_code == 200 and me.json()["code"] == "ais-health" and me.json()["scopes"] == ["read"]
    assert me.json()["rate"] == "600/min" and me.json()["access"][0]["role"] == "executor"
    off = client.patch(API + "ais-health/", {"is_active": False}, format="json").json()
    assert off["is_active"] is False and api(key=key).get("/api/v1/integration/me/").status_code == 401
    on = client.patch(API + "ais-health/", {"is_active": True, "name": "АИС 2"}, format="json").json()
    assert on["is_active"] is True and on["name"] == "АИС 2"
    assert kinds() == ["integration.system_registered", "integration.system_changed",
                       "integration.system_token_issued", "integration.system_deactivated",
                       "integration.system_reactivated", "integration.system_changed"]


def test_refusals_come_in_the_one_error_format() -> None:
    client = api(key=_admin_key())
    bad = client.post(API, {"code": "sed", "name": "СЭД", "access_role": "controller", "access_scope": "region",
                            "rate_limit": "lots"}, format="json")
    assert bad.status_code == 400 and set(bad.json()["error"]["fields"]) == {"rate_limit"}
    wrong_role = client.post(API, {"code": "sed", "name": "СЭД", "access_role": "administrator",
                                   "access_scope": "region"}, format="json")
    assert wrong_role.status_code == 400 and "access_role" in wrong_role.json()["error"]["fields"]
    assert client.get(API + "missing/").status_code == 404
    assert client.post(API + "missing/tokens/", {"name": "x", "scopes": ["read"]}, format="json").status_code == 404
    registered()
    refused = client.patch(API + "sed-delo/", {"access_role": "head"}, format="json")
    assert refused.status_code == 400 and "access_scope" in refused.json()["error"]["fields"]
    assert not ExternalSystem.objects.filter(code="sed").exists()


def test_token_scopes_are_enforced() -> None:
    reader = api(key=make_token(administrator(), scopes=("read",))[1])
    assert reader.get(API).status_code == 200
    refused = reader.post(API, {"code": "sed", "name": "СЭД", "access_role": "controller",
                                "access_scope": "region"}, format="json")
    assert refused.status_code == 403 and "write" in refused.json()["error"]["message"]
    no_area = api(key=make_token(administrator(), scopes=("read", "write"))[1])
    refused = no_area.post(API, {"code": "sed", "name": "СЭД", "access_role": "controller",
                                 "access_scope": "region"}, format="json")
    assert refused.status_code == 403 and "integration:write" in refused.json()["error"]["message"]
    assert not ExternalSystem.objects.exists()


def test_only_administrators_may_use_it() -> None:
    system = registered()
    for client in (api(controller()), api(key=make_token(controller(), scopes=ADMIN_SCOPES)[1])):
        listed = client.get(API)
        assert listed.status_code == 403 and listed.json()["error"]["status"] == 403
        assert client.get(API + "sed-delo/").status_code == 403
        assert client.patch(API + "sed-delo/", {"is_active": False}, format="json").status_code == 403
        assert client.post(API + "sed-delo/tokens/", {"name": "x", "scopes": ["read"]},
                           format="json").status_code == 403
    assert api().get(API).status_code == 401
    system.refresh_from_db()
    assert system.is_active and not ApiToken.objects.filter(user=system.account).exists()


def test_me_answers_only_a_systems_token() -> None:
    assert api(controller()).get("/api/v1/integration/me/").status_code == 404
    personal = api(key=make_token(controller(), scopes=("read",))[1]).get("/api/v1/integration/me/")
    assert personal.status_code == 404 and personal.json()["error"]["code"] == "not_found"
    assert api().get("/api/v1/integration/me/").status_code == 401
