"""The pre-counted top-level load and trend: kept by every change of the engine, equal to a recount from the rows,
and the views read from them equal to the live count over the rows."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from krai.orders import dashboard, services
from krai.orders.models import TopLoad, TopMonth
from krai.orders.tests.factories import TODAY, issued_order

pytestmark = pytest.mark.django_db


def _cells():
    return sorted((c.block_id, c.body_id, c.issuer_id, c.is_open, c.deadline, c.late, c.n)
                  for c in TopLoad.objects.filter(n__gt=0))


def _months():
    return sorted((c.block_id, c.body_id, c.issuer_id, c.month, c.given, c.done, c.late)
                  for c in TopMonth.objects.exclude(given=0, done=0, late=0))


def _shape(load):
    return [(r.key, r.total, r.done, r.open, r.overdue, r.late) for r in load.rows]


def _shape_row(r):
    return (r.key, r.total, r.done, r.open, r.overdue, r.late)


def _assert_fast_views_equal_live(gov, users):
    """Each user's unfiltered region and block views and trends (from the cells) equal the live count over the
    rows (a filter that keeps every row sends a view to the live count)."""
    live = dashboard.Filters(kind="order")
    for user in users:
        user.__dict__.pop("_krai_scope", None)
        assert _shape(dashboard.control_load(user=user, today=TODAY)) == _shape(
            dashboard.control_load(user=user, today=TODAY, filters=live))
        assert dashboard.trend(user=user, today=TODAY) == dashboard.trend(user=user, today=TODAY, filters=live)
        for block in (gov.social, gov.economy):
            fast = dashboard.control_load(user=user, level="block", block=block.pk, today=TODAY)
            assert _shape(fast) == _shape(dashboard.control_load(user=user, level="block", block=block.pk,
                                                                 today=TODAY, filters=live))
            assert dashboard.trend(user=user, level="block", block=block.pk, today=TODAY) == dashboard.trend(
                user=user, level="block", block=block.pk, today=TODAY, filters=live)
        for body in (gov.health, gov.finance):  # the body level's note: its row of the block's table
            fast = dashboard.control_load(user=user, level="body", body=body.pk, today=TODAY).top
            slow = dashboard.control_load(user=user, level="body", body=body.pk, today=TODAY, filters=live).top
            assert _shape_row(fast) == _shape_row(slow)


def test_kept_counts_equal_a_recount_after_every_kind_of_change(gov):
    rng = random.Random(3)
    past = TODAY - timedelta(days=60)
    for i in range(16):
        lead = rng.choice([gov.health, gov.finance])
        head = gov.finance_head if lead == gov.finance else gov.head
        # a vice-governor gives inside his block; a reassignment by the governor can move it outside
        issuer = rng.choice([gov.governor, gov.vice]) if lead == gov.health else gov.governor
        root = issued_order(gov, issuer=issuer, lead=lead, issued_on=past + timedelta(days=3 * i),
                            working_days=rng.choice([5, 80])).assignment
        if lead == gov.health and rng.random() < 0.5:
            services.control_delegate(actor=gov.head, assignment=root, executor_organisation=gov.unit,
                                      deadline=root.deadline, issued_on=root.issued_on)
        fate = rng.choice(["extend", "report", "done", "return", "cancel", "reassign"])
        if fate == "extend":
            services.control_extend(actor=issuer, assignment=root, deadline=root.deadline + timedelta(days=30),
                                    reason="Продление")
        if fate in ("report", "done", "return"):
            services.control_report(actor=head, assignment=root, text="Отчёт")
        if fate == "done":
            services.control_accept(actor=issuer, assignment=root)
        if fate == "return":
            services.control_return(actor=issuer, assignment=root, reason="Доработать")
        if fate == "cancel":
            services.control_cancel(actor=issuer, assignment=root, reason="Отмена")
        if fate == "reassign":
            other = gov.finance if lead == gov.health else gov.health
            services.control_reassign(actor=gov.governor, assignment=root, executor_organisation=other,
                                      reason="Передано")
    kept, months = _cells(), _months()
    assert kept and sum(c[-1] for c in kept) == 16 - _cancelled()
    assert sum(c[4] for c in months) == 16 - _cancelled() and any(c[5] for c in months)
    assert len({c[2] for c in kept}) == 2 and len({c[3] for c in months}) > 1  # two issuers, several months
    _assert_fast_views_equal_live(gov, [gov.governor, gov.vice, gov.vice_economy])
    TopLoad.rebuild()
    assert _cells() == kept
    assert _months() == months


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


def test_what_a_vice_governor_gave_outside_his_block_is_read_from_the_cells(gov):
    # he may give orders in his block only; the governor then passes one to another block, where it stays his
    moved = issued_order(gov, issuer=gov.vice, lead=gov.health, issued_on=TODAY - timedelta(days=40),
                         working_days=5).assignment
    services.control_reassign(actor=gov.governor, assignment=moved, executor_organisation=gov.finance,
                              reason="Передано")
    issued_order(gov, issuer=gov.vice, lead=gov.health, issued_on=TODAY - timedelta(days=70), working_days=5)
    issued_order(gov, lead=gov.finance, issued_on=TODAY - timedelta(days=40), working_days=5)  # not his
    with CaptureQueriesContext(connection) as read:
        vice = {r.key: (r.total, r.overdue) for r in dashboard.control_load(user=gov.vice, today=TODAY).rows}
        trend = dashboard.trend(user=gov.vice, today=TODAY)
    assert vice == {gov.social.pk: (1, 1), gov.economy.pk: (1, 1)}
    # the rows are read only for what he executes outside his block (the executor's index), never by issuer
    rows = [q["sql"] for q in read.captured_queries if 'FROM "orders_assignment"' in q["sql"]]
    assert rows and all('"executor_user_id" =' in sql for sql in rows)
    assert sum(m["given"] for m in trend) == 2
    _assert_fast_views_equal_live(gov, [gov.governor, gov.vice, gov.vice_economy])
    # the cells move with the row: once the order he gave outside is executed, it is counted as done
    from krai.orders.models import Assignment

    outside = Assignment.objects.get(parent__isnull=True, issuer=gov.vice, block=gov.economy)
    services.control_report(actor=gov.finance_head, assignment=outside, text="Отчёт")
    services.control_accept(actor=gov.vice, assignment=outside)
    row = next(r for r in dashboard.control_load(user=gov.vice, today=TODAY).rows if r.key == gov.economy.pk)
    assert (row.total, row.done, row.overdue) == (1, 1, 0)
    _assert_fast_views_equal_live(gov, [gov.governor, gov.vice, gov.vice_economy])
