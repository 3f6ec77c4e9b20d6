"""The pre-counted top-level load: kept by every change of the engine, equal to a recount from the rows."""

import random
from datetime import timedelta

import pytest

from krai.orders import dashboard, services
from krai.orders.models import TopLoad
from krai.orders.tests.factories import TODAY, issued_order

pytestmark = pytest.mark.django_db


def _cells():
    return sorted((c.block_id, c.body_id, c.is_open, c.deadline, c.late, c.n)
                  for c in TopLoad.objects.filter(n__gt=0))


def test_kept_counts_equal_a_recount_after_every_kind_of_change(gov):
    rng = random.Random(3)
    past = TODAY - timedelta(days=60)
    for i in range(16):
        lead = rng.choice([gov.health, gov.finance])
        head = gov.finance_head if lead == gov.finance else gov.head
        root = issued_order(gov, lead=lead, issued_on=past + timedelta(days=i), working_days=rng.choice([5, 80])
                            ).assignment
        if lead == gov.health and rng.random() < 0.5:
            services.control_delegate(actor=gov.head, assignment=root, executor_organisation=gov.unit,
                                      deadline=root.deadline, issued_on=root.issued_on)
        fate = rng.choice(["extend", "report", "done", "return", "cancel", "reassign"])
        if fate == "extend":
            services.control_extend(actor=gov.governor, assignment=root, deadline=root.deadline + timedelta(days=30),
                                    reason="Продление")
        if fate in ("report", "done", "return"):
            services.control_report(actor=head, assignment=root, text="Отчёт")
        if fate == "done":
            services.control_accept(actor=gov.governor, assignment=root)
        if fate == "return":
            services.control_return(actor=gov.governor, assignment=root, reason="Доработать")
        if fate == "cancel":
            services.control_cancel(actor=gov.governor, assignment=root, reason="Отмена")
        if fate == "reassign":
            other = gov.finance if lead == gov.health else gov.health
            services.control_reassign(actor=gov.governor, assignment=root, executor_organisation=other,
                                      reason="Передано")
    kept = _cells()
    assert kept and sum(c[-1] for c in kept) == 16 - _cancelled()
    TopLoad.rebuild()
    assert _cells() == kept


def _cancelled() -> int:
    from krai.orders.models import Assignment, Status

    return Assignment.objects.filter(parent__isnull=True, status=Status.CANCELLED).count()


def test_region_view_from_the_counts_equals_the_live_count(gov):
    for i, days in enumerate((3, 60, 90)):
        root = issued_order(gov, issued_on=TODAY - timedelta(days=100 - i), working_days=days).assignment
        if i == 0:
            services.control_report(actor=gov.head, assignment=root, text="Отчёт")
            services.control_accept(actor=gov.governor, assignment=root)
    fast = dashboard.control_load(user=gov.governor, today=TODAY)
    # a filter sends the view to the live count over the rows; both must agree
    live = dashboard.control_load(user=gov.governor, today=TODAY, filters=dashboard.Filters(kind="order"))
    shape = [(r.key, r.total, r.done, r.open, r.overdue, r.late) for r in fast.rows]
    assert shape == [(r.key, r.total, r.done, r.open, r.overdue, r.late) for r in live.rows]
    assert fast.totals.total == 3 and fast.totals.done == 1 and fast.totals.overdue >= 1
    block = dashboard.control_load(user=gov.governor, level="block", block=gov.social.pk, today=TODAY)
    assert [(r.key, r.total) for r in block.rows] == [(gov.health.pk, 3)]


def test_vice_governors_view_adds_what_he_executes_outside_his_block(gov):
    issued_order(gov, lead=gov.health, issued_on=TODAY - timedelta(days=40), working_days=5)
    issued_order(gov, lead=gov.health, issued_on=TODAY - timedelta(days=2), working_days=30)
    issued_order(gov, lead=gov.finance, lead_user=gov.vice, issued_on=TODAY - timedelta(days=40), working_days=5)
    issued_order(gov, lead=gov.finance, issued_on=TODAY - timedelta(days=40), working_days=5)  # not his
    for user in (gov.vice, gov.vice_economy):
        fast = dashboard.control_load(user=user, today=TODAY)
        live = dashboard.control_load(user=user, today=TODAY, filters=dashboard.Filters(kind="order"))
        assert [(r.key, r.total, r.open, r.overdue) for r in fast.rows] == [
            (r.key, r.total, r.open, r.overdue) for r in live.rows]
    vice = {r.key: (r.total, r.overdue) for r in dashboard.control_load(user=gov.vice, today=TODAY).rows}
    assert vice == {gov.social.pk: (2, 1), gov.economy.pk: (1, 1)}
