"""Problems under the orders area's control engine: one assignment per reaction, kept in step both ways."""

import pytest

from krai.core.events.models import Event
from krai.org.tests.factories import OrganisationFactory
from krai.problems import engine, services
from krai.problems.models import Problem, ProblemUpdate

pytestmark = pytest.mark.skipif(not engine.available(),
                                reason="krai.orders.services has no control_open yet (the orders area lands it)")


def routed(world):
    problem = services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                      description="Не горит фонарь у остановки, темно")
    return services.problem_publish(actor=world["moderator"], problem=problem)


def test_routing_opens_an_assignment(world):
    problem = routed(world)
    assignment = engine.assignment_for(problem)
    assert assignment is not None and assignment.kind == "problem"
    assert assignment.executor_organisation_id == world["administration"].pk
    assert assignment.deadline == problem.due_date
    assert Event.objects.filter(kind="control.opened").exists()


def test_answer_closes_the_assignment_and_reopen_opens_another(world):
    problem = routed(world)
    services.problem_take(actor=world["executor"], problem=problem)
    assert engine.assignment_for(problem).status == "in_progress"
    services.problem_answer(actor=world["executor"], problem=problem, answer="fixed", text="Заменена лампа")
    first = engine.assignment_for(problem)
    assert first.status == "done"
    services.problem_rate(actor=world["resident"], problem=problem, rating=1, comment="Всё так же темно")
    second = engine.assignment_for(problem)
    assert second.pk != first.pk and second.status == "issued"


def test_reassign_moves_the_assignment(world):
    problem = routed(world)
    other = OrganisationFactory()
    services.problem_reassign(actor=world["executor"], problem=problem, organisation=other, reason="Не наш участок")
    assert engine.assignment_for(problem).executor_organisation_id == other.pk


def test_merge_cancels_the_duplicates_assignment(world):
    original, duplicate = routed(world), routed(world)
    services.problem_merge(actor=world["moderator"], problem=duplicate, into=original)
    assert engine.assignment_for(duplicate).status == "cancelled"
    assert engine.assignment_for(original).status == "issued"


def test_overdue_event_is_written_once(world):
    from krai.problems.subscribers import control_changed

    problem = routed(world)
    assignment = engine.assignment_for(problem)
    event = Event.objects.create(kind="control.overdue", payload={
        "assignment_id": assignment.pk, "kind": "problem", "subject_type": "problems.problem",
        "subject_id": str(problem.pk), "status": "issued", "deadline": str(problem.due_date)})
    control_changed(event)
    control_changed(event)  # delivered twice
    assert ProblemUpdate.objects.filter(problem=problem, kind="overdue").count() == 1
    other = Event.objects.create(kind="control.overdue", payload={**event.payload, "kind": "order"})
    control_changed(other)
    assert ProblemUpdate.objects.filter(problem=problem, kind="overdue").count() == 1
    assert Problem.objects.get(pk=problem.pk).status == Problem.Status.ROUTED
