"""The plan's services: the chain shifts when a date moves, warnings need confirmation, bad moves and loops are
refused with nothing changed, baselines give slippage, and controlled items live in the control engine."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from krai.core.events.models import Event
from krai.core.workcalendar.selectors import add_working_days, working_days_between
from krai.orders import services as control
from krai.orders.models import Assignment, Status
from krai.orders.selectors import control_for_subject
from krai.orders.tests.factories import government
from krai.projects import analysis, services
from krai.projects.models import Dependency, WorkItem
from krai.projects.tests.helpers import fresh, item, link, project


@pytest.fixture
def gov(db):
    return government()


@pytest.fixture
def plan(gov):
    """A stage with three tasks in a chain and a control point at its end."""
    proj = project(gov)
    stage = item(proj, "Проектирование", date(2027, 2, 1), date(2027, 6, 30), kind=WorkItem.Kind.STAGE)
    survey = item(proj, "Изыскания", date(2027, 2, 1), date(2027, 2, 12), parent=stage,
                  owner_organisation=gov.unit, responsible=gov.unit_head)
    design = item(proj, "Проект", date(2027, 2, 15), date(2027, 3, 12), parent=stage, owner_organisation=gov.unit)
    review = item(proj, "Экспертиза", date(2027, 3, 15), date(2027, 3, 26), parent=stage)
    ready = item(proj, "Проект утверждён", date(2027, 3, 29), date(2027, 3, 29), parent=stage,
                 kind=WorkItem.Kind.CONTROL_POINT, owner_organisation=gov.health)
    link(survey, design)
    link(design, review)
    link(review, ready)
    return proj, stage, survey, design, review, ready


def test_moving_a_date_shifts_the_whole_chain_keeping_durations(gov, plan):
    proj, _stage, survey, design, review, ready = plan
    before = working_days_between(design.planned_start, design.planned_finish)
    with pytest.raises(services.NeedsConfirmation) as pending:
        services.reschedule(actor=gov.head, project=proj, moves={survey: (date(2027, 2, 1), date(2027, 2, 19))})
    assert [w.code for w in pending.value.plan.warnings] == ["control_point"]
    assert fresh(design).planned_start == date(2027, 2, 15)  # nothing written before confirmation

    result = services.reschedule(actor=gov.head, project=proj, confirm=True,
                                 moves={survey: (date(2027, 2, 1), date(2027, 2, 19))})
    assert set(result.shifted) == {design.pk, review.pk, ready.pk}
    design, review, ready = fresh(design), fresh(review), fresh(ready)
    assert design.planned_start == add_working_days(date(2027, 2, 19), 1)
    assert working_days_between(design.planned_start, design.planned_finish) == before
    assert review.planned_start == add_working_days(design.planned_finish, 1)
    assert ready.planned_finish == add_working_days(review.planned_finish, 1)
    event = Event.objects.filter(kind="projects.replanned").latest("id")
    assert set(event.payload["shifted"]) == {str(design.pk), str(review.pk), str(ready.pk)}
    # the controlled items' assignments moved with them
    assert control_for_subject(design).deadline == design.planned_finish
    assert control_for_subject(ready).deadline == ready.planned_finish


def test_a_shift_past_the_parent_widens_it_after_confirmation(gov, plan):
    proj, stage, survey, *_rest = plan
    with pytest.raises(services.NeedsConfirmation) as pending:
        services.reschedule(actor=gov.head, project=proj, moves={survey: (date(2027, 2, 1), date(2027, 6, 1))})
    assert "parent" in {w.code for w in pending.value.plan.warnings}
    services.reschedule(actor=gov.head, project=proj, confirm=True,
                        moves={survey: (date(2027, 2, 1), date(2027, 6, 1))})
    stage = fresh(stage)
    last = WorkItem.objects.filter(parent=stage).order_by("-planned_finish").first()
    assert stage.planned_finish == last.planned_finish > date(2027, 6, 30)


def test_a_child_moved_outside_its_parent_is_refused_and_nothing_changes(gov, plan):
    proj, stage, survey, _design, *_ = plan
    events = Event.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.reschedule(actor=gov.head, project=proj, confirm=True,
                            moves={survey: (date(2027, 1, 15), date(2027, 2, 12))})
    assert "Проектирование" in str(refused.value)
    assert fresh(survey).planned_start == date(2027, 2, 1)
    assert Event.objects.count() == events
    with pytest.raises(ValidationError):  # a parent shrunk so that a child falls outside
        services.reschedule(actor=gov.head, project=proj, moves={stage: (date(2027, 2, 1), date(2027, 3, 1))})


def test_a_parent_moved_whole_carries_its_parts(gov, plan):
    proj, stage, survey, _design, _review, ready = plan
    services.reschedule(actor=gov.head, project=proj, confirm=True,
                        moves={stage: (date(2027, 3, 1), add_working_days(
                            date(2027, 6, 30), working_days_between(date(2027, 2, 1), date(2027, 3, 1))))})
    assert fresh(survey).planned_start > date(2027, 2, 1)
    assert fresh(ready).planned_finish > date(2027, 3, 29)


def test_a_dependency_loop_is_refused_with_the_items_named(gov, plan):
    _proj, stage, survey, _design, _review, ready = plan
    with pytest.raises(ValidationError) as refused:
        services.dependency_add(actor=gov.head, predecessor=ready, successor=survey)
    assert refused.value.code == "cycle"
    assert not Dependency.objects.filter(predecessor=ready).exists()
    with pytest.raises(ValidationError):
        services.dependency_add(actor=gov.head, predecessor=stage, successor=survey)  # a part of itself


def test_a_new_link_pushes_its_successor(gov, plan):
    proj, stage, _survey, design, _review, _ready = plan
    extra = item(proj, "Согласование", date(2027, 2, 1), date(2027, 2, 5), parent=stage)
    services.dependency_add(actor=gov.head, predecessor=design, successor=extra, type="FF", lag=2)
    assert fresh(extra).planned_finish == add_working_days(design.planned_finish, 2)


def test_a_baseline_shows_slippage_and_health_turns(gov, plan):
    proj, _stage, survey, _design, _review, ready = plan
    services.baseline_save(actor=gov.head, project=proj, name="Утверждённый план")
    services.reschedule(actor=gov.head, project=proj, confirm=True,
                        moves={survey: (date(2027, 2, 1), date(2027, 2, 26))})
    result = analysis.analyse(proj, today=date(2027, 1, 20))
    slips = {s.title: s for s in analysis.slippage(result, proj.baselines.get())}
    assert slips["Изыскания"].finish_days == 14
    assert slips["Проект утверждён"].finish_days == (fresh(ready).planned_finish - date(2027, 3, 29)).days > 0
    assert result.health == "at_risk"
    late = analysis.analyse(proj, today=date(2027, 4, 20))
    assert late.health == "late"


def test_progress_rolls_up_weighted_by_duration(gov, plan):
    proj, stage, survey, _design, _review, _ready = plan
    services.item_progress(actor=gov.head, item=survey, progress=100)
    result = analysis.analyse(proj, today=date(2027, 1, 20))
    leaves = [r for r in result.rows if not r.has_parts]
    weight = sum(r.weight for r in leaves)
    expected = round(sum(r.progress * r.weight for r in leaves) / weight)
    assert result.by_id[stage.pk].progress == expected == result.progress > 0


def test_controlled_items_are_assignments_and_acceptance_finishes_them(gov, plan):
    _proj, stage, survey, _design, review, _ready = plan
    assignment = control_for_subject(survey)
    assert (assignment.kind, assignment.executor_organisation, assignment.executor_user, assignment.deadline,
            assignment.issuer) == ("project.item", gov.unit, gov.unit_head, survey.planned_finish, gov.head)
    assert control_for_subject(review) is None  # no executor: not on control
    assert control_for_subject(stage) is None  # a stage is not controlled itself
    control.control_report(actor=gov.unit_head, assignment=assignment, text="Изыскания выполнены",
                           submitted_on=date(2027, 2, 10))
    control.control_accept(actor=gov.head, assignment=assignment)
    from krai.core.events.dispatch import deliver_pending
    deliver_pending()
    survey = fresh(survey)
    assert (survey.actual_finish, survey.progress) == (date(2027, 2, 10), 100)


def test_the_editor_finishing_an_item_closes_its_assignment(gov, plan):
    _proj, _stage, survey, *_ = plan
    services.item_progress(actor=gov.head, item=survey, actual_finish=date(2026, 11, 2))
    assert Assignment.objects.get(pk=control_for_subject(survey).pk).status == Status.DONE


def test_deleting_an_item_cancels_its_assignment(gov, plan):
    proj, stage, survey, *_ = plan
    assignment = control_for_subject(survey)
    services.item_delete(actor=gov.head, item=stage)
    assert Assignment.objects.get(pk=assignment.pk).status == Status.CANCELLED
    assert not WorkItem.objects.filter(project=proj).exists()


def test_only_editors_change_the_plan(gov, plan):
    proj, _stage, survey, *_ = plan
    for outsider in (gov.outsider, gov.finance_head, gov.executor):
        with pytest.raises(PermissionDenied):
            services.reschedule(actor=outsider, project=proj, moves={survey: (date(2027, 2, 2), date(2027, 2, 12))})
        with pytest.raises(PermissionDenied):
            services.baseline_save(actor=outsider, project=proj, name="x")
    services.baseline_save(actor=gov.controller, project=proj, name="Контроль")


def test_the_other_writes_are_checked_and_recorded(gov, plan):
    proj, stage, survey, design, _review, _ready = plan
    before = Event.objects.count()
    services.programme_update(actor=gov.head, programme=proj.programme, title="НП «Продолжительная жизнь»")
    services.project_update(actor=gov.head, project=proj, budget_planned="2500000")
    services.item_update(actor=gov.head, item=design, title="Проектная документация", owner_organisation=gov.subunit)
    assert control_for_subject(design).executor_organisation == gov.subunit  # reassigned with the item
    link_row = Dependency.objects.get(predecessor=survey, successor=design)
    services.dependency_remove(actor=gov.head, dependency=link_row)
    risk = services.risk_add(actor=gov.head, project=proj, title="Срыв поставки модулей", probability="high",
                             impact="high")
    services.risk_update(actor=gov.head, risk=risk, is_open=False)
    services.status_report_add(actor=gov.head, project=proj, text="Изыскания завершены.")
    baseline = services.baseline_save(actor=gov.head, project=proj, name="Первый")
    services.baseline_delete(actor=gov.head, baseline=baseline)
    assert Event.objects.count() - before == 10  # nine writes, and the reassignment of the item on control
    with pytest.raises(PermissionDenied):
        services.project_update(actor=gov.finance_head, project=proj, title="Чужой")
    with pytest.raises(PermissionDenied):
        services.risk_add(actor=gov.executor, project=proj, title="x")
    assert fresh(stage).title == "Проектирование"


def test_a_task_given_parts_leaves_control_to_them_and_returns_when_they_go(gov, plan):
    proj, _stage, survey, *_rest = plan
    own = control_for_subject(survey)
    part = item(proj, "Геодезия", date(2027, 2, 1), date(2027, 2, 5), parent=survey, owner_organisation=gov.unit)
    assert Assignment.objects.get(pk=own.pk).status == Status.CANCELLED
    assert control_for_subject(part).status == Status.ISSUED
    services.item_delete(actor=gov.head, item=part)
    assert control_for_subject(fresh(survey)).status == Status.ISSUED  # back on control, a new assignment
    assert control_for_subject(survey).pk != own.pk
