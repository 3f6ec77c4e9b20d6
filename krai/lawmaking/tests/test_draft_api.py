"""API of the draft: versions, the difference, amendments and decisions, comments on provisions."""

from __future__ import annotations

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from krai.lawmaking.models import Amendment, Annotation, Stage, Version
from krai.lawmaking.services import drafts
from krai.lawmaking.tests import factories
from krai.lawmaking.tests.factories_draft import TEXT, drafted
from krai.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REMOVED = TEXT.replace("3. Действие закона распространяется на парки.\n", "")
BASE = "/api/v1/lawmaking/initiatives"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _client(user=None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def test_versions_list_one_and_create() -> None:
    initiative, _v1 = drafted()
    client = _client()
    listed = client.get(f"{BASE}/{initiative.pk}/versions/").json()
    assert [row["number"] for row in listed["results"]] == [1]
    one = client.get(f"{BASE}/{initiative.pk}/versions/1/").json()
    assert [p["key"] for p in one["provisions"]][:3] == ["0", "1", "1.1"]
    assert one["provisions"][1]["kind"] == "article" and one["provisions"][1]["heading"] == "Предмет регулирования"
    assert client.get(f"{BASE}/{initiative.pk}/versions/9/").status_code == 404
    assert client.get(f"{BASE}/{initiative.pk}/versions/99999999999/").status_code == 404
    assert client.post(f"{BASE}/{initiative.pk}/versions/", {"text": REMOVED}).status_code in (401, 403)
    assert _client(UserFactory()).post(f"{BASE}/{initiative.pk}/versions/", {"text": REMOVED}).status_code == 403
    editor = _client(initiative.initiator)
    same = editor.post(f"{BASE}/{initiative.pk}/versions/", {"text": TEXT}, format="json")
    assert same.status_code == 400 and "Nothing changed" in str(same.json())
    twice = editor.post(f"{BASE}/{initiative.pk}/versions/", {"text": "Статья 1. А\nСтатья 1. Б"}, format="json")
    assert twice.status_code == 400 and "Article 1 appears twice" in str(twice.json())
    made = editor.post(f"{BASE}/{initiative.pk}/versions/", {"text": REMOVED, "note": "n"}, format="json")
    assert made.status_code == 201 and made.json()["number"] == 2


def test_diff() -> None:
    initiative, _v1 = drafted()
    drafts.version_create(actor=initiative.initiator, initiative=initiative,
                          text=REMOVED.replace("всей", "<всей>"), note="")
    answer = _client().get(f"{BASE}/{initiative.pk}/diff/").json()
    assert (answer["a"], answer["b"]) == (1, 2)
    statuses = {e["key"]: e["status"] for e in answer["entries"]}
    assert statuses["1.3"] == "removed" and statuses["1.2"] == "changed" and statuses["1.1"] == "unchanged"
    changed = next(e for e in answer["entries"] if e["key"] == "1.2")
    assert "&lt;всей&gt;" in changed["html"] and "<всей>" not in changed["html"]
    assert _client().get(f"{BASE}/{initiative.pk}/diff/?a=7").status_code == 404
    assert _client().get(f"{BASE}/{initiative.pk}/diff/?a=x").status_code == 400


def test_amendment_to_a_removed_paragraph_is_refused_by_the_api() -> None:
    initiative, _v1 = drafted()
    drafts.version_create(actor=initiative.initiator, initiative=initiative, text=REMOVED, note="")
    answer = _client(UserFactory()).post(f"{BASE}/{initiative.pk}/amendments/", {
        "key": "1.3", "proposed_text": "Новая.", "version": 1}, format="json")
    assert answer.status_code == 400
    assert answer.json()["error"]["fields"]["key"] == [
        "Part 1.3 was removed in version 2; propose your amendment to the current text."]
    assert Amendment.objects.count() == 0


def test_amendments_propose_list_decide_withdraw() -> None:
    initiative, _v1 = drafted()
    author = UserFactory()
    client = _client(author)
    made = client.post(f"{BASE}/{initiative.pk}/amendments/", {
        "key": "1.2", "quote": "всей", "proposed_text": "каждой", "justification": "тел. +7 912 345-67-89"},
        format="json")
    assert made.status_code == 201, made.json()
    assert "345-67-89" not in made.json()["justification"]
    pk = made.json()["id"]
    listed = _client().get(f"{BASE}/{initiative.pk}/amendments/?status=pending").json()
    assert [row["id"] for row in listed["results"]] == [pk]
    assert _client().get(f"{BASE}/{initiative.pk}/amendments/?status=nope").status_code == 400
    assert client.post(f"{BASE}/{initiative.pk}/amendments/{pk}/decide/", {"accept": True},
                       format="json").status_code == 404
    editor = _client(initiative.initiator)
    refused = editor.post(f"{BASE}/{initiative.pk}/amendments/{pk}/decide/", {"accept": False}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()["error"]["fields"]
    accepted = editor.post(f"{BASE}/{initiative.pk}/amendments/{pk}/decide/", {"accept": True}, format="json")
    assert accepted.status_code == 200 and accepted.json()["applied_in"] == 2
    assert Version.objects.get(initiative=initiative, number=2).provisions.get(key="1.2").text == \
        "Закон применяется на каждой территории края."
    other = client.post(f"{BASE}/{initiative.pk}/amendments/", {"key": "1.1", "proposed_text": "x"},
                        format="json").json()["id"]
    assert _client(UserFactory()).post(f"{BASE}/{initiative.pk}/amendments/{other}/withdraw/").status_code == 403
    assert client.post(f"{BASE}/{initiative.pk}/amendments/{other}/withdraw/").json()["status"] == "withdrawn"
    assert client.post(f"{BASE}/{initiative.pk}/amendments/999999/withdraw/").status_code == 404


def test_annotations_list_and_add() -> None:
    initiative, _v1 = drafted()
    client = _client(UserFactory())
    made = client.post(f"{BASE}/{initiative.pk}/annotations/", {"key": "2.1.1", "quote": "общих собраниях",
                                                                "body": "почта a@b.ru"}, format="json")
    assert made.status_code == 201 and "a@b.ru" not in made.json()["body"]
    bad = client.post(f"{BASE}/{initiative.pk}/annotations/", {"key": "2.1.1", "quote": "нет", "body": "x"},
                      format="json")
    assert bad.status_code == 400 and "quote" in bad.json()["error"]["fields"]
    assert _client().post(f"{BASE}/{initiative.pk}/annotations/", {"key": "1", "body": "x"},
                          format="json").status_code in (401, 403)
    listed = _client().get(f"{BASE}/{initiative.pk}/annotations/?key=2.1.1").json()
    assert [row["key"] for row in listed["results"]] == ["2.1.1"] and Annotation.objects.count() == 1


def test_hidden_initiative_is_404() -> None:
    concept = factories.initiative(Stage.CONCEPT)
    for tail in ("versions/", "diff/", "amendments/", "annotations/"):
        assert _client(UserFactory()).get(f"{BASE}/{concept.pk}/{tail}").status_code == 404
