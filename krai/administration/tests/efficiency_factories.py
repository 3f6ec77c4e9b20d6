"""Test data of the efficiency part: a small government with nested units, and assignments, returns, answers and
ratings written as rows with their history (fixtures, dated in the past, not through the services)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from krai.orders.models import Assignment, Status, Transition
from krai.org.models import Organisation, Role
from krai.org.tests.factories import BlockFactory, OrganisationFactory, PositionFactory, StaffFactory, assign
from krai.problems.models import Problem, ProblemRating, ProblemUpdate
from krai.problems.tests.factories import ProblemFactory

MARCH = (date(2026, 3, 1), date(2026, 3, 31))
FEBRUARY = (date(2026, 2, 1), date(2026, 2, 28))


def moment(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@dataclass
class World:
    health: Organisation
    unit: Organisation  # under health
    subunit: Organisation  # under unit
    finance: Organisation
    head: object  # head of health
    finance_head: object
    governor: object
    admin: object
    anna: object  # executor in the unit
    boris: object  # executor in the subunit
    fedor: object  # executor in finance
    outsider: object  # staff without a role


def world() -> World:
    social, economy = BlockFactory(name="Социальный блок"), BlockFactory(name="Экономический блок")
    health = OrganisationFactory(name="Министерство здравоохранения", block=social)
    unit = OrganisationFactory(name="Управление кадров", block=social, parent=health, kind="unit")
    subunit = OrganisationFactory(name="Отдел <b>учёта</b>", block=social, parent=unit, kind="unit")
    finance = OrganisationFactory(name="Министерство финансов", block=economy)
    head, finance_head = StaffFactory(surname="Министров"), StaffFactory(surname="Финансов")
    assign(head, Role.HEAD, organisation=health)
    assign(finance_head, Role.HEAD, organisation=finance)
    governor, admin = StaffFactory(surname="Губернаторов"), StaffFactory(surname="Админов")
    assign(governor, Role.GOVERNOR)
    assign(admin, Role.ADMINISTRATOR)
    anna, boris, fedor = (StaffFactory(surname="Аннова"), StaffFactory(surname="Борисов <script>"),
                          StaffFactory(surname="Федоров"))
    assign(anna, Role.EXECUTOR, organisation=unit)
    PositionFactory(organisation=subunit, holder=boris)
    assign(fedor, Role.EXECUTOR, organisation=finance)
    return World(health, unit, subunit, finance, head, finance_head, governor, admin, anna, boris, fedor,
                 StaffFactory(surname="Посторонний"))


def _transition(a: Assignment, action: str, day: date, *, org=None, user=None, status=None, deadline=None,
                completed_on=None, hour: int = 12) -> Transition:
    return Transition.objects.create(
        assignment=a, at=moment(day, hour), action=action, status=status or a.status, deadline=deadline or a.deadline,
        executor_organisation=org or a.executor_organisation, executor_user=user, completed_on=completed_on)


def assignment(org: Organisation, person=None, *, issued: date, deadline: date, done: date | None = None,
               title: str = "Поручение", reassigned: tuple | None = None) -> Assignment:
    """An assignment with its history: opened on ``issued``; optionally reassigned (``(day, org, person)``, the
    arguments then name the first executor); executed on ``done`` (report and acceptance that day)."""
    first_org, first_person = org, person
    last_org, last_person = (reassigned[1], reassigned[2]) if reassigned else (org, person)
    a = Assignment.objects.create(
        kind="order", subject_type=ContentType.objects.get_for_model(Organisation), subject_id=str(org.pk),
        title=title, executor_organisation=last_org, executor_user=last_person, block_id=last_org.block_id,
        body_id=int(last_org.path.split(".")[0]), issued_on=issued, deadline=deadline, original_deadline=deadline,
        status=Status.DONE if done else Status.ISSUED, completed_on=done, closed_at=moment(done) if done else None)
    _transition(a, "opened", issued, org=first_org, user=first_person, status=Status.ISSUED, hour=9)
    if reassigned:
        _transition(a, "reassigned", reassigned[0], org=last_org, user=last_person, status=Status.ISSUED, hour=10)
    if done:
        _transition(a, "accepted", done, org=last_org, user=last_person, status=Status.DONE, completed_on=done)
    return a


def returned(a: Assignment, day: date) -> Transition:
    """A report of ``a`` returned for rework on ``day`` (for the executor it had then: its current one here)."""
    return _transition(a, "returned", day, org=a.executor_organisation, user=a.executor_user,
                       status=Status.IN_PROGRESS, hour=11)


def answered(org: Organisation, person=None, *, day: date, due: date | None, ratings: tuple[int, ...] = (),
             rated: date | None = None) -> Problem:
    """A problem of ``org`` answered on ``day`` (by ``person`` when given), rated afterwards."""
    problem = ProblemFactory(organisation=org, status=Problem.Status.FIXED, due_date=due, answer="fixed",
                             answer_text="Сделано", answered_at=moment(day))
    ProblemUpdate.objects.create(problem=problem, kind="answered", status="fixed", actor=person, organisation=org,
                                 text="Сделано", created_at=moment(day))
    for value in ratings:
        ProblemRating.objects.create(problem=problem, user=StaffFactory(), value=value,
                                     created_at=moment(rated or day, 15))
    return problem


@dataclass
class Scenario:
    w: World
    rows: dict


def scenario() -> Scenario:
    """March 2026 against February, in health (nested units) and finance; expected figures in the tests.

    Health's subtree in March: executed a1 (on time, no person), a2 (Anna, late by 1 working day: the deadline a
    Friday, executed on Tuesday after the 9 March holiday), a3 (Anna, on time), a5 (reassigned from Anna to Boris,
    late by 3 working days); overdue at 31 March: a6, a7 (executed only in April), a8 (Boris's then, reassigned to
    Anna in April); returns: a2 and a5; answers: p1 (Anna, on time, rated 5 and 4), p2 (the subunit, no person,
    late, rated 2 in April). February: a4 (Anna, on time). Finance: a9 and p3 (Fedor)."""
    w = world()
    d = date
    rows = {
        "a1": assignment(w.health, None, issued=d(2026, 2, 20), deadline=d(2026, 3, 5), done=d(2026, 3, 4)),
        "a2": assignment(w.unit, w.anna, issued=d(2026, 2, 25), deadline=d(2026, 3, 6), done=d(2026, 3, 10)),
        "a3": assignment(w.unit, w.anna, issued=d(2026, 2, 25), deadline=d(2026, 3, 2), done=d(2026, 3, 2)),
        "a4": assignment(w.unit, w.anna, issued=d(2026, 2, 1), deadline=d(2026, 2, 10), done=d(2026, 2, 9)),
        "a5": assignment(w.unit, w.anna, issued=d(2026, 3, 1), deadline=d(2026, 3, 20), done=d(2026, 3, 25),
                         reassigned=(d(2026, 3, 3), w.subunit, w.boris)),
        "a6": assignment(w.subunit, w.boris, issued=d(2026, 2, 15), deadline=d(2026, 3, 16)),
        "a7": assignment(w.subunit, w.boris, issued=d(2026, 3, 1), deadline=d(2026, 3, 10), done=d(2026, 4, 15)),
        "a8": assignment(w.subunit, w.boris, issued=d(2026, 3, 2), deadline=d(2026, 3, 12),
                         reassigned=(d(2026, 4, 2), w.unit, w.anna)),
        "a9": assignment(w.finance, w.fedor, issued=d(2026, 3, 1), deadline=d(2026, 3, 10), done=d(2026, 3, 9)),
        # on the period's edges: the first and last day count, the days around them do not
        "edge_first": assignment(w.finance, w.fedor, issued=d(2026, 2, 1), deadline=d(2026, 3, 1),
                                 done=d(2026, 3, 1)),
        "edge_last": assignment(w.finance, w.fedor, issued=d(2026, 2, 1), deadline=d(2026, 3, 31),
                                done=d(2026, 3, 31)),
        "edge_before": assignment(w.finance, w.fedor, issued=d(2026, 2, 1), deadline=d(2026, 3, 1),
                                  done=d(2026, 2, 28)),
        "edge_after": assignment(w.finance, w.fedor, issued=d(2026, 2, 1), deadline=d(2026, 4, 1),
                                 done=d(2026, 4, 1)),
    }
    returned(rows["a2"], d(2026, 3, 8))
    returned(rows["a5"], d(2026, 3, 18))
    rows["p1"] = answered(w.unit, w.anna, day=d(2026, 3, 5), due=d(2026, 3, 6), ratings=(5, 4), rated=d(2026, 3, 7))
    rows["p2"] = answered(w.subunit, None, day=d(2026, 3, 20), due=d(2026, 3, 10), ratings=(2,), rated=d(2026, 4, 2))
    rows["p3"] = answered(w.finance, w.fedor, day=d(2026, 3, 10), due=None)
    return Scenario(w, rows)
