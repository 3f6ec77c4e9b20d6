"""Workspace pages: lists, order and assignment pages, actions over htmx, the dashboard, XLSX; scope is 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from krai.orders.models import Assignment, Order, Status
from krai.orders.tests.factories import TODAY, issued_order
from krai.orders.tests.test_engine import snapshot

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_lists_and_detail_pages(gov):
    order = issued_order(gov)
    root = order.assignment
    head = signed_in(gov.head)
    for url in ("/workspace/orders/", "/workspace/orders/?list=given", "/workspace/orders/?list=to_accept",
                "/workspace/orders/?list=overdue", "/workspace/orders/?list=all",
                f"/workspace/orders/order/{order.pk}/", f"/workspace/orders/control/{root.pk}/"):
        assert head.get(url).status_code == 200, url
    page = head.get("/workspace/orders/?list=mine")
    assert root.title in page.content.decode()
    assert signed_in(gov.governor).get("/workspace/orders/dashboard/").status_code == 200


def test_create_and_issue_through_form(gov):
    governor = signed_in(gov.governor)
    assert governor.get("/workspace/orders/new/").status_code == 200
    r = governor.post("/workspace/orders/new/", {
        "title": "Провести совещание", "text": "Текст", "source_type": "protocol", "priority": "urgent",
        "lead_organisation": gov.health.pk, "controller_organisation": gov.control.pk, "issue": "on",
        "co_executors": [gov.finance.pk], "control_points": ""})
    assert r.status_code == 302, r.content.decode()[:2000]
    order = Order.objects.get()
    assert not order.is_draft and order.assignment.children.count() == 1
    # bad input: both a deadline and working days; nothing is created
    before = snapshot()
    r = governor.post("/workspace/orders/new/", {
        "title": "x", "text": "y", "source_type": "protocol", "priority": "urgent", "lead_organisation": gov.health.pk,
        "controller_organisation": gov.control.pk, "deadline": (TODAY + timedelta(days=5)).isoformat(),
        "working_days": "3", "issue": "on"})
    assert r.status_code == 200 and Order.objects.count() == 1 and snapshot() == before
    assert signed_in(gov.executor).get("/workspace/orders/new/").status_code == 403


def test_actions_over_htmx(gov):
    root = issued_order(gov).assignment
    head = signed_in(gov.head)
    bad = head.post(f"/workspace/orders/control/{root.pk}/delegate/", {
        "delegate-executor_organisation": gov.unit.pk,
        "delegate-deadline": (root.deadline + timedelta(days=10)).isoformat()}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and Assignment.objects.count() == 1  # the form comes back with the error
    ok = head.post(f"/workspace/orders/control/{root.pk}/delegate/", {
        "delegate-executor_organisation": gov.unit.pk, "delegate-deadline": root.deadline.isoformat()},
        HTTP_HX_REQUEST="true")
    assert ok.status_code == 204 and ok["HX-Redirect"] == f"/workspace/orders/control/{root.pk}/"
    assert head.post(f"/workspace/orders/control/{root.pk}/report/", {"report-text": "Готово"}).status_code == 302
    # the head is not the issuer: accepting is refused and changes nothing
    before = snapshot()
    assert head.post(f"/workspace/orders/control/{root.pk}/accept/").status_code == 403
    assert snapshot() == before
    assert signed_in(gov.governor).post(f"/workspace/orders/control/{root.pk}/accept/").status_code == 302
    assert Assignment.objects.get(pk=root.pk).status == Status.DONE


def test_foreign_block_pages_are_404(gov):
    order = issued_order(gov, lead=gov.finance)
    vice = signed_in(gov.vice)
    for url in (f"/workspace/orders/order/{order.pk}/", f"/workspace/orders/control/{order.assignment_id}/",
                "/workspace/orders/order/999999/"):
        assert vice.get(url).status_code == 404, url
    before = snapshot()
    assert vice.post(f"/workspace/orders/control/{order.assignment_id}/cancel/",
                     {"cancel-reason": "x"}).status_code == 404
    assert snapshot() == before


def test_dashboard_drill_down_links_and_xlsx(gov):
    issued_order(gov, issued_on=TODAY - timedelta(days=40), working_days=5)
    governor = signed_in(gov.governor)
    region = governor.get("/workspace/orders/dashboard/")
    body = region.content.decode()
    assert f"?level=block&amp;block={gov.social.pk}" in body
    assert f"block={gov.social.pk}&amp;top=1&amp;bucket=overdue" in body
    listed = governor.get(f"/workspace/orders/?block={gov.social.pk}&top=1&bucket=overdue")
    assert listed.context["page"].paginator.count == 1
    block = governor.get(f"/workspace/orders/dashboard/?level=block&block={gov.social.pk}")
    assert block.status_code == 200 and f"level=body&amp;body={gov.health.pk}" in block.content.decode()
    assert governor.get(f"/workspace/orders/dashboard/?level=body&body={gov.health.pk}").status_code == 200
    xlsx = governor.get("/workspace/orders/dashboard/?format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert sheet.max_row == 3  # header, the social block, total
    assert governor.get("/workspace/orders/?list=all&format=xlsx").status_code == 200
    assert signed_in(gov.executor).get("/workspace/orders/dashboard/").status_code == 403
