"""Who may see what, as a matrix of roles; the dashboard's numbers against an independent count."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

import pytest

from krai.orders import dashboard, selectors, services
from krai.orders.models import Assignment, Status
from krai.orders.tests.factories import TODAY, issued_order

pytestmark = pytest.mark.django_db


def test_visibility_matrix(gov):
    health = issued_order(gov, issuer=gov.vice).assignment
    finance = issued_order(gov, lead=gov.finance).assignment
    child = services.control_delegate(actor=gov.head, assignment=health, executor_organisation=gov.subunit,
                                      executor_user=gov.executor, deadline=health.deadline)
    expected = {
        "governor": {health.pk, finance.pk, child.pk},
        "controller": {health.pk, finance.pk, child.pk},
        "vice": {health.pk, child.pk},
        "vice_economy": {finance.pk},
        "head": {health.pk, child.pk},
        "unit_head": {child.pk},  # his part; the order itself he opens through it (below)
        "executor": {child.pk},
        "finance_head": {finance.pk},
        "outsider": set(),
    }
    for role, pks in expected.items():
        user = getattr(gov, role)
        assert set(selectors.assignments_visible_to(user).values_list("pk", flat=True)) == pks, role
        assert user.has_perm("orders.view_assignment", health) == (health.pk in pks), role
    order = selectors.order_for_assignment(health)
    for role in ("unit_head", "executor", "head", "governor"):
        assert getattr(gov, role).has_perm("orders.view_order", order), role
    for role in ("vice_economy", "finance_head", "outsider"):
        assert not getattr(gov, role).has_perm("orders.view_order", order), role


@pytest.mark.parametrize("role,accept,delegate,cancel,extend", [
    ("governor", False, False, True, True),  # not the issuer: cannot accept, may cancel and extend
    ("controller", True, False, False, False),
    ("vice", True, False, False, True),  # the vice-governor issued it
    ("vice_economy", False, False, False, False),
    ("head", False, True, False, False),
    ("executor", False, False, False, False),
    ("finance_head", False, False, False, False),
    ("outsider", False, False, False, False),
])
def test_action_matrix(gov, role, accept, delegate, cancel, extend):
    root = issued_order(gov, issuer=gov.vice).assignment
    user = getattr(gov, role)
    assert user.has_perm("orders.accept_assignment", root) == accept
    assert user.has_perm("orders.delegate_assignment", root) == delegate
    assert user.has_perm("orders.cancel_assignment", root) == (cancel or role == "vice")
    assert user.has_perm("orders.extend_assignment", root) == extend


def test_dashboard_equals_independent_count(gov):
    rng = random.Random(7)
    past = TODAY - timedelta(days=90)
    for i in range(24):
        lead = rng.choice([gov.health, gov.finance, gov.unit])
        root = issued_order(gov, lead=lead, issued_on=past + timedelta(days=i), working_days=rng.choice([5, 40, 80]),
                            ).assignment
        head = gov.finance_head if lead == gov.finance else gov.head
        if rng.random() < 0.5 and lead == gov.health:
            services.control_delegate(actor=gov.head, assignment=root, executor_organisation=gov.subunit,
                                      executor_user=gov.executor, deadline=root.deadline, issued_on=root.issued_on)
        fate = rng.choice(["open", "reported", "done", "cancelled"])
        if fate in ("reported", "done"):
            services.control_report(actor=head, assignment=root, text="Отчёт")
        if fate == "done":
            services.control_accept(actor=gov.governor, assignment=root)
        if fate == "cancelled":
            services.control_cancel(actor=gov.governor, assignment=root, reason="Отмена")
    rows = list(Assignment.objects.exclude(status=Status.CANCELLED))

    def count(items):
        c = Counter()
        for a in items:
            c["total"] += 1
            c["done"] += a.status == Status.DONE
            c["open"] += a.status in ("issued", "in_progress", "reported")
            c["overdue"] += a.status in ("issued", "in_progress", "reported") and a.deadline < TODAY
            c["late"] += a.status == Status.DONE and a.completed_on > a.deadline
        return c

    region = dashboard.control_load(user=gov.governor, today=TODAY)
    for row in region.rows:
        expect = count(a for a in rows if a.parent_id is None and a.block_id == row.key)
        assert (row.total, row.done, row.open, row.overdue, row.late) == tuple(
            expect[k] for k in ("total", "done", "open", "overdue", "late"))
    assert region.totals.total == sum(1 for a in rows if a.parent_id is None)
    assert region.totals.overdue > 0
    block = dashboard.control_load(user=gov.governor, level="block", block=gov.social.pk, today=TODAY)
    assert {r.key: r.total for r in block.rows} == dict(Counter(
        a.body_id for a in rows if a.parent_id is None and a.block_id == gov.social.pk))
    body = dashboard.control_load(user=gov.governor, level="body", body=gov.health.pk, today=TODAY)
    assert {r.key: r.overdue for r in body.rows} == {
        k: count(a for a in rows if a.body_id == gov.health.pk and a.executor_user_id == k)["overdue"]
        for k in {a.executor_user_id for a in rows if a.body_id == gov.health.pk}}
    person = dashboard.control_load(user=gov.governor, level="executor", executor=gov.executor.pk, today=TODAY)
    assert person.totals.total == sum(1 for a in rows if a.executor_user_id == gov.executor.pk)
    # the vice-governor of the economy block sees only his block's numbers
    economy = dashboard.control_load(user=gov.vice_economy, today=TODAY)
    assert {r.key for r in economy.rows} <= {gov.economy.pk}
    # a number's link lists exactly the rows it counts
    for row in region.rows:
        listed = selectors.assignment_list(user=gov.governor, today=TODAY, filters=selectors.ListFilter(
            block=row.key, top_only=True, bucket="overdue"))
        assert listed.count() == row.overdue


def test_dashboard_as_of_past_date(gov):
    root = issued_order(gov, issued_on=TODAY - timedelta(days=30), working_days=5).assignment
    services.control_report(actor=gov.head, assignment=root, text="Отчёт")
    services.control_accept(actor=gov.governor, assignment=root)
    now = dashboard.control_load(user=gov.governor, today=TODAY)
    assert now.totals.done == 1 and now.totals.overdue == 0
    # yesterday the history says it was still open (and overdue)
    then = dashboard.control_load(user=gov.governor, today=TODAY, as_of=TODAY - timedelta(days=1))
    assert then.totals.done == 0 and then.totals.overdue == 1


def test_dashboard_filtered_by_urgency_counts_only_those_orders(gov):
    """The filter joins assignments (subject ids as text) to orders (numeric ids) on every database."""
    issued_order(gov, priority="ordinary")
    issued_order(gov, priority="ordinary")
    urgent = issued_order(gov, priority="urgent")
    load = dashboard.control_load(user=gov.governor, today=TODAY, filters=dashboard.Filters(priority="urgent"))
    assert load.totals.total == 1
    assert selectors.control_for_subject(urgent).block_id in {row.key for row in load.rows if row.total}
    everything = dashboard.control_load(user=gov.governor, today=TODAY)
    assert everything.totals.total == 3
