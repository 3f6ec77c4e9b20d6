"""An initiative from concept to reaction through the API only, each actor with his own token (scopes ``read``,
``write``, ``lawmaking:write``): a resident proposes, a coordinator approves, a resident supports and answers the
initiator's question, the body's staff moves it to the draft, an amendment is accepted, a newer version removes a
part, the expertise runs, the body answers. The three refusals of the issue (an amendment on a removed part, a
review after its deadline, a reaction by another body) each answer a clear error and change nothing; a token
without ``lawmaking:write`` changes nothing either."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone
from rest_framework.test import APIClient

from krai.accounts.tests.factories import make_token
from krai.core.events.dispatch import deliver_pending
from krai.core.notifications.models import Notification
from krai.lawmaking.models import Amendment, Initiative, Invitation, Reaction, Review, Stage, Version
from krai.lawmaking.tests import factories
from krai.lawmaking.tests.factories_draft import TEXT
from krai.orders.models import Status
from krai.orders.selectors import control_for_subject
from krai.org.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/lawmaking"
SCOPES = ["read", "write", "lawmaking:write"]
WITHOUT_PART_3 = TEXT.replace("3. Действие закона распространяется на парки.\n", "")


@pytest.fixture(autouse=True)
def _no_limits(settings: Any) -> None:
    settings.RATELIMIT_ENABLE = False


def client_of(user: Any, scopes: list[str] = SCOPES) -> APIClient:
    """A client that speaks with the user's own token only (no session)."""
    key = make_token(user, scopes=scopes, name="journey")[1]
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {key}", HTTP_ACCEPT_LANGUAGE="en")


def ok(response: Any, code: int = 200) -> dict[str, Any]:
    assert response.status_code == code, response.content
    return response.json()


def refused(response: Any, code: int) -> str:
    assert response.status_code == code, response.content
    return response.json()["error"]["message"] + str(response.json()["error"].get("fields", ""))


def test_concept_to_reaction_through_the_api_only() -> None:
    body = OrganisationFactory(name="Министерство строительства края")
    initiator, supporter, amender = UserFactory(), UserFactory(), UserFactory()
    coordinator, head = factories.coordinator(), factories.body_staff(body)
    expert, late_expert = factories.verified_expert("law"), factories.verified_expert("law")
    other_body_staff = factories.body_staff(OrganisationFactory(name="Министерство финансов"))
    resident, boss, fan, manager = (client_of(initiator), client_of(coordinator), client_of(supporter),
                                    client_of(head))

    # 1. The concept: visible to its author only until moderation.
    made = ok(resident.post(f"{BASE}/initiatives/", {
        "title": "О благоустройстве дворов", "problem": "Дворы не благоустроены.", "proposal": TEXT,
        "level": "regional", "responsible_body": body.pk}, format="json"), 201)
    pk = made["id"]
    assert made["stage"] == Stage.CONCEPT
    assert fan.get(f"{BASE}/initiatives/{pk}/").status_code == 404
    assert pk not in [row["id"] for row in ok(fan.get(f"{BASE}/initiatives/"))["results"]]

    # 2. A coordinator publishes it; a resident supports and answers the initiator's question.
    assert ok(boss.post(f"{BASE}/initiatives/{pk}/approve/", {"note": "ok"}, format="json"))["stage"] == "discussion"
    assert ok(fan.post(f"{BASE}/initiatives/{pk}/support/"), 201)["supporters"] == 1
    question = ok(resident.post(f"{BASE}/initiatives/{pk}/questions/", {"text": "Нужны ли парковки?"},
                                format="json"), 201)
    ok(fan.post(f"{BASE}/questions/{question['id']}/answers/", {"text": "Да, у каждого дома."}, format="json"),
       201)
    answers = ok(fan.get(f"{BASE}/initiatives/{pk}/questions/"))[0]["answers"]
    assert [a["text"] for a in answers] == ["Да, у каждого дома."]

    # 3. The responsible body moves it to the draft; version 1 is the proposal.
    assert ok(manager.post(f"{BASE}/initiatives/{pk}/advance/", {"note": "Идея поддержана"},
                           format="json"))["stage"] == "elaboration"
    assert [row["number"] for row in ok(fan.get(f"{BASE}/initiatives/{pk}/versions/"))["results"]] == [1]

    # 4. An amendment accepted by the editor (the initiator) makes version 2; version 3 removes part 1.3.
    proposer = client_of(amender)
    amendment = ok(proposer.post(f"{BASE}/initiatives/{pk}/amendments/", {
        "key": "1.2", "proposed_text": "Закон применяется на всей территории края, включая сёла.",
        "justification": "Сёла забыты."}, format="json"), 201)
    decided = ok(resident.post(f"{BASE}/initiatives/{pk}/amendments/{amendment['id']}/decide/",
                               {"accept": True, "reason": "Верно"}, format="json"))
    assert decided["status"] == "accepted" and decided["applied_in"] == 2
    version_2 = ok(fan.get(f"{BASE}/initiatives/{pk}/versions/2/"))
    assert "включая сёла" in next(p["text"] for p in version_2["provisions"] if p["key"] == "1.2")
    text_3 = version_2["text"].replace("3. Действие закона распространяется на парки.\n", "")
    assert ok(resident.post(f"{BASE}/initiatives/{pk}/versions/", {"text": text_3, "note": "Без парков"},
                            format="json"), 201)["number"] == 3

    # 5. An amendment against version 2 on the part version 3 removed: 400, nothing stored.
    amendments_before = Amendment.objects.count()
    message = refused(proposer.post(f"{BASE}/initiatives/{pk}/amendments/", {
        "key": "1.3", "proposed_text": "Действие закона распространяется на скверы.", "version": 2},
        format="json"), 400)
    assert "1.3" in message or "removed" in message.lower(), message
    assert Amendment.objects.count() == amendments_before

    # 6. The expertise: the invited expert reviews; a review after the deadline is refused.
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    invited = ok(boss.post(f"{BASE}/initiatives/{pk}/invitations/",
                           {"due": due, "experts": [expert.pk, late_expert.pk]}, format="json"), 201)
    assert {row["expert"]["id"] for row in invited} == {expert.pk, late_expert.pk}
    review = {"conclusion": "remarks", "summary": "Проект обоснован.", "risks": "Расходы бюджета.",
              "proposals": "Уточнить статью 1."}
    posted = ok(client_of(expert).post(f"{BASE}/initiatives/{pk}/reviews/", review, format="json"), 201)
    assert posted["version"] == 3
    past = timezone.localdate() - timedelta(days=1)
    Invitation.objects.filter(initiative_id=pk).update(due=past)
    Initiative.objects.filter(pk=pk).update(stage_due=past)
    message = refused(client_of(late_expert).post(f"{BASE}/initiatives/{pk}/reviews/", review, format="json"), 400)
    assert "deadline" in message.lower(), message
    assert list(Review.objects.filter(initiative_id=pk).values_list("expert_id", flat=True)) == [expert.pk]
    assert Invitation.objects.get(initiative_id=pk, expert=late_expert).status == Invitation.Status.INVITED

    # 7. The coordinator asks the body for its reaction; another body's staff is refused, nothing changes.
    state = ok(boss.post(f"{BASE}/initiatives/{pk}/reaction/request/"), 201)
    assert state["body"]["id"] == body.pk and state["reaction"] is None
    answer = {"decision": "adopted", "act_title": "О благоустройстве дворов", "act_number": "15-ЗК",
              "act_date": timezone.localdate().isoformat(), "act_url": "https://pravo.example.ru/15"}
    message = refused(client_of(other_body_staff).post(f"{BASE}/initiatives/{pk}/reaction/give/", answer,
                                                       format="json"), 403)
    assert "Министерство строительства края" in message
    assert not Reaction.objects.exists()
    assert control_for_subject(Initiative.objects.get(pk=pk)).status == Status.ISSUED
    assert Initiative.objects.get(pk=pk).stage == Stage.REACTION

    # 8. The responsible body answers: the stage closes, the participants are told.
    given = ok(manager.post(f"{BASE}/initiatives/{pk}/reaction/give/", answer, format="json"), 201)
    assert given["reaction"]["act_number"] == "15-ЗК" and given["reaction"]["on_time"] is True
    assert ok(fan.get(f"{BASE}/initiatives/{pk}/"))["stage"] == Stage.CLOSED
    deliver_pending()
    deliver_pending()
    told = set(Notification.objects.filter(kind="lawmaking.reaction_given").values_list("user_id", flat=True))
    assert {initiator.pk, supporter.pk, amender.pk, expert.pk} <= told
    assert other_body_staff.pk not in told
    assert Version.objects.filter(initiative_id=pk).count() == 3


def _counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()
            if model._meta.app_label in {"lawmaking", "orders", "core"}}


@pytest.mark.parametrize("scopes", [["read"], ["read", "write"], ["read", "write", "social:write"],
                                    ["read", "lawmaking:write"]])
def test_a_token_without_lawmaking_write_changes_nothing(scopes: list[str]) -> None:
    body = OrganisationFactory()
    initiative = factories.initiative(Stage.DISCUSSION, body=body)
    resident = UserFactory()
    client = client_of(resident, scopes)
    coordinator = client_of(factories.coordinator(), scopes)
    before = _counts()
    calls = [
        (client, "post", f"{BASE}/initiatives/", {"title": "T", "problem": "P", "proposal": "X",
                                                  "level": "regional", "responsible_body": body.pk}),
        (client, "post", f"{BASE}/initiatives/{initiative.pk}/support/", {}),
        (client, "post", f"{BASE}/subscriptions/", {"initiative": initiative.pk}),
        (coordinator, "post", f"{BASE}/initiatives/{initiative.pk}/stop/", {"reason": "Нет"}),
        (coordinator, "post", f"{BASE}/initiatives/{initiative.pk}/advance/", {"note": "Да"}),
    ]
    for who, method, url, data in calls:
        response = getattr(who, method)(url, data, format="json")
        assert response.status_code == 403, (url, response.content)
        assert "error" in response.json()
    assert _counts() == before
    initiative.refresh_from_db()
    assert initiative.stage == Stage.DISCUSSION
    assert client.get(f"{BASE}/initiatives/{initiative.pk}/").status_code == 200
