"""Suggestions through the API: a resident proposes and reads his own; the Department of Control answers."""

import pytest
from django.utils import translation

from krai.core.notifications.models import Notification
from krai.participation import services
from krai.participation.models import Suggestion
from krai.participation.tests.factories import ResidentFactory
from krai.problems.models import Problem
from krai.problems.tests.factories import ProblemFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/participation/suggestions"


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_a_resident_suggests_a_solution_reads_his_own_and_the_control_answers(client, resident, controller):
    problem = ProblemFactory()
    client.force_login(resident)
    sent = post(client, f"{API}/", {"kind": "solution", "problem": problem.pk, "title": "Засыпать щебнем",
                                    "body": "И укатать катком."})
    assert sent.status_code == 201, sent.json()
    suggestion = Suggestion.objects.get()
    assert sent.json()["id"] == suggestion.pk and suggestion.problem_id == problem.pk
    assert suggestion.author == resident and sent.json()["status"] == "new"
    mine = client.get(f"{API}/").json()
    assert [row["id"] for row in mine["results"]] == [suggestion.pk]
    assert client.get(f"{API}/{suggestion.pk}/").json()["title"] == "Засыпать щебнем"
    client.force_login(controller)
    queue = client.get(f"{API}/queue/").json()
    assert queue["count"] == 1 and queue["results"][0]["id"] == suggestion.pk
    answered = post(client, f"{API}/{suggestion.pk}/answer/", {"status": "accepted", "answer": "Сделаем в мае."})
    assert answered.status_code == 200 and answered.json()["status"] == "accepted"
    suggestion.refresh_from_db()
    assert suggestion.answered_by == controller and suggestion.answer == "Сделаем в мае."
    assert Notification.objects.filter(user=resident, kind="participation.suggestion").exists()
    assert client.get(f"{API}/queue/").json()["count"] == 0  # answered: out of the default queue
    assert [row["id"] for row in client.get(f"{API}/queue/", {"status": "accepted"}).json()["results"]] \
        == [suggestion.pk]


def test_the_queue_is_paged_and_filtered_oldest_first(client, resident, controller):
    made = [services.suggestion_create(actor=resident, kind="topic" if n % 2 else "category", title=f"Т{n}",
                                       body="Б") for n in range(5)]
    client.force_login(controller)
    first = client.get(f"{API}/queue/", {"page_size": 2}).json()
    assert first["count"] == 5 and [r["id"] for r in first["results"]] == [s.pk for s in made[:2]]
    last = client.get(f"{API}/queue/", {"page_size": 2, "page": 3}).json()
    assert [r["id"] for r in last["results"]] == [made[4].pk]
    topics = client.get(f"{API}/queue/", {"kind": "topic"}).json()
    assert [r["id"] for r in topics["results"]] == [made[1].pk, made[3].pk]
    assert client.get(f"{API}/queue/", {"kind": "nonsense"}).status_code == 400


def test_anonymous_callers_are_refused_with_401(client, resident):
    suggestion = services.suggestion_create(actor=resident, kind="topic", title="Т", body="Б")
    assert post(client, f"{API}/", {"kind": "topic", "title": "Т", "body": "Б"}).status_code == 401
    for url in (f"{API}/", f"{API}/queue/", f"{API}/{suggestion.pk}/"):
        assert client.get(url).status_code == 401
    assert post(client, f"{API}/{suggestion.pk}/answer/", {"status": "accepted", "answer": "Да"}).status_code \
        == 401
    assert Suggestion.objects.count() == 1


def test_a_solution_to_a_problem_he_may_not_see_is_refused_and_nothing_is_stored(client, resident):
    hidden = ProblemFactory(status=Problem.Status.NEW)  # awaiting moderation: only its author sees it
    client.force_login(resident)
    for problem in (hidden.pk, 999_999, None):
        refused = post(client, f"{API}/", {"kind": "solution", "problem": problem, "title": "Т", "body": "Б"})
        assert refused.status_code == 400 and "problem" in refused.json()["error"]["fields"]
    refused = post(client, f"{API}/", {"kind": "category", "problem": hidden.pk, "title": "Т", "body": "Б"})
    assert refused.status_code == 400 and "problem" in refused.json()["error"]["fields"]
    assert not Suggestion.objects.exists()


def test_a_citizen_neither_reads_the_queue_nor_answers_nor_reads_anothers(client, resident, organiser):
    suggestion = services.suggestion_create(actor=resident, kind="category", title="Т", body="Б")
    for outsider in (resident, organiser, ResidentFactory()):
        client.force_login(outsider)
        assert client.get(f"{API}/queue/").status_code == 403
        answered = post(client, f"{API}/{suggestion.pk}/answer/", {"status": "accepted", "answer": "Да"})
        assert answered.status_code in (403, 404)
    assert client.get(f"{API}/{suggestion.pk}/").status_code == 404  # the last one is not its author
    suggestion.refresh_from_db()
    assert suggestion.status == "new" and suggestion.answer == "" and suggestion.answered_by is None


def test_an_empty_answer_is_refused_in_the_users_language_and_changes_nothing(client, resident, controller):
    suggestion = services.suggestion_create(actor=resident, kind="topic", title="Т", body="Б")
    client.force_login(controller)
    with translation.override("ru"):
        refused = client.post(f"{API}/{suggestion.pk}/answer/", {"status": "accepted", "answer": "   "},
                              content_type="application/json", HTTP_ACCEPT_LANGUAGE="ru")
    assert refused.status_code == 400
    with translation.override("ru"):
        expected = str(translation.gettext("Write the answer: the author reads it."))
    assert expected != "Write the answer: the author reads it."  # the Russian catalogue has it
    assert refused.json()["error"]["fields"]["answer"] == [expected]
    suggestion.refresh_from_db()
    assert suggestion.status == "new" and suggestion.answer == "" and suggestion.answered_at is None
    assert not Notification.objects.filter(kind="participation.suggestion").exists()
