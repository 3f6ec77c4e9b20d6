"""Problems in a person's planner: the answer due, for the staff of the body it was routed to."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign
from krai.problems import agenda
from krai.problems.models import Problem
from krai.problems.tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def window(first: date, last: date) -> tuple[datetime, datetime]:
    return (timezone.make_aware(datetime.combine(first, time.min)),
            timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min)))


def routed(world, due: date, **fields) -> Problem:
    return ProblemFactory(category=world["pothole"], municipality=world["municipality"],
                          organisation=world["administration"], due_date=due, address="ул. Мира, 5", **fields)


def test_the_bodys_executor_sees_the_answer_due_with_the_workspace_page(world):
    due = TODAY + timedelta(days=5)
    problem = routed(world, due)
    [item] = agenda.items(world["executor"], *window(due, due))
    assert item.key == f"problems:answer:{problem.pk}" and item.kind == "answer" and item.area == "problems"
    assert item.start == due and item.all_day and str(problem.pk) in item.title
    assert item.url == reverse("problems:ws-detail", args=[problem.pk])
    assert item.detail == "ул. Мира, 5" and item.status == str(Problem.Status.ROUTED.label) and not item.overdue


def test_outside_the_window_or_another_body_or_overseers_nothing(world):
    due = TODAY + timedelta(days=5)
    routed(world, due)
    assert agenda.items(world["executor"], *window(TODAY, due - timedelta(days=1))) == []
    assert agenda.items(world["executor"], *window(due + timedelta(days=1), due + timedelta(days=9))) == []
    elsewhere = StaffFactory()
    assign(elsewhere, Role.EXECUTOR, organisation=OrganisationFactory())
    # the moderator (a controller of the region) oversees answers, he does not give them
    for person in (elsewhere, world["moderator"], StaffFactory(), AnonymousUser()):
        assert agenda.items(person, *window(due, due)) == [], person
    # awaiting moderation, rejected or merged into another: no answer is owed
    assert len(agenda.items(world["executor"], *window(due, due))) == 1
    routed(world, due, status=Problem.Status.NEW)
    routed(world, due, status=Problem.Status.REJECTED, moderation_reason="Не по теме")
    routed(world, due, duplicate_of=Problem.objects.first())
    assert len(agenda.items(world["executor"], *window(due, due))) == 1


def test_the_head_has_it_from_the_control_engine_not_again_here(world):
    head = StaffFactory()
    assign(head, Role.HEAD, organisation=world["administration"])
    due = TODAY + timedelta(days=5)
    routed(world, due)
    assert agenda.items(head, *window(due, due)) == []


def test_overdue_while_awaiting_the_answer_not_once_answered(world):
    late = TODAY - timedelta(days=2)
    waiting = routed(world, late)
    answered = routed(world, late, status=Problem.Status.FIXED)
    found = {item.key: item for item in agenda.items(world["executor"], *window(late, late))}
    assert found[f"problems:answer:{waiting.pk}"].overdue
    assert not found[f"problems:answer:{answered.pk}"].overdue


def test_queries_do_not_grow_with_the_problems(world, django_assert_max_num_queries):
    executor = world["executor"]

    def count() -> tuple[int, int]:
        fresh = type(executor).objects.get(pk=executor.pk)
        with django_assert_max_num_queries(3) as captured:
            found = agenda.items(fresh, *window(TODAY, TODAY + timedelta(days=30)))
        return len(found), len(captured.captured_queries)

    routed(world, TODAY + timedelta(days=1))
    few, few_queries = count()
    for days in range(2, 9):
        routed(world, TODAY + timedelta(days=days))
    many, many_queries = count()
    assert (few, many) == (1, 8) and many_queries == few_queries
