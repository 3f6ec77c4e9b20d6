"""The problem follows its assignment when people work on it in the orders area (report, accept, return, cancel).

Events go through the real dispatcher (``deliver_pending``), so the problems services' own calls to the
engine come back as events too; those must change nothing.
"""

import datetime as dt

import pytest

from krai.core.events.dispatch import deliver_pending
from krai.core.events.models import Event
from krai.org.tests.factories import OrganisationFactory
from krai.problems import engine, services
from krai.problems.models import Problem, ProblemUpdate

pytestmark = pytest.mark.skipif(not engine.available(), reason="the orders area's control engine is missing")


def control():
    import importlib

    return importlib.import_module("krai.orders.services")


@pytest.fixture
def routed(world):
    problem = services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                      description="Яма на дороге у школы, глубокая")
    problem = services.problem_publish(actor=world["moderator"], problem=problem)
    deliver_pending()
    return problem


def fresh(problem) -> Problem:
    return Problem.objects.get(pk=problem.pk)


def rows(problem, kind) -> int:
    return ProblemUpdate.objects.filter(problem=problem, kind=kind).count()


def report_in_engine(problem, text="Яма заделана холодным асфальтом"):
    control().control_report(actor=None, assignment=engine.assignment_for(problem), text=text)
    deliver_pending()


def test_engine_report_is_the_answer_fixed(routed):
    report_in_engine(routed)
    problem = fresh(routed)
    assert (problem.status, problem.answer) == (Problem.Status.FIXED, Problem.Answer.FIXED)
    assert problem.answer_text == "Яма заделана холодным асфальтом"
    assert problem.answered_at is not None and problem.closed_at is not None
    answered = ProblemUpdate.objects.get(problem=problem, kind="answered")
    assert answered.event_id is not None
    assert Event.objects.filter(kind="problems.answered", subject_id=str(problem.pk)).count() == 1


def test_the_same_event_twice_changes_nothing_more(routed):
    from krai.problems.subscribers import control_changed

    report_in_engine(routed)
    event = Event.objects.get(kind="control.reported")
    control_changed(event)
    control_changed(event)
    assert rows(routed, "answered") == 1
    assert Event.objects.filter(kind="problems.answered").count() == 1


def test_engine_accept_closes_the_loop(routed):
    report_in_engine(routed)
    control().control_accept(actor=None, assignment=engine.assignment_for(routed))
    deliver_pending()
    problem = fresh(routed)
    assert problem.status == Problem.Status.FIXED
    assert engine.assignment_for(problem).status == "done"
    assert rows(problem, "accepted") == 1 and rows(problem, "answered") == 1


def test_engine_return_puts_it_back_in_work_and_a_new_report_answers_again(routed):
    report_in_engine(routed)
    control().control_return(actor=None, assignment=engine.assignment_for(routed), reason="Фото не приложено")
    deliver_pending()
    problem = fresh(routed)
    assert problem.status == Problem.Status.IN_WORK
    assert (problem.answer, problem.answer_text, problem.closed_at) == ("", "", None)
    returned = ProblemUpdate.objects.get(problem=problem, kind="returned")
    assert returned.text == "Фото не приложено"
    report_in_engine(problem, text="Заделана, фото в отчёте")
    problem = fresh(problem)
    assert problem.status == Problem.Status.FIXED and problem.answer_text == "Заделана, фото в отчёте"
    assert rows(problem, "answered") == 2


def test_a_problem_answered_by_its_service_is_left_alone(routed, world):
    services.problem_take(actor=world["executor"], problem=routed)
    services.problem_answer(actor=world["executor"], problem=routed, answer="declined", text="Не в ведении")
    before = ProblemUpdate.objects.filter(problem=routed).count()
    deliver_pending()  # control.reported and control.accepted of the service's own calls
    problem = fresh(routed)
    assert problem.status == Problem.Status.CLOSED and problem.answer == Problem.Answer.DECLINED
    assert ProblemUpdate.objects.filter(problem=problem).count() == before
    assert Event.objects.filter(kind="problems.answered").count() == 1


def test_a_reopening_that_returns_the_report_is_not_undone(routed, world):
    report_in_engine(routed)
    services.problem_rate(actor=world["resident"], problem=fresh(routed), rating=1, comment="Яма осталась")
    assert engine.assignment_for(routed).status == "in_progress"  # the service returned the report itself
    deliver_pending()
    problem = fresh(routed)
    assert problem.status == Problem.Status.REOPENED
    assert rows(problem, "returned") == 0 and rows(problem, "reopened") == 1


def test_engine_cancel_keeps_the_problem_and_notes_it_for_staff(routed):
    control().control_cancel(actor=None, assignment=engine.assignment_for(routed), reason="Снято с контроля")
    deliver_pending()
    problem = fresh(routed)
    assert problem.status == Problem.Status.ROUTED
    note = ProblemUpdate.objects.get(problem=problem, kind="uncontrolled")
    assert note.is_public is False


def test_merge_cancels_without_a_note(routed, world):
    original = services.problem_publish(actor=world["moderator"], problem=services.problem_report(
        actor=world["neighbour"], category=world["pothole"], lat=45.0, lon=38.0,
        description="Та же яма на дороге у школы"))
    services.problem_merge(actor=world["moderator"], problem=routed, into=original)
    deliver_pending()
    assert rows(routed, "uncontrolled") == 0
    assert fresh(routed).status == Problem.Status.CLOSED


def test_a_delegated_childs_report_is_not_the_answer(routed):
    root = engine.assignment_for(routed)
    unit = OrganisationFactory(parent=root.executor_organisation)
    child = control().control_delegate(actor=None, assignment=root, executor_organisation=unit,
                                       deadline=root.deadline - dt.timedelta(days=0))
    control().control_report(actor=None, assignment=child, text="Сделали своё")
    deliver_pending()
    assert fresh(routed).status == Problem.Status.ROUTED
    assert rows(routed, "answered") == 0


def test_an_order_assignment_is_ignored(routed):
    from krai.problems.subscribers import control_changed

    assignment = engine.assignment_for(routed)
    control_changed(Event.objects.create(kind="control.reported", payload={
        "assignment_id": assignment.pk, "kind": "order", "subject_type": "problems.problem",
        "subject_id": str(routed.pk), "status": "reported", "deadline": str(routed.due_date)}))
    assert fresh(routed).status == Problem.Status.ROUTED
