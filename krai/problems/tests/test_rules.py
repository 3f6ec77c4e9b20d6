"""Who may do what with a problem: a matrix of actors × permissions, for a new and a routed problem."""

import pytest
from django.contrib.auth.models import AnonymousUser

from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, UserFactory, assign
from krai.problems import services
from krai.problems.models import Problem


@pytest.fixture
def actors(world):
    head_here = StaffFactory()
    assign(head_here, Role.HEAD, municipality=world["municipality"])
    other_body = StaffFactory()
    assign(other_body, Role.EXECUTOR, organisation=OrganisationFactory())
    admin = StaffFactory(is_superuser=True)
    staff_role_without_staff_flag = UserFactory()
    assign(staff_role_without_staff_flag, Role.CONTROLLER)
    return {"anonymous": AnonymousUser(), "author": world["resident"], "neighbour": world["neighbour"],
            "unconfirmed": UserFactory(email_confirmed=False), "executor": world["executor"],
            "other_body": other_body, "moderator": world["moderator"], "head_here": head_here, "admin": admin,
            "fake_staff": staff_role_without_staff_flag}


NEW = {
    "problems.view_problem": {"author", "executor", "moderator", "head_here", "admin"},
    "problems.moderate_problem": {"moderator", "head_here", "admin"},
    "problems.endorse_problem": {"admin"},  # a superuser holds every permission; the service refuses by state
    "problems.rate_problem": {"author", "admin"},
}
ROUTED = {
    "problems.view_problem": {"anonymous", "author", "neighbour", "unconfirmed", "executor", "other_body", "moderator",
                              "head_here", "admin", "fake_staff"},
    "problems.answer_problem": {"executor", "head_here", "admin"},  # the head acts for the municipality's body
    "problems.reassign_problem": {"executor", "moderator", "head_here", "admin"},
    "problems.endorse_problem": {"neighbour", "executor", "other_body", "moderator", "head_here", "admin",
                                 "fake_staff"},
    "problems.comment_problem": {"author", "neighbour", "executor", "other_body", "moderator", "head_here", "admin",
                                 "fake_staff"},
    "problems.access_workspace": {"executor", "other_body", "moderator", "head_here", "admin"},
}


def _check(actors, problem, matrix):
    for permission, allowed in matrix.items():
        for name, user in actors.items():
            obj = None if permission == "problems.access_workspace" else problem
            assert user.has_perm(permission, obj) == (name in allowed), (permission, name)


def test_matrix_for_a_new_report(world, actors):
    problem = services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                      description="Яма возле детского сада, глубокая")
    world["administration"].refresh_from_db()
    problem.organisation = world["administration"]  # a body is named, but nothing is published yet
    _check(actors, problem, NEW)


def test_matrix_for_a_routed_problem(world, actors):
    problem = services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                      description="Яма возле детского сада, глубокая")
    problem = services.problem_publish(actor=world["moderator"], problem=problem)
    _check(actors, problem, ROUTED)


def test_deleting_the_account_keeps_the_report(world):
    problem = services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                      description="Яма возле детского сада, глубокая")
    world["resident"].delete()
    problem = Problem.objects.get(pk=problem.pk)
    assert problem.author is None and problem.public_author == ""
    assert problem.updates.count() == 1
