"""The webhooks' API with real tokens: endpoints CRUD, rotate, ping, replays, deliveries; refusals (another role, a
token without ``integration:write``), 404s and the one error format."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from krai.accounts.services.tokens import token_create
from krai.integration.tests.factories import administrator, controller, external_system
from krai.integration.webhooks.models import Delivery, DeliveryStatus, Endpoint
from krai.integration.webhooks.tests.helpers import dispatch_events, endpoint
from krai.orders.tests.factories import government, issued_order

pytestmark = pytest.mark.django_db

BASE = "/api/v1/integration/webhooks/"
ALL = ["read", "write", "integration:write"]


def client_of(user: Any, scopes: list[str] = ALL) -> APIClient:
    key = token_create(actor=user, user=user, name="api", scopes=scopes).key
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


def ok(response: Any, code: int = 200) -> Any:
    assert response.status_code == code, response.content
    return response.json() if response.content else None


def test_endpoints_crud_rotate_and_ping_through_the_api():
    admin = administrator()
    system = external_system("ais-econ")
    api = client_of(admin)
    created = ok(api.post(BASE + "endpoints/", {"system": "ais-econ", "url": "http://127.0.0.1:9/h",
                                                "event_kinds": ["orders.*"]}, format="json"), 201)
    assert created["system"] == "ais-econ" and created["secret"].startswith("whsec_")
    assert (created["scope"], created["pending"], created["dead"]) == ("region", 0, 0)
    url = f"{BASE}endpoints/{created['id']}/"
    listed = ok(api.get(BASE + "endpoints/"))
    assert listed["count"] == 1 and listed["results"][0]["url"] == "http://127.0.0.1:9/h"
    changed = ok(api.patch(url, {"is_active": False, "description": "СЭД"}, format="json"))
    assert changed["is_active"] is False and changed["description"] == "СЭД"
    rotated = ok(api.post(url + "rotate-secret/"))
    assert rotated["secret"] != created["secret"] and rotated["previous_secret_until"]
    pinged = ok(api.post(url + "ping/"))
    assert pinged["ok"] is False and pinged["http_status"] is None and pinged["message_id"].startswith("msg_test_")
    ok(api.delete(url), 204)
    assert not Endpoint.objects.exists()
    assert system.pk


def test_bad_input_answers_400_in_the_one_error_format_and_changes_nothing():
    admin = administrator()
    external_system("ais-econ")
    api = client_of(admin)
    answer = api.post(BASE + "endpoints/", {"system": "ais-econ", "url": "ftp://x.ru/",
                                            "event_kinds": ["orders.*"]}, format="json")
    error = ok(answer, 400)["error"]
    assert error["status"] == 400 and "url" in error["fields"]
    assert "fields" in ok(api.post(BASE + "endpoints/", {"system": "nobody", "url": "http://x.ru/",
                                                         "event_kinds": ["*"]}, format="json"), 400)["error"]
    assert "scope" in ok(api.post(BASE + "endpoints/", {"system": "ais-econ", "url": "http://x.ru/",
                                                        "event_kinds": ["*"], "scope": "planet"}, format="json"),
                         400)["error"]["fields"]
    assert not Endpoint.objects.exists()


def test_deliveries_list_detail_and_replays():
    admin = administrator()
    gov = government()
    hook = endpoint(actor=admin, kinds=["orders.order_issued", "control.opened"])
    issued_order(gov)
    issued_order(gov)
    dispatch_events()
    Delivery.objects.filter(kind="orders.order_issued").update(status=DeliveryStatus.DEAD, attempts=8,
                                                               dead_at=timezone.now())
    api = client_of(admin)
    dead = ok(api.get(BASE + "deliveries/", {"status": "dead", "endpoint": hook.pk, "kind": "orders.*"}))
    assert dead["count"] == 2 and {row["status"] for row in dead["results"]} == {"dead"}
    row = dead["results"][0]
    assert row["message_id"] == f"msg_{row['event']}_{hook.pk}"
    detail = ok(api.get(f"{BASE}deliveries/{row['id']}/"))
    assert detail["attempts_log"] == []
    assert ok(api.get(BASE + "deliveries/", {"status": "lost"}), 400)["error"]["fields"]["status"]
    assert ok(api.post(BASE + "deliveries/replay/", {"deliveries": [row["id"]]}, format="json")) == {"replayed": 1}
    assert ok(api.post(f"{BASE}endpoints/{hook.pk}/replay/", {"dead": True}, format="json")) == {"replayed": 1}
    replayed = ok(api.post(f"{BASE}endpoints/{hook.pk}/replay/", {"since": "2000-01-01T00:00:00Z"}, format="json"))
    assert replayed == {"replayed": 0}  # all pending now
    assert "error" in ok(api.post(f"{BASE}endpoints/{hook.pk}/replay/", {}, format="json"), 400)


def test_others_are_refused_and_missing_rows_are_404():
    hook = endpoint()
    other = client_of(controller())
    assert other.get(BASE + "endpoints/").status_code == 403
    assert other.get(f"{BASE}endpoints/{hook.pk}/").status_code == 403
    assert other.post(BASE + "endpoints/", {}, format="json").status_code == 403
    assert other.patch(f"{BASE}endpoints/{hook.pk}/", {"url": "http://evil.ru/"}, format="json").status_code == 403
    assert other.post(BASE + "deliveries/replay/", {"deliveries": [1]}, format="json").status_code == 403
    assert APIClient().get(BASE + "endpoints/").status_code == 401
    admin = client_of(administrator())
    assert admin.get(f"{BASE}endpoints/{hook.pk + 100}/").status_code == 404
    assert admin.get(f"{BASE}deliveries/999/").status_code == 404
    hook.refresh_from_db()
    assert hook.url == "http://127.0.0.1:9/hooks"


def test_a_token_without_integration_write_cannot_change_webhooks():
    hook = endpoint()
    admin = administrator()
    reader = client_of(admin, ["read"])
    assert reader.get(BASE + "endpoints/").status_code == 200
    answer = reader.patch(f"{BASE}endpoints/{hook.pk}/", {"is_active": False}, format="json")
    assert answer.status_code == 403 and "error" in answer.json()
    writer = client_of(admin, ["read", "write"])
    assert writer.post(f"{BASE}endpoints/{hook.pk}/rotate-secret/").status_code == 403
    hook.refresh_from_db()
    assert hook.is_active
