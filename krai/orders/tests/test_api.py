"""The REST API: an issuer, an executor two levels down and a controller each do their part; refusals change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from krai.orders.models import Assignment, Order, Status
from krai.orders.tests.factories import TODAY, issued_order
from krai.orders.tests.test_engine import snapshot

pytestmark = pytest.mark.django_db


def client(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_whole_cycle_through_api(gov):
    issuer = client(gov.governor)
    r = issuer.post("/api/v1/orders/orders/", {
        "title": "Подготовить доклад", "text": "Текст", "priority": "urgent", "lead_organisation": gov.health.pk,
        "controller_organisation": gov.control.pk, "issue": True}, format="json")
    assert r.status_code == 201, r.content
    order = Order.objects.get(pk=r.json()["id"])
    root = order.assignment
    assert r.json()["status"] == "issued" and not order.is_draft
    head = client(gov.head)
    r = head.post(f"/api/v1/orders/assignments/{root.pk}/delegate/",
                  {"executor_organisation": gov.unit.pk, "deadline": root.deadline.isoformat()}, format="json")
    assert r.status_code == 201, r.content
    child_id = r.json()["id"]
    r = client(gov.unit_head).post(f"/api/v1/orders/assignments/{child_id}/delegate/", {
        "executor_organisation": gov.subunit.pk, "executor_user": gov.executor.pk,
        "deadline": root.deadline.isoformat()}, format="json")
    grandchild_id = r.json()["id"]
    executor = client(gov.executor)
    mine = executor.get("/api/v1/orders/assignments/?list=mine").json()["results"]
    assert [a["id"] for a in mine] == [grandchild_id]
    assert executor.post(f"/api/v1/orders/assignments/{grandchild_id}/report/", {"text": "Готово"},
                         format="json").status_code == 200
    assert executor.get(f"/api/v1/orders/orders/{order.pk}/").status_code == 200
    assert client(gov.unit_head).post(f"/api/v1/orders/assignments/{grandchild_id}/accept/").status_code == 200
    assert head.post(f"/api/v1/orders/assignments/{root.pk}/report/", {"text": "Исполнено"},
                     format="json").status_code == 200
    controller = client(gov.controller)
    r = controller.post(f"/api/v1/orders/assignments/{root.pk}/accept/")
    assert r.status_code == 200 and r.json()["status"] == "done"
    history = controller.get(f"/api/v1/orders/assignments/{root.pk}/history/").json()
    assert [h["action"] for h in history] == ["opened", "started", "reported", "accepted"]
    tree = controller.get(f"/api/v1/orders/orders/{order.pk}/tree/").json()
    assert [a["id"] for a in tree] == [root.pk, child_id, grandchild_id]
    dash = controller.get("/api/v1/orders/dashboard/").json()
    assert dash["totals"]["done"] == 1


def test_bad_inputs_change_nothing(gov):
    root = issued_order(gov).assignment
    before = snapshot()
    head, governor = client(gov.head), client(gov.governor)
    r = head.post(f"/api/v1/orders/assignments/{root.pk}/delegate/", {
        "executor_organisation": gov.unit.pk, "deadline": (root.deadline + timedelta(days=10)).isoformat()},
        format="json")
    assert r.status_code == 400 and "deadline" in r.json()["error"]["fields"]
    assert head.post(f"/api/v1/orders/assignments/{root.pk}/delegate/", {"deadline": "not a date"},
                     format="json").status_code == 400
    assert head.post(f"/api/v1/orders/assignments/{root.pk}/accept/").status_code == 403
    assert head.post(f"/api/v1/orders/assignments/{root.pk}/report/", {"text": ""}, format="json").status_code == 400
    assert governor.post(f"/api/v1/orders/assignments/{root.pk}/return/", {"reason": "нет"},
                         format="json").status_code == 400  # nothing reported yet
    assert governor.post("/api/v1/orders/orders/", {"title": "x", "text": "y", "lead_organisation": 999999,
                                                    "controller_organisation": gov.control.pk},
                         format="json").status_code == 400
    assert governor.post("/api/v1/orders/orders/", {
        "title": "x", "text": "y", "lead_organisation": gov.health.pk, "controller_organisation": gov.control.pk,
        "deadline": TODAY.isoformat(), "working_days": 3, "issue": True}, format="json").status_code == 400
    assert snapshot() == before and Order.objects.count() == 1


def test_report_on_cancelled_order_via_api(gov):
    root = issued_order(gov).assignment
    assert client(gov.governor).post(f"/api/v1/orders/assignments/{root.pk}/cancel/", {"reason": "Отмена"},
                                     format="json").status_code == 200
    before = snapshot()
    r = client(gov.head).post(f"/api/v1/orders/assignments/{root.pk}/report/", {"text": "Сделано"}, format="json")
    assert r.status_code == 400
    assert snapshot() == before and Assignment.objects.get(pk=root.pk).status == Status.CANCELLED


def test_foreign_block_is_404(gov):
    order = issued_order(gov, lead=gov.finance)
    root = order.assignment
    vice = client(gov.vice)  # social block
    for url in (f"/api/v1/orders/assignments/{root.pk}/", f"/api/v1/orders/orders/{order.pk}/",
                f"/api/v1/orders/assignments/{root.pk}/history/", f"/api/v1/orders/orders/{order.pk}/tree/"):
        assert vice.get(url).status_code == 404, url
    before = snapshot()
    assert vice.post(f"/api/v1/orders/assignments/{root.pk}/cancel/", {"reason": "x"}, format="json").status_code == 404
    assert client(gov.head).post(f"/api/v1/orders/assignments/{root.pk}/report/", {"text": "x"},
                                 format="json").status_code == 404
    assert vice.get("/api/v1/orders/assignments/").json()["count"] == 0
    assert snapshot() == before


def test_extension_through_api(gov):
    root = issued_order(gov).assignment
    r = client(gov.head).post(f"/api/v1/orders/assignments/{root.pk}/extensions/", {
        "deadline": (root.deadline + timedelta(days=20)).isoformat(), "reason": "Подрядчик"}, format="json")
    assert r.status_code == 201, r.content
    ext = r.json()["id"]
    assert client(gov.head).post(f"/api/v1/orders/extensions/{ext}/decide/", {"grant": True},
                                 format="json").status_code == 403
    r = client(gov.governor).post(f"/api/v1/orders/extensions/{ext}/decide/", {"grant": True}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "granted"
    root.refresh_from_db()
    assert root.deadline > root.original_deadline


def test_anonymous_and_citizen_refused(gov, citizen):
    assert APIClient().get("/api/v1/orders/assignments/").status_code in (401, 403)
    assert client(citizen).get("/api/v1/orders/dashboard/").status_code == 403
