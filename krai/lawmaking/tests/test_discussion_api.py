"""The discussion's API: support (201 new, 200 already), questions and answers, subscriptions, statistics; errors in
the one format, 404 for a hidden initiative, token scopes."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from krai.accounts.tests.factories import make_token
from krai.lawmaking.models import Answer, Initiative, Question, Stage, Subscription, Support
from krai.lawmaking.tests.factories import coordinator, field, initiative
from krai.org.tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/lawmaking"


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                                                          "public_write": "1000/min"}}


def api(user=None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def test_support_201_then_200_then_delete() -> None:
    item = initiative(support_threshold=5)
    client = api(UserFactory())
    response = client.post(f"{API}/initiatives/{item.pk}/support/")
    assert response.status_code == 201
    assert response.json() == {"initiative": item.pk, "stage": "discussion", "supporters": 1, "threshold": 5,
                                    "supported": True, "discussion_until": None}
    assert client.post(f"{API}/initiatives/{item.pk}/support/").status_code == 200
    assert Initiative.objects.get(pk=item.pk).support_count == 1
    response = client.delete(f"{API}/initiatives/{item.pk}/support/")
    assert response.status_code == 200 and response.json()["supporters"] == 0 and not Support.objects.exists()


def test_support_errors_in_the_one_format() -> None:
    item = initiative()
    response = api(item.initiator).post(f"{API}/initiatives/{item.pk}/support/")
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "You cannot support your own initiative."
    response = api(UserFactory(email_confirmed=False)).post(f"{API}/initiatives/{item.pk}/support/")
    assert response.status_code == 403 and "Confirm your e-mail" in response.json()["error"]["message"]
    assert api().post(f"{API}/initiatives/{item.pk}/support/").status_code in (401, 403)
    hidden = initiative(Stage.CONCEPT)
    assert api(UserFactory()).post(f"{API}/initiatives/{hidden.pk}/support/").status_code == 404
    assert not Support.objects.exists()


def test_the_threshold_through_the_api_moves_the_stage() -> None:
    item = initiative(support_threshold=1)
    response = api(UserFactory()).post(f"{API}/initiatives/{item.pk}/support/")
    assert response.status_code == 201 and response.json()["stage"] == "elaboration"


def test_questions_and_answers() -> None:
    item = initiative()
    response = api(item.initiator).post(f"{API}/initiatives/{item.pk}/questions/", {"text": "Нужна ли норма?"})
    assert response.status_code == 201
    question = response.json()
    assert question["text"] == "Нужна ли норма?" and question["answers"] == []
    response = api(UserFactory()).post(f"{API}/initiatives/{item.pk}/questions/", {"text": "Я?"})
    assert response.status_code == 403
    resident = UserFactory()
    response = api(resident).post(f"{API}/questions/{question['id']}/answers/", {"text": "Да"})
    assert response.status_code == 201 and response.json()["text"] == "Да"
    response = api(resident).post(f"{API}/questions/{question['id']}/answers/", {"text": "Нет"})
    assert response.status_code == 200 and Answer.objects.get().text == "Нет"
    response = api(resident).post(f"{API}/questions/{question['id']}/answers/", {"text": ""})
    assert response.status_code == 400 and "text" in response.json()["error"]["fields"]
    listed = api().get(f"{API}/initiatives/{item.pk}/questions/").json()
    assert [a["text"] for a in listed[0]["answers"]] == ["Нет"]
    assert api(UserFactory()).post(f"{API}/questions/{question['id']}/close/").status_code == 403
    response = api(item.initiator).post(f"{API}/questions/{question['id']}/close/")
    assert response.status_code == 200 and response.json()["closed_at"]
    response = api(resident).post(f"{API}/questions/{question['id']}/answers/", {"text": "Снова"})
    assert response.status_code == 400 and "closed" in response.json()["error"]["message"]


def test_hidden_answers_listed_only_for_coordinators_and_the_author() -> None:
    from krai.lawmaking.services import discussion

    item = initiative()
    question = discussion.question_ask(actor=item.initiator, initiative=item, text="Вопрос?")
    author = UserFactory()
    answer, _created = discussion.answer_give(actor=author, question=question, text="Скрытый ответ")
    discussion.answer_hide(actor=coordinator(), answer=answer, reason="оскорбление")
    url = f"{API}/initiatives/{item.pk}/questions/"
    assert api().get(url).json()[0]["answers"] == []
    assert api(author).get(url).json()[0]["answers"][0]["hidden"] is True
    assert api(coordinator()).get(url).json()[0]["answers"][0]["hidden_reason"] == "оскорбление"


def test_questions_of_a_hidden_initiative_are_404() -> None:
    hidden = initiative(Stage.CONCEPT)
    question = Question.objects.create(initiative=hidden, text="?", author=hidden.initiator)
    assert api().get(f"{API}/initiatives/{hidden.pk}/questions/").status_code == 404
    assert api(UserFactory()).post(f"{API}/questions/{question.pk}/answers/", {"text": "x"}).status_code == 404


def test_subscriptions_list_add_remove() -> None:
    item = initiative()
    person = UserFactory()
    client = api(person)
    assert client.post(f"{API}/subscriptions/", {"initiative": item.pk}, format="json").status_code == 201
    assert client.post(f"{API}/subscriptions/", {"initiative": item.pk}, format="json").status_code == 200
    town, law = MunicipalityFactory(), field("law")
    response = client.post(f"{API}/subscriptions/", {"municipality": town.pk, "field": "law"}, format="json")
    assert response.status_code == 201
    assert response.json()["level"] == "municipal"
    assert response.json()["field"] == law.code
    response = client.post(f"{API}/subscriptions/", {"level": "regional", "municipality": town.pk}, format="json")
    assert response.status_code == 400 and "municipality" in response.json()["error"]["fields"]
    response = client.post(f"{API}/subscriptions/", {"initiative": item.pk, "level": "regional"}, format="json")
    assert response.status_code == 400
    hidden = initiative(Stage.CONCEPT)
    assert client.post(f"{API}/subscriptions/", {"initiative": hidden.pk}, format="json").status_code == 404
    rows = client.get(f"{API}/subscriptions/").json()
    assert len(rows) == 2 and {r["initiative"] for r in rows} == {item.pk, None}
    stranger = api(UserFactory())
    for row in rows:
        assert stranger.delete(f"{API}/subscriptions/{row['id']}/").status_code == 404
        assert client.delete(f"{API}/subscriptions/{row['id']}/").status_code == 204
    assert not Subscription.objects.exists()


def test_statistics_api() -> None:
    item = initiative()
    initiative(Stage.CLOSED, body=item.responsible_body)
    data = api().get(f"{API}/statistics/").json()
    assert data["totals"]["total"] == 2 and data["totals"]["stages"]["closed"] == 1
    assert data["bodies"][0]["body"] == item.responsible_body_id
    response = api().get(f"{API}/statistics/", {"date_from": "2030-01-02", "date_to": "2030-01-01"})
    assert response.status_code == 400


def test_a_token_needs_the_lawmaking_write_scope(settings) -> None:
    settings.RATELIMIT_ENABLE = False
    item = initiative()
    person = UserFactory()
    _token, without = make_token(person, scopes=("read", "write"))
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(f"{API}/initiatives/{item.pk}/support/", HTTP_AUTHORIZATION=f"Bearer {without}")
    assert response.status_code == 403 and not Support.objects.exists()
    _token, key = make_token(person, scopes=("read", "write", "lawmaking:write"), name="full")
    response = client.post(f"{API}/initiatives/{item.pk}/support/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 201
