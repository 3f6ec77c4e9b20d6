"""Project items in a person's planner: what he is responsible for, on its planned finish, once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from krai.orders import agenda as orders_agenda
from krai.orders.tests.factories import government
from krai.projects import agenda, services
from krai.projects.models import Project, WorkItem
from krai.projects.tests.helpers import item, project

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def gov(db):
    return government()


def window(first: date, last: date) -> tuple[datetime, datetime]:
    return (timezone.make_aware(datetime.combine(first, time.min)),
            timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min)))


def current_project(gov, **extra) -> Project:
    return project(gov, starts_on=TODAY - timedelta(days=60), ends_on=TODAY + timedelta(days=300), **extra)


def test_his_milestone_appears_on_its_day_with_the_item_page(gov):
    proj = current_project(gov)
    day = TODAY + timedelta(days=10)
    point = item(proj, "Проект утверждён", day, day, kind=WorkItem.Kind.CONTROL_POINT, responsible=gov.executor)
    [found] = agenda.items(gov.executor, *window(day, day))
    assert found.key == f"projects:item:{point.pk}" and found.kind == "milestone" and found.area == "projects"
    assert found.start == day and found.all_day and found.title == "Проект утверждён"
    assert found.url == point.get_absolute_url() == f"/workspace/projects/p/{proj.code}/items/{point.pk}/"
    assert found.detail == f"{proj.code} · 1" and not found.overdue


def test_outside_the_window_or_not_his_nothing(gov):
    proj = current_project(gov)
    day = TODAY + timedelta(days=10)
    item(proj, "Задача", day - timedelta(days=5), day, responsible=gov.executor)
    assert agenda.items(gov.executor, *window(day + timedelta(days=1), day + timedelta(days=9))) == []
    assert agenda.items(gov.executor, *window(day - timedelta(days=9), day - timedelta(days=1))) == []
    # the manager, the head of the body, a stranger: responsible they are not
    for other in (gov.head, gov.unit_head, gov.outsider):
        assert agenda.items(other, *window(day, day)) == [], other
    assert agenda.items(AnonymousUser(), *window(day, day)) == []


def test_overdue_until_finished(gov):
    proj = current_project(gov)
    late = TODAY - timedelta(days=3)
    task = item(proj, "Задача", late - timedelta(days=10), late, responsible=gov.executor)
    [found] = agenda.items(gov.executor, *window(late, late))
    assert found.overdue and found.kind == "task"
    services.item_progress(actor=None, item=task, progress=100, actual_start=late - timedelta(days=10),
                           actual_finish=late)
    [found] = agenda.items(gov.executor, *window(late, late))
    assert not found.overdue


def test_an_item_on_control_is_the_orders_deadline_and_not_listed_again(gov):
    proj = current_project(gov)
    day = TODAY + timedelta(days=10)
    task = item(proj, "Изыскания", day - timedelta(days=5), day, owner_organisation=gov.subunit,
                responsible=gov.executor)
    assert agenda.items(gov.executor, *window(day - timedelta(days=5), day + timedelta(days=5))) == []
    [deadline] = orders_agenda.items(gov.executor, *window(day - timedelta(days=5), day + timedelta(days=5)))
    assert task.title in deadline.title


def test_an_item_in_a_closed_project_is_gone(gov):
    proj = current_project(gov)
    day = TODAY + timedelta(days=10)
    item(proj, "Задача", day, day, responsible=gov.executor)
    Project.objects.filter(pk=proj.pk).update(status=Project.Status.CLOSED)
    assert agenda.items(gov.executor, *window(day, day)) == []


def test_queries_do_not_grow_with_the_items(gov, django_assert_max_num_queries):
    proj = current_project(gov)

    def count() -> tuple[int, int]:
        fresh = type(gov.executor).objects.get(pk=gov.executor.pk)
        with django_assert_max_num_queries(4) as captured:
            found = agenda.items(fresh, *window(TODAY, TODAY + timedelta(days=60)))
        return len(found), len(captured.captured_queries)

    item(proj, "Задача 1", TODAY, TODAY + timedelta(days=1), responsible=gov.executor)
    few, few_queries = count()
    for n in range(2, 9):
        item(proj, f"Задача {n}", TODAY, TODAY + timedelta(days=n), responsible=gov.executor)
    many, many_queries = count()
    assert (few, many) == (1, 8) and many_queries == few_queries
