"""The edit page of a draft order: the creation form filled in, saved through order_update, issue on demand."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from krai.orders.models import Order
from krai.orders.services import order_create
from krai.orders.tests.factories import TODAY, issued_order
from krai.orders.tests.test_engine import snapshot

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def draft(gov) -> Order:
    return order_create(actor=gov.governor, title="Подготовить доклад", text="Текст", lead_organisation=gov.health,
                        controller_organisation=gov.control, working_days=5, priority="ordinary",
                        co_executors=[(gov.finance, gov.finance_head)],
                        control_points=[("Промежуточный отчёт", TODAY + timedelta(days=3))])


def form_data(gov, **over) -> dict:
    data = {"title": "Подготовить доклад к сессии", "text": "Новый текст", "source_type": "letter",
            "source_reference": "№ 12", "priority": "urgent", "lead_organisation": gov.health.pk,
            "controller_organisation": gov.control.pk, "co_executors": [gov.finance.pk],
            "working_days": "7", "control_points": f"{(TODAY + timedelta(days=4)).isoformat()} Этап 1"}
    data.update(over)
    return data


def test_edit_page_shows_the_draft_and_saves_it(gov):
    order = draft(gov)
    governor = signed_in(gov.governor)
    page = governor.get(f"/workspace/orders/order/{order.pk}/edit/")
    assert page.status_code == 200
    assert page.context["form"].initial["title"] == "Подготовить доклад"
    assert page.context["form"].initial["co_executors"] == [gov.finance.pk]
    assert page.context["form"].fields["number"].disabled
    assert f"/workspace/orders/order/{order.pk}/edit/".encode() in governor.get(
        f"/workspace/orders/order/{order.pk}/").content  # linked from the order's page

    r = governor.post(f"/workspace/orders/order/{order.pk}/edit/", form_data(gov, number="HACK-1"))
    assert r.status_code == 302 and r["Location"] == f"/workspace/orders/order/{order.pk}/"
    order.refresh_from_db()
    assert (order.title, order.text, order.source_type, order.priority, order.working_days) == (
        "Подготовить доклад к сессии", "Новый текст", "letter", "urgent", 7)
    assert order.is_draft and order.assignment_id is None
    assert order.number != "HACK-1"  # the number is fixed once the draft is made
    co = order.co_executors.get()
    assert co.organisation == gov.finance and co.user == gov.finance_head  # the named person is kept
    assert [(p.title, p.deadline) for p in order.control_points.all()] == [("Этап 1", TODAY + timedelta(days=4))]


def test_edit_and_issue_in_one_step(gov):
    order = draft(gov)
    r = signed_in(gov.governor).post(f"/workspace/orders/order/{order.pk}/edit/", form_data(gov, issue="on"))
    assert r.status_code == 302
    order.refresh_from_db()
    assert not order.is_draft and order.assignment is not None
    assert order.assignment.children.count() == 2  # the co-executor and the control point


def test_bad_input_changes_nothing(gov):
    order = draft(gov)
    before = snapshot(), Order.objects.values().get(pk=order.pk)
    r = signed_in(gov.governor).post(f"/workspace/orders/order/{order.pk}/edit/", form_data(
        gov, deadline=(TODAY + timedelta(days=5)).isoformat(), working_days="3", issue="on"))
    assert r.status_code == 200 and r.context["form"].errors
    assert (snapshot(), Order.objects.values().get(pk=order.pk)) == before


def test_only_the_issuer_edits_only_a_draft(gov):
    order = draft(gov)
    assert signed_in(gov.head).get(f"/workspace/orders/order/{order.pk}/edit/").status_code in (403, 404)
    before = Order.objects.values().get(pk=order.pk)
    assert signed_in(gov.vice).post(f"/workspace/orders/order/{order.pk}/edit/",
                                    form_data(gov)).status_code in (403, 404)
    assert signed_in(gov.finance_head).post(f"/workspace/orders/order/{order.pk}/edit/",
                                            form_data(gov)).status_code in (403, 404)
    assert Order.objects.values().get(pk=order.pk) == before
    issued = issued_order(gov)
    governor = signed_in(gov.governor)
    assert governor.get(f"/workspace/orders/order/{issued.pk}/edit/").status_code == 403
    assert b"/edit/" not in governor.get(f"/workspace/orders/order/{issued.pk}/").content
    assert signed_in(gov.executor).get("/workspace/orders/order/999999/edit/").status_code == 404
