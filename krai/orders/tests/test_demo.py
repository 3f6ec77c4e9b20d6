"""The demo loader: deterministic, idempotent, and its data keeps the engine's invariants."""

import io

import pytest

from krai.orders import demo
from krai.orders.models import Assignment, Order, Status, Transition

pytestmark = pytest.mark.django_db


def test_demo_orders_idempotent(gov):
    demo.load_orders(scale=1, stdout=io.StringIO(), count=40)
    first = (Order.objects.count(), Assignment.objects.count(), Transition.objects.count())
    demo.load_orders(scale=1, stdout=io.StringIO(), count=40)
    assert (Order.objects.count(), Assignment.objects.count(), Transition.objects.count()) == first
    assert first[0] == 40 and first[1] > 40
    statuses = set(Assignment.objects.values_list("status", flat=True))
    assert {Status.DONE, Status.IN_PROGRESS} <= statuses or {Status.DONE, Status.ISSUED} <= statuses
    for child in Assignment.objects.filter(parent__isnull=False).select_related("parent"):
        assert child.original_deadline <= child.parent.original_deadline or child.deadline <= child.parent.deadline
    # every assignment's current state is its history's last word
    for a in Assignment.objects.all():
        last = a.transitions.order_by("-at", "-id").first()
        assert (last.status, last.deadline) == (a.status, a.deadline), a.pk
