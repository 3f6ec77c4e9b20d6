"""API of the reaction: the state (who owes it by when), the request, the body's answer; another body gets 403
naming the responsible body, nothing changed."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from krai.lawmaking.models import Reaction, Stage
from krai.lawmaking.tests import factories
from krai.lawmaking.tests.factories_expert import at_expertise, at_reaction
from krai.orders.models import Status
from krai.orders.selectors import control_for_subject
from krai.org.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

GIVE = {"decision": "adopted", "act_title": "О благоустройстве", "act_number": "15-ЗК", "act_date": "2026-01-15",
        "act_url": "https://pravo.example.ru/15"}


def api(user=None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_authenticate(user)
    return client


def url(initiative, tail: str = "") -> str:
    return f"/api/v1/lawmaking/initiatives/{initiative.pk}/reaction/{tail}"


def test_request_then_state():
    initiative, _experts, boss = at_expertise()
    assert api().get(url(initiative)).status_code == 404
    assert api(factories.verified_expert()).post(url(initiative, "request/")).status_code == 403
    response = api(boss).post(url(initiative, "request/"))
    assert response.status_code == 201, response.content
    state = api().get(url(initiative)).json()
    assignment = control_for_subject(initiative)
    assert state["due"] == assignment.deadline.isoformat() and state["overdue"] is False
    assert state["reaction"] is None and state["body"]["id"] == initiative.responsible_body_id
    assert state["assignment"]["id"] == assignment.pk


def test_the_body_gives_it():
    initiative, head, _expert = at_reaction()
    bad = api(head).post(url(initiative, "give/"), {"decision": "rejected"}, format="json")
    assert bad.status_code == 400 and "reasons" in bad.json()["error"]["fields"]
    response = api(head).post(url(initiative, "give/"), GIVE, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reaction"]["act_number"] == "15-ЗК" and body["on_time"] is True
    initiative.refresh_from_db()
    assert initiative.stage == Stage.CLOSED


def test_another_body_gets_403_naming_the_responsible_body():
    initiative, _head, _expert = at_reaction()
    other = factories.body_staff(OrganisationFactory(name="Министерство финансов"))
    response = api(other).post(url(initiative, "give/"), GIVE, format="json")
    assert response.status_code == 403
    assert "Министерство строительства края" in response.json()["error"]["message"]
    assert not Reaction.objects.exists()
    assert control_for_subject(initiative).status == Status.ISSUED
