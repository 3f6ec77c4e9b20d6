"""Rating the result: the author and everyone who endorsed the report rate it, once per fix cycle; a reopening
starts a new cycle; the public figure and the statistics read the latest rated cycle."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from krai.org.tests.factories import UserFactory
from krai.problems import selectors, services
from krai.problems.models import Problem, ProblemRating, ProblemUpdate


@pytest.fixture
def fixed(world):
    """A published report endorsed by the neighbour, answered as fixed."""
    problem = services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                      description="Яма на перекрёстке у рынка, глубокая")
    services.problem_publish(actor=world["moderator"], problem=problem)
    services.problem_endorse(actor=world["neighbour"], problem=problem)
    return services.problem_answer(actor=world["executor"], problem=problem, answer="fixed", text="Заделали")


def test_a_supporter_rates_too_and_the_figure_is_their_average(world, fixed):
    services.problem_rate(actor=world["resident"], problem=fixed, rating=5)
    problem = services.problem_rate(actor=world["neighbour"], problem=fixed, rating=4)
    assert (problem.ratings_count, problem.ratings_total, problem.rating_average) == (2, 9, 4.5)
    assert problem.rating == 5  # the author's own, as Open311 and the open dataset show it
    assert list(ProblemRating.objects.values_list("user_id", "cycle", "value", "is_author").order_by("value")) == [
        (world["neighbour"].pk, 1, 4, False), (world["resident"].pk, 1, 5, True)]


def test_only_the_author_and_supporters_rate(world, fixed):
    stranger = UserFactory()
    with pytest.raises(PermissionDenied):
        services.problem_rate(actor=stranger, problem=fixed, rating=1, comment="Не сделано")
    with pytest.raises(PermissionDenied):
        services.problem_reopen(actor=stranger, problem=fixed, reason="Не сделано")
    fixed.refresh_from_db()
    assert fixed.status == "fixed" and not ProblemRating.objects.exists() and fixed.ratings_count == 0


def test_once_per_person_and_cycle(world, fixed):
    services.problem_rate(actor=world["neighbour"], problem=fixed, rating=4)
    with pytest.raises(ValidationError) as refused:
        services.problem_rate(actor=world["neighbour"], problem=fixed, rating=5)
    assert refused.value.code == "already_rated" and ProblemRating.objects.count() == 1


def test_a_reopening_starts_a_new_cycle_rated_afresh(world, fixed):
    services.problem_rate(actor=world["resident"], problem=fixed, rating=5)
    problem = services.problem_rate(actor=world["neighbour"], problem=fixed, rating=1, comment="Яма снова тут")
    assert problem.status == "reopened" and problem.cycle == 2
    assert problem.rating_average == 3.0  # the latest rated cycle is still the first
    assert not selectors.can_rate(user=world["resident"], problem=problem)  # nothing to rate until the new fix
    problem = services.problem_answer(actor=world["executor"], problem=problem, answer="fixed", text="Переделали")
    assert selectors.can_rate(user=world["resident"], problem=problem)
    problem = services.problem_rate(actor=world["resident"], problem=problem, rating=4)
    assert (problem.cycle, problem.ratings_count, problem.rating_average) == (2, 1, 4.0)
    problem = services.problem_rate(actor=world["neighbour"], problem=problem, rating=5)
    assert (problem.ratings_count, problem.rating_average) == (2, 4.5)
    assert sorted(ProblemRating.objects.values_list("cycle", "value")) == [(1, 1), (1, 5), (2, 4), (2, 5)]
    assert ProblemUpdate.objects.filter(problem=problem, kind="reopened").count() == 1


def test_an_explicit_reopening_by_a_supporter_starts_a_cycle(world, fixed):
    problem = services.problem_reopen(actor=world["neighbour"], problem=fixed, reason="Не заделано")
    assert problem.status == "reopened" and problem.cycle == 2


def test_statistics_use_the_latest_cycle(world, fixed):
    services.problem_rate(actor=world["resident"], problem=fixed, rating=1, comment="Не сделано")
    problem = Problem.objects.get(pk=fixed.pk)
    row = selectors.statistics(user=world["moderator"])[0]
    assert (row.rating, row.ratings) == (1.0, 1)
    problem = services.problem_answer(actor=world["executor"], problem=problem, answer="fixed", text="Переделали")
    services.problem_rate(actor=world["resident"], problem=problem, rating=5)
    services.problem_rate(actor=world["neighbour"], problem=problem, rating=4)
    row = selectors.statistics(user=world["moderator"])[0]
    assert (row.rating, row.ratings) == (4.5, 2)  # the first fix's 1 no longer counts


def test_api_rate_by_a_supporter_and_the_figure(client, world, fixed):
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.post(f"/api/v1/problems/{fixed.pk}/rate/", {"rating": 3},
                       content_type="application/json").status_code == 403
    client.force_login(world["neighbour"])
    response = client.post(f"/api/v1/problems/{fixed.pk}/rate/", {"rating": 3}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["rating_average"], body["ratings_count"], body["cycle"], body["rating"]) == (3.0, 1, 1, None)
    again = client.post(f"/api/v1/problems/{fixed.pk}/rate/", {"rating": 4}, content_type="application/json")
    assert again.status_code == 409 and ProblemRating.objects.count() == 1


def test_page_lets_a_supporter_rate_and_shows_the_figure(client, world, fixed):
    url, form = f"/problems/{fixed.pk}/", f'action="/problems/{fixed.pk}/rate/"'
    client.force_login(world["neighbour"])
    assert form in client.get(url).content.decode()
    client.post(f"/problems/{fixed.pk}/rate/", {"rating": "4", "comment": ""})
    page = client.get(url).content.decode()
    assert form not in page
    assert re.search(r'id="krai-rating">[^<]*<strong>4,0/5</strong>', page)  # Russian decimals
    client.force_login(UserFactory())
    assert form not in client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_migration_backfills_the_author_ratings_into_cycles(world):
    """Ratings written before cycles existed become the author's ratings of the cycle they rated."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def report(**fields):
        problem = services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.0, lon=38.0,
                                          description="Яма на перекрёстке у рынка, глубокая")
        Problem.objects.filter(pk=problem.pk).update(**fields)
        return problem

    once = report(status="fixed", rating=4)
    reopened = report(status="reopened", rating=1, rating_comment="Не сделано")
    ProblemUpdate.objects.create(problem=reopened, kind="rated", status="fixed")
    ProblemUpdate.objects.create(problem=reopened, kind="reopened", status="reopened")
    unrated = report(status="fixed")
    MigrationExecutor(connection).migrate([("problems", "0006_author_recent")])  # the rows stay, cycles go
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    rows = {p.pk: p for p in Problem.objects.filter(pk__in=[once.pk, reopened.pk, unrated.pk])}
    assert (rows[once.pk].cycle, rows[once.pk].ratings_count, rows[once.pk].rating_average) == (1, 1, 4.0)
    assert (rows[reopened.pk].cycle, rows[reopened.pk].rating_average) == (2, 1.0)
    assert (rows[unrated.pk].cycle, rows[unrated.pk].ratings_count) == (1, 0)
    assert sorted(ProblemRating.objects.values_list("problem_id", "cycle", "value", "comment", "is_author")) == [
        (once.pk, 1, 4, "", True), (reopened.pk, 1, 1, "Не сделано", True)]
