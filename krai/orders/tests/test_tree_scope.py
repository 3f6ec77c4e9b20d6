"""An order's tree as each person sees it: the branches his scope reaches and the path down to them, no more.

An order of the governor goes to health (social block) with finance (economy block) as co-executor; each
side delegates inside itself with a text of its own. The executor in health must see neither finance's
branch nor its texts, in the API and on the page, history included; his head sees his subtree; the governor
and the controller see everything.
"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from krai.orders import selectors, services
from krai.orders.tests.factories import issued_order
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign

pytestmark = pytest.mark.django_db

HEALTH_TEXT = "Подготовить смету ремонта поликлиник"
FINANCE_TEXT = "Зарезервировать средства в резервном фонде"


def api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def page(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def two_blocks(gov):
    treasury = OrganisationFactory(name="Казначейский отдел", block=gov.economy, parent=gov.finance, kind="unit")
    cashier = StaffFactory(surname="Казначеев")
    assign(cashier, Role.EXECUTOR, organisation=treasury)
    order = issued_order(gov, co_executors=[(gov.finance, None)])
    root = order.assignment
    finance_part = root.children.get(executor_organisation=gov.finance)
    to_unit = services.control_delegate(actor=gov.head, assignment=root, executor_organisation=gov.unit,
                                        deadline=root.deadline, text="Организовать работу")
    to_executor = services.control_delegate(actor=gov.unit_head, assignment=to_unit,
                                            executor_organisation=gov.subunit, executor_user=gov.executor,
                                            deadline=root.deadline, text=HEALTH_TEXT)
    to_treasury = services.control_delegate(actor=gov.finance_head, assignment=finance_part,
                                            executor_organisation=treasury, executor_user=cashier,
                                            deadline=root.deadline, text=FINANCE_TEXT)
    return {"order": order, "root": root, "finance_part": finance_part, "to_unit": to_unit,
            "to_executor": to_executor, "to_treasury": to_treasury, "cashier": cashier, "treasury": treasury}


def tree_ids(user, order) -> list[int]:
    response = api(user).get(f"/api/v1/orders/orders/{order.pk}/tree/")
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()]


def test_the_executor_sees_his_branch_and_where_it_came_from_not_the_other_block(gov, two_blocks):
    t = two_blocks
    order = t["order"]
    assert tree_ids(gov.executor, order) == [t["root"].pk, t["to_unit"].pk, t["to_executor"].pk]
    body = api(gov.executor).get(f"/api/v1/orders/orders/{order.pk}/tree/").content.decode()
    assert FINANCE_TEXT not in body and "Казначеев" not in body and HEALTH_TEXT in body

    html = page(gov.executor).get(f"/workspace/orders/order/{order.pk}/").content.decode()
    assert HEALTH_TEXT in html  # his own delegation, in the history of the tree
    assert FINANCE_TEXT not in html and "Казначейский отдел" not in html and "Казначеев" not in html

    history = selectors.tree_history_for_user(user=gov.executor, root=t["root"])
    assert {h.assignment_id for h in history} == {t["root"].pk, t["to_unit"].pk, t["to_executor"].pk}
    for url in (f"/api/v1/orders/assignments/{t['to_treasury'].pk}/",
                f"/api/v1/orders/assignments/{t['to_treasury'].pk}/history/",
                f"/api/v1/orders/assignments/{t['finance_part'].pk}/"):
        assert api(gov.executor).get(url).status_code == 404, url

    # the governor and the controller see everything
    everything = [t["root"].pk, t["finance_part"].pk, t["to_treasury"].pk, t["to_unit"].pk, t["to_executor"].pk]
    for user in (gov.governor, gov.controller):
        assert tree_ids(user, order) == everything
        html = page(user).get(f"/workspace/orders/order/{order.pk}/").content.decode()
        assert FINANCE_TEXT in html and HEALTH_TEXT in html


def test_a_head_sees_his_subtree_and_the_other_head_his(gov, two_blocks):
    t = two_blocks
    order = t["order"]
    # the head of health acts for the root: he sees his subtree and the co-executor's part given out of the
    # root (whose report is his to accept), not what finance delegated inside itself
    assert tree_ids(gov.head, order) == [t["root"].pk, t["finance_part"].pk, t["to_unit"].pk, t["to_executor"].pk]
    html = page(gov.head).get(f"/workspace/orders/order/{order.pk}/").content.decode()
    assert HEALTH_TEXT in html and FINANCE_TEXT not in html and "Казначейский отдел" not in html
    detail = api(gov.head).get(f"/api/v1/orders/assignments/{t['root'].pk}/").json()
    assert detail["children"] == [t["finance_part"].pk, t["to_unit"].pk]
    part = api(gov.head).get(f"/api/v1/orders/assignments/{t['finance_part'].pk}/").json()
    assert part["children"] == []
    root_page = page(gov.head).get(f"/workspace/orders/control/{t['root'].pk}/").content.decode()
    assert "Казначейский отдел" not in root_page and FINANCE_TEXT not in root_page
    assert api(gov.head).get(f"/api/v1/orders/assignments/{t['to_treasury'].pk}/").status_code == 404
    services.control_report(actor=gov.finance_head, assignment=t["finance_part"], text="Средства зарезервированы")
    assert gov.head.has_perm("orders.accept_assignment", t["finance_part"])

    assert tree_ids(gov.finance_head, order) == [t["root"].pk, t["finance_part"].pk, t["to_treasury"].pk]
    html = page(gov.finance_head).get(f"/workspace/orders/order/{order.pk}/").content.decode()
    assert FINANCE_TEXT in html and HEALTH_TEXT not in html
    assert tree_ids(t["cashier"], order) == [t["root"].pk, t["finance_part"].pk, t["to_treasury"].pk]


def test_the_issuer_sees_the_whole_vertical_a_vice_governor_only_his_block(gov):
    order = issued_order(gov, issuer=gov.vice, co_executors=[(gov.finance, None)])
    root = order.assignment
    finance_part = root.children.get(executor_organisation=gov.finance)
    services.control_delegate(actor=gov.finance_head, assignment=finance_part, executor_user=gov.finance_head,
                              deadline=root.deadline, text=FINANCE_TEXT)
    assert len(tree_ids(gov.vice, order)) == 3  # he gave the order: all of it is below him
    other = issued_order(gov, co_executors=[(gov.finance, None)])
    assert tree_ids(gov.vice, other) == [other.assignment.pk]  # the governor's: his block's part only


def test_what_was_delegated_below_a_persons_task_is_his_at_any_depth(gov):
    root = issued_order(gov).assignment
    # the executor (whose own scope is the subunit) is named on the unit's part; it is passed on inside the
    # unit, outside his scope, three times
    mine = services.control_delegate(actor=gov.head, assignment=root, executor_organisation=gov.unit,
                                     executor_user=gov.executor, deadline=root.deadline)
    chain, parent = [], mine
    for actor in (gov.unit_head, gov.unit_head, gov.unit_head):
        parent = services.control_delegate(actor=actor, assignment=parent, executor_organisation=gov.unit,
                                           deadline=root.deadline)
        chain.append(parent.pk)
    visible = set(selectors.assignments_visible_to(gov.executor).values_list("pk", flat=True))
    assert {mine.pk, *chain} <= visible and root.pk not in visible
    assert tree_ids(gov.executor, selectors.order_for_assignment(root)) == [root.pk, mine.pk, *chain]
