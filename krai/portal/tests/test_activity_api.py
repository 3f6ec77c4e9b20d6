"""``/api/v1/me/activity/``: the "my activity" page's sections for API clients, only the caller's own."""

import re

import pytest

from krai.accounts.tests.factories import make_token
from krai.org.tests.factories import MunicipalityFactory
from krai.participation import services as participation
from krai.participation.tests.factories import IdeaFactory, ResidentFactory, poll_with
from krai.problems.models import ProblemRating, Subscription
from krai.problems.tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/activity/"
SECTIONS = {"reports", "endorsements", "subscriptions", "problem_ratings", "votes", "priority_votes", "ratings",
            "ideas", "supports", "suggestions"}


def _activity_of(user, problem_of_other):
    """Something in each section the page shows, done by ``user``."""
    mine = ProblemFactory(author=user)
    Subscription.objects.create(problem=problem_of_other, user=user)
    ProblemRating.objects.create(problem=mine, user=user, cycle=mine.cycle, value=4, is_author=True)
    poll, question, options = poll_with(title=f"Опрос {user.pk}")
    participation.poll_vote(actor=user, poll=poll, answers={question.pk: options[0].pk})
    idea = IdeaFactory(author=user, title=f"Идея {user.pk}")
    suggestion = participation.suggestion_create(actor=user, kind="topic", title=f"Тема {user.pk}", body="Б")
    return {"report": mine, "poll": poll, "idea": idea, "suggestion": suggestion}


def test_my_activity_shows_his_own_in_every_section_and_nothing_of_others(client):
    town = MunicipalityFactory()
    me, other = ResidentFactory(home_municipality=town), ResidentFactory(home_municipality=town)
    shared = ProblemFactory()
    mine, theirs = _activity_of(me, shared), _activity_of(other, shared)
    client.force_login(me)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == SECTIONS
    assert [row["id"] for row in body["reports"]] == [mine["report"].pk]
    assert [row["problem"] for row in body["subscriptions"]] == [shared.pk]
    assert [(row["problem"], row["value"]) for row in body["problem_ratings"]] == [(mine["report"].pk, 4)]
    assert [row["poll"] for row in body["votes"]] == [mine["poll"].pk]
    assert [row["id"] for row in body["ideas"]] == [mine["idea"].pk]
    assert [row["id"] for row in body["suggestions"]] == [mine["suggestion"].pk]
    text = response.content.decode()
    assert theirs["report"].pk not in [row["problem"] for row in body["problem_ratings"]]
    # whole numbers only: "Опрос 2" must not match "Опрос 21" of the reader himself
    assert not re.search(rf"(Опрос|Тема|Идея) {other.pk}(?!\d)", text)


def test_my_activity_needs_a_signed_in_caller_or_a_token_that_may_read(client):
    assert client.get(URL).status_code == 401
    me = ResidentFactory()
    participation.suggestion_create(actor=me, kind="topic", title="Тема", body="Б")
    _token, raw = make_token(user=me, scopes=["read"])
    response = client.get(URL, HTTP_AUTHORIZATION=f"Token {raw}")
    assert response.status_code == 200 and [row["title"] for row in response.json()["suggestions"]] == ["Тема"]
    assert client.post(URL, {}, HTTP_AUTHORIZATION=f"Token {raw}").status_code in (403, 405)
