"""The initiatives API: the list with the page's filters and paging, one initiative with its timeline, proposing
and changing a concept, the staff's decisions; who may do what, bad input, token scopes."""

from __future__ import annotations

import pytest
from django.test import Client

from krai.accounts.tests.factories import make_token
from krai.lawmaking.models import Initiative, Level, Stage
from krai.lawmaking.tests.factories import body_staff, coordinator, field, initiative
from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/lawmaking/initiatives/"


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_list_filters_and_pages_reach_every_item():
    body = OrganisationFactory()
    made = {initiative(Stage.DISCUSSION, body=body).pk for _ in range(7)}
    town = MunicipalityFactory()
    special = initiative(Stage.REACTION, municipality=town, title="О парке")
    special.fields.add(field("law"))
    initiative(Stage.CONCEPT)
    client = Client()
    seen, url = set(), f"{API}?page_size=3"
    while url:
        answer = client.get(url).json()
        seen |= {row["id"] for row in answer["results"]}
        url = answer["next"]
    assert seen == made | {special.pk}
    for query in ("q=парк", "stage=reaction", f"municipality={town.pk}&level=municipal", "field=law",
                  f"body={special.responsible_body_id}"):
        rows = client.get(f"{API}?{query}").json()["results"]
        assert [row["id"] for row in rows] == [special.pk], query
    assert client.get(f"{API}?stage=nonsense").status_code == 400


def test_detail_with_timeline_and_the_concept_hidden_from_others():
    item = initiative(Stage.EXPERTISE)
    data = Client().get(f"{API}{item.pk}/").json()
    assert data["stage"] == "expertise" and data["next"]
    assert [step["state"] for step in data["timeline"]] == ["done", "done", "done", "current", "coming", "coming"]
    concept = initiative(Stage.CONCEPT)
    assert Client().get(f"{API}{concept.pk}/").status_code == 404
    assert signed_in(UserFactory()).get(f"{API}{concept.pk}/").status_code == 404
    assert signed_in(concept.initiator).get(f"{API}{concept.pk}/").status_code == 200
    assert Client().get(f"{API}999999/").status_code == 404


def test_propose_and_change_a_concept():
    resident, body = UserFactory(), OrganisationFactory()
    client = signed_in(resident)
    data = {"title": "О тишине", "problem": "Шумно.", "proposal": "Тишина ночью.", "level": "municipal",
            "responsible_body": body.pk}
    answer = client.post(API, data, content_type="application/json")
    assert answer.status_code == 400 and "municipality" in answer.json()["error"]["fields"]
    assert not Initiative.objects.exists()
    answer = client.post(API, {**data, "fields": ["nope"]}, content_type="application/json")
    assert answer.status_code == 400 and "fields" in answer.json()["error"]["fields"]
    field("law")
    town = MunicipalityFactory()
    answer = client.post(API, {**data, "municipality": town.pk, "fields": ["law"]}, content_type="application/json")
    assert answer.status_code == 201, answer.content
    created = answer.json()
    assert created["stage"] == "concept" and created["fields"] == ["law"] and created["initiator_kind"] == "resident"
    pk = created["id"]
    answer = client.patch(f"{API}{pk}/", {"title": "О ночной тишине"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["title"] == "О ночной тишине"
    assert signed_in(UserFactory()).patch(f"{API}{pk}/", {"title": "X"},
                                          content_type="application/json").status_code == 404
    assert Client().post(API, data, content_type="application/json").status_code in (401, 403)


def test_moderation_by_coordinators_only():
    item = initiative(Stage.CONCEPT)
    for person in (item.initiator, UserFactory(), body_staff(item.responsible_body)):
        answer = signed_in(person).post(f"{API}{item.pk}/approve/", {}, content_type="application/json")
        assert answer.status_code in (403, 404)
    item.refresh_from_db()
    assert item.stage == Stage.CONCEPT
    boss = signed_in(coordinator())
    answer = boss.post(f"{API}{item.pk}/refuse/", {"reason": ""}, content_type="application/json")
    assert answer.status_code == 400
    answer = boss.post(f"{API}{item.pk}/approve/", {"note": "Ок"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["stage"] == "discussion"
    other = initiative(Stage.CONCEPT)
    answer = boss.post(f"{API}{other.pk}/refuse/", {"reason": "Не по адресу"}, content_type="application/json")
    assert answer.json()["stage"] == "stopped" and answer.json()["stopped_reason"] == "Не по адресу"


def test_advance_stop_and_editor_by_the_responsible_body_only():
    body = OrganisationFactory()
    item = initiative(Stage.DISCUSSION, body=body)
    stranger = signed_in(body_staff())
    for action, data in (("advance", {"note": "Да"}), ("stop", {"reason": "Нет"}),
                         ("editor", {"editor": item.initiator_id})):
        answer = stranger.post(f"{API}{item.pk}/{action}/", data, content_type="application/json")
        assert answer.status_code == 403, action
    item.refresh_from_db()
    assert item.stage == Stage.DISCUSSION and item.editor_id is None
    staff = signed_in(body_staff(body))
    answer = staff.post(f"{API}{item.pk}/editor/", {"editor": 999999}, content_type="application/json")
    assert answer.status_code == 400 and "editor" in answer.json()["error"]["fields"]
    editor = UserFactory()
    assert staff.post(f"{API}{item.pk}/editor/", {"editor": editor.pk},
                      content_type="application/json").json()["editor"] == editor.pk
    answer = staff.post(f"{API}{item.pk}/advance/", {"note": "Решение"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["stage"] == "elaboration"
    answer = staff.post(f"{API}{item.pk}/advance/", {"note": "Ещё"}, content_type="application/json")
    assert answer.status_code == 400 and "expertise" in answer.json()["error"]["message"].lower()
    answer = staff.post(f"{API}{item.pk}/stop/", {"reason": "Отозвано"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["stage"] == "stopped"


def test_writes_by_token_need_the_lawmaking_scope():
    resident, body = UserFactory(), OrganisationFactory()
    data = {"title": "О тишине", "problem": "Шумно.", "proposal": "Тишина.", "level": Level.REGIONAL,
            "responsible_body": body.pk}
    reader = make_token(resident, scopes=["read", "write"], name="narrow")[1]
    answer = Client().post(API, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {reader}")
    assert answer.status_code == 403 and not Initiative.objects.exists()
    writer = make_token(resident, scopes=["read", "write", "lawmaking:write"], name="full")[1]
    answer = Client().post(API, data, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {writer}")
    assert answer.status_code == 201
