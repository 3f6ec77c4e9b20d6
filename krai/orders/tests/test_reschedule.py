"""``control_reschedule``: a plan moves an assignment's deadline earlier or later; children follow it down."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

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


def test_many_deadlines_move_in_one_write_as_one_by_one_would(gov):
    from krai.orders.counts import TopLoad

    roots = [issued_order(gov, working_days=20).assignment for _ in range(3)]
    child = services.control_delegate(actor=gov.head, assignment=roots[0], executor_organisation=gov.unit,
                                      deadline=roots[0].deadline)
    wanted = {roots[0].pk: add_working_days(TODAY, 5), roots[1].pk: add_working_days(roots[1].deadline, 7),
              roots[2].pk: roots[2].deadline}  # the last one does not move
    events = Event.objects.filter(kind="control.rescheduled").count()
    assert services.control_reschedule_many(actor=None, deadlines=wanted, reason="План сдвинут") == 2
    for root in roots:
        root.refresh_from_db()
    assert [r.deadline for r in roots] == [wanted[r.pk] for r in roots]
    child.refresh_from_db()
    assert child.deadline == roots[0].deadline  # brought within its parent
    assert Transition.objects.filter(assignment__in=roots[:2], action=Transition.Action.RESCHEDULED).count() == 2
    assert Event.objects.filter(kind="control.rescheduled").count() - events == 3  # two roots and the child
    moved = Event.objects.filter(kind="control.rescheduled", subject_id=str(roots[1].pk)).get()
    assert moved.payload["deadline"] == wanted[roots[1].pk].isoformat()
    cells = sorted(TopLoad.objects.filter(n__gt=0).values_list(*TopLoad.FIELDS, "n"))
    TopLoad.rebuild()
    assert cells == sorted(TopLoad.objects.filter(n__gt=0).values_list(*TopLoad.FIELDS, "n"))


def test_many_is_the_systems_and_needs_a_reason(gov):
    root = issued_order(gov).assignment
    with pytest.raises(ValueError):
        services.control_reschedule_many(actor=gov.governor, deadlines={root.pk: root.deadline}, reason="x")
    with pytest.raises(ValidationError):
        services.control_reschedule_many(actor=None, deadlines={root.pk: root.deadline}, reason=" ")
