"""``control_reschedule``: a plan moves an assignment's deadline earlier or later; children follow it down."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from krai.core.events.models import Event
from krai.core.workcalendar.selectors import add_working_days
from krai.orders import services
from krai.orders.models import Transition
from krai.orders.tests.factories import TODAY, issued_order


def test_a_deadline_moves_both_ways_and_children_are_kept_within_it(gov):
    root = issued_order(gov, working_days=30).assignment
    original = root.deadline
    child = services.control_delegate(actor=gov.head, assignment=root, executor_organisation=gov.unit,
                                      deadline=root.deadline)
    later = add_working_days(original, 5)
    services.control_reschedule(actor=gov.governor, assignment=root, deadline=later, reason="План сдвинут")
    root.refresh_from_db()
    assert (root.deadline, root.original_deadline) == (later, original)
    earlier = add_working_days(TODAY, 10)
    services.control_reschedule(actor=None, assignment=root, deadline=earlier, reason="План ускорен")
    root.refresh_from_db()
    child.refresh_from_db()
    assert root.deadline == earlier == child.deadline
    assert Transition.objects.filter(assignment=child, action=Transition.Action.RESCHEDULED).exists()
    assert Event.objects.filter(kind="control.rescheduled").count() == 3


def test_only_the_issuer_side_moves_a_deadline(gov):
    root = issued_order(gov).assignment
    with pytest.raises(PermissionDenied):
        services.control_reschedule(actor=gov.executor, assignment=root, deadline=root.deadline + timedelta(days=9),
                                    reason="x")
