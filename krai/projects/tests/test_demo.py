"""The projects demo: idempotent, fast, and its plans keep the area's rules (links hold, parts inside their
parents, controlled items on control, health varying across projects)."""

import io
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from krai.orders.models import Status
from krai.orders.selectors import control_for_subject
from krai.projects import analysis, demo, planner, scheduling, selectors
from krai.projects.demo_data import PROJECTS
from krai.projects.models import Baseline, Dependency, Programme, Project, Risk, StatusReport, WorkItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def structure(db):
    call_command("demo", only=["krai.org.demo"], stdout=io.StringIO())


def _load() -> int:
    """Load the demo's projects; how many SQL statements it took (a count, unlike seconds, does not vary with the
    machine's load)."""
    with CaptureQueriesContext(connection) as queries:
        demo.load_projects(scale=1, stdout=io.StringIO(), rng=random.Random("projects-demo"))
    return len(queries)


def _snapshot() -> tuple:
    return (Programme.objects.count(), Project.objects.count(), WorkItem.objects.count(), Dependency.objects.count(),
            Baseline.objects.count(), Risk.objects.count(), StatusReport.objects.count(),
            list(WorkItem.objects.order_by("pk").values_list("planned_start", "planned_finish", "actual_finish")))


def test_demo_runs_twice_and_changes_nothing_the_second_time(structure):
    statements = _load()
    first = _snapshot()
    _load()
    assert _snapshot() == first
    assert statements < 10_000  # 7,547 when written: bulk writes, not a statement per row and field
    programmes, projects, items, links, baselines, risks, reports = first[:7]
    assert programmes == 4 and projects == len(PROJECTS) and baselines == len(PROJECTS)
    assert items >= 20 * projects and links > 50 and risks and reports
    for project in Project.objects.all():
        count = project.items.count()
        assert 20 <= count <= 60, (project.code, count)
        assert project.items.filter(depth__gte=2).exists()
        assert project.manager is not None and project.curator is not None
    assert set(Dependency.objects.values_list("type", flat=True)) == {"FS", "SS", "FF", "SF"}
    assert Dependency.objects.exclude(lag=0).exists()
    # a link across two projects of one programme
    assert Dependency.objects.exclude(predecessor__project=models_f("successor__project")).exists()


def models_f(name: str):
    from django.db.models import F

    return F(name)


def test_demo_plans_keep_the_rules(structure):
    _load()
    today = timezone.localdate()
    for programme in Programme.objects.all():
        loaded = planner.load(programme.pk)
        # every link holds: a walk from every item moves nothing
        result = scheduling.replan(loaded.graph, set(loaded.graph.nodes))
        assert not result.shifted
        for link in loaded.graph.links:
            successor = loaded.graph.nodes[link.succ]
            if not successor.done:
                need = scheduling.earliest_start(link, loaded.graph.nodes[link.pred], successor)
                assert successor.start >= need, link
    for item in WorkItem.objects.select_related("parent").filter(parent__isnull=False):
        assert item.parent.planned_start <= item.planned_start <= item.planned_finish <= item.parent.planned_finish
    assert WorkItem.objects.filter(actual_finish__isnull=False, actual_finish__lte=today).count() > 30
    assert not WorkItem.objects.filter(actual_finish__gt=today).exists()


def test_demo_health_varies_and_slippage_shows(structure):
    _load()
    health = {p.code: analysis.analyse(p).health for p in Project.objects.all()}
    assert set(health.values()) == {"on_track", "at_risk", "late"}, health
    assert health["zdrav-primary-care"] == "at_risk"
    slipped = set()
    for project in Project.objects.all():
        result = analysis.analyse(project)
        baseline = project.baselines.first()
        assert baseline.created_at.date() < timezone.localdate()
        if any(s.finish_days > 0 for s in analysis.slippage(result, baseline)):
            slipped.add(project.code)
    assert {"bkd-road-network", "zdrav-primary-care", "zhkh-clean-water"} <= slipped


def test_every_controlled_item_with_an_executor_is_on_control(structure):
    _load()
    controlled = WorkItem.objects.filter(kind__in=WorkItem.CONTROLLED, owner_organisation__isnull=False)
    assert controlled.count() > 100
    statuses = set()
    for item in controlled:
        assignment = control_for_subject(item)
        assert assignment is not None, item
        statuses.add(assignment.status)
        if item.actual_finish is not None:
            assert assignment.status == Status.DONE, item
            assert assignment.completed_on == item.actual_finish
        else:
            assert assignment.status not in (Status.DONE, Status.CANCELLED), item
            assert assignment.deadline <= item.planned_finish
    assert Status.DONE in statuses and Status.ISSUED in statuses


def test_demo_users_see_their_projects(structure):
    from krai.org.models import User

    _load()
    head = User.objects.get(email="head.health@demo.krai")
    health = Project.objects.get(code="zdrav-primary-care")
    assert health.manager == head
    assert set(selectors.projects_for(head).values_list("code", flat=True)) >= {"zdrav-primary-care"}
    for email in ("governor@demo.krai", "controller@demo.krai"):
        user = User.objects.get(email=email)
        assert selectors.projects_for(user).count() == len(PROJECTS)
        assert selectors.programmes_for(user).count() == 4
