"""The control engine's items in a person's planner: his deadlines, what he gave, within his reach only."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from krai.core.workcalendar.selectors import previous_working_day
from krai.orders import agenda
from krai.orders.models import Assignment, Status
from krai.orders.services import control_accept, control_report
from krai.orders.tests.factories import TODAY, issued_order

pytestmark = pytest.mark.django_db


def window(first: date, last: date) -> tuple[datetime, datetime]:
    """From the start of ``first`` to the start of the day after ``last``, local time."""
    return (timezone.make_aware(datetime.combine(first, time.min)),
            timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min)))


def by_key(user, first: date, last: date) -> dict:
    return {item.key: item for item in agenda.items(user, *window(first, last))}


def test_executor_sees_his_deadline_on_its_day_with_the_card_url(gov):
    order = issued_order(gov, lead=gov.subunit, lead_user=gov.executor, deadline=TODAY + timedelta(days=20))
    root = order.assignment
    found = by_key(gov.executor, root.deadline, root.deadline)
    item = found[f"orders:deadline:{root.pk}"]
    assert item.start == root.deadline and item.all_day
    assert item.url == reverse("orders:assignment", args=[root.pk])
    assert item.title == root.title and item.kind == "deadline" and item.area == "orders"
    assert item.status == str(Status.ISSUED.label) and not item.overdue
    assert item.detail == str(gov.subunit)


def test_outside_the_window_nothing(gov):
    order = issued_order(gov, lead=gov.subunit, lead_user=gov.executor, deadline=TODAY + timedelta(days=20))
    deadline = order.assignment.deadline
    assert by_key(gov.executor, deadline - timedelta(days=5), deadline - timedelta(days=1)) == {}
    assert by_key(gov.executor, deadline + timedelta(days=1), deadline + timedelta(days=5)) == {}
    # the window's end is excluded: ending exactly at the start of the deadline's day leaves it out
    start, _ = window(deadline - timedelta(days=3), deadline)
    end = timezone.make_aware(datetime.combine(deadline, time.min))
    assert agenda.items(gov.executor, start, end) == []


def test_head_of_the_executor_body_sees_it_others_do_not(gov):
    order = issued_order(gov, lead=gov.health, deadline=TODAY + timedelta(days=20))
    root = order.assignment
    assert by_key(gov.head, root.deadline, root.deadline)[f"orders:deadline:{root.pk}"].kind == "deadline"
    # the head of a unit below does not execute what was given to the ministry, nor does a stranger
    for other in (gov.unit_head, gov.finance_head, gov.outsider, gov.executor):
        assert by_key(other, root.deadline, root.deadline) == {}, other


def test_issuer_sees_what_he_gave_and_its_control_points(gov):
    point_day = previous_working_day(TODAY + timedelta(days=10))
    order = issued_order(gov, lead=gov.health, deadline=TODAY + timedelta(days=30),
                         control_points=[("Первый этап", point_day)])
    root = order.assignment
    point = Assignment.objects.get(parent=root)
    found = by_key(gov.governor, TODAY, root.deadline)
    assert set(found) == {f"orders:control:{root.pk}", f"orders:control_point:{point.pk}"}
    assert found[f"orders:control_point:{point.pk}"].start == point.deadline
    assert found[f"orders:control:{root.pk}"].detail == str(gov.health)
    # the head executes both, as his own deadlines
    assert set(by_key(gov.head, TODAY, root.deadline)) == {f"orders:deadline:{root.pk}",
                                                           f"orders:deadline:{point.pk}"}


def test_overdue_until_executed_then_not(gov):
    issued = TODAY - timedelta(days=40)
    order = issued_order(gov, lead=gov.subunit, lead_user=gov.executor, deadline=TODAY - timedelta(days=10),
                         issued_on=issued)
    root = order.assignment
    item = by_key(gov.executor, root.deadline, root.deadline)[f"orders:deadline:{root.pk}"]
    assert item.overdue
    control_report(actor=gov.executor, assignment=root, text="Исполнено")
    control_accept(actor=gov.governor, assignment=root)
    item = by_key(gov.executor, root.deadline, root.deadline)[f"orders:deadline:{root.pk}"]
    assert not item.overdue and item.status == str(Status.DONE.label)


def test_nobody_without_a_staff_account(gov):
    order = issued_order(gov, lead=gov.subunit, lead_user=gov.executor, deadline=TODAY + timedelta(days=20))
    deadline = order.assignment.deadline
    assert agenda.items(AnonymousUser(), *window(deadline, deadline)) == []
    gov.executor.is_staff = False
    gov.executor.save(update_fields=["is_staff"])
    assert agenda.items(gov.executor, *window(deadline, deadline)) == []


def test_queries_do_not_grow_with_the_items(gov, django_assert_max_num_queries):
    def count(user) -> int:
        fresh = type(user).objects.get(pk=user.pk)  # no memoised scope
        with django_assert_max_num_queries(6) as captured:
            found = agenda.items(fresh, *window(TODAY, TODAY + timedelta(days=60)))
        return len(found), len(captured.captured_queries)

    issued_order(gov, lead=gov.subunit, lead_user=gov.executor, deadline=TODAY + timedelta(days=20))
    few, few_queries = count(gov.executor)
    for days in range(21, 30):
        issued_order(gov, lead=gov.subunit, lead_user=gov.executor, deadline=TODAY + timedelta(days=days))
    many, many_queries = count(gov.executor)
    assert (few, many) == (1, 10)
    assert many_queries == few_queries
