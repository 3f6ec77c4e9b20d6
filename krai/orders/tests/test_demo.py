"""The demo loader: deterministic, idempotent, and its data keeps the engine's invariants."""

import io

import pytest
from django.utils import timezone

from krai.orders import demo, selectors
from krai.orders.models import Assignment, AssignmentAncestor, Extension, Order, Report, Status, Transition

pytestmark = pytest.mark.django_db


def _snapshot():
    return (Order.objects.count(), Assignment.objects.count(), Transition.objects.count(), Report.objects.count(),
            Extension.objects.count())


def test_demo_orders_idempotent(gov):
    demo.load_orders(scale=1, stdout=io.StringIO(), count=60)
    first = _snapshot()
    statuses = list(Assignment.objects.order_by("pk").values_list("status", "deadline", "completed_on"))
    demo.load_orders(scale=1, stdout=io.StringIO(), count=60)
    assert _snapshot() == first
    assert list(Assignment.objects.order_by("pk").values_list("status", "deadline", "completed_on")) == statuses
    assert first[0] == 60 and first[1] > 60 and first[2] > first[1] and first[3] > 0
    statuses = set(Assignment.objects.values_list("status", flat=True))
    assert {Status.DONE, Status.IN_PROGRESS} <= statuses or {Status.DONE, Status.ISSUED} <= statuses
    assert Assignment.objects.filter(depth__gt=0).exists()


def test_demo_orders_keep_the_engines_invariants(gov):
    demo.load_orders(scale=1, stdout=io.StringIO(), count=80)
    today = timezone.localdate()
    assert not Order.objects.filter(is_draft=True).exists()
    for order in Order.objects.select_related("assignment"):
        assert order.assignment.parent_id is None and order.assignment.subject_id == str(order.pk)
    # the trees' closure table, written with the bulk insert, is the one a rebuild from the parents gives
    links = set(AssignmentAncestor.objects.values_list("ancestor_id", "descendant_id"))
    assert links and AssignmentAncestor.rebuild() == len(links)
    assert set(AssignmentAncestor.objects.values_list("ancestor_id", "descendant_id")) == links
    for child in Assignment.objects.filter(parent__isnull=False).select_related("parent"):
        assert child.root_id == child.parent.root_id and child.depth == child.parent.depth + 1
        assert child.original_deadline <= child.parent.original_deadline or child.deadline <= child.parent.deadline
    for a in Assignment.objects.prefetch_related("reports", "extensions"):
        assert a.root_id is not None
        # every assignment's current state is its history's last word, also "as of" today
        history = list(a.transitions.order_by("at", "id"))
        assert history[0].action in (Transition.Action.OPENED, Transition.Action.DELEGATED)
        assert [t.at for t in history] == sorted(t.at for t in history)
        last = history[-1]
        assert (last.status, last.deadline, last.completed_on) == (a.status, a.deadline, a.completed_on), a.pk
        state = selectors.state_as_of(a, today)
        assert (state.status, state.deadline) == (a.status, a.deadline)
        pending = [r for r in a.reports.all() if r.decision == Report.Decision.PENDING]
        assert len(pending) == (1 if a.status == Status.REPORTED else 0), a.pk
        if a.status == Status.DONE:
            accepted = [r for r in a.reports.all() if r.decision == Report.Decision.ACCEPTED]
            assert len(accepted) == 1 and accepted[0].submitted_on == a.completed_on
        granted = [e for e in a.extensions.all() if e.status == Extension.Status.GRANTED]
        if granted:
            assert a.deadline == granted[-1].granted_deadline > a.original_deadline
        else:
            assert a.deadline == a.original_deadline
