"""Pages of the reaction: the body's form with the deadline from its assignment; for others who owes it and by
when; a reaction by another body refused with the responsible body named and nothing changed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from krai.lawmaking.models import Reaction, Stage
from krai.lawmaking.tests import factories
from krai.lawmaking.tests.factories_expert import at_expertise, at_reaction
from krai.orders.models import Status
from krai.orders.selectors import control_for_subject
from krai.org.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

FORM = {"decision": "adopted_changed", "reasons": "Учтены замечания экспертов", "act_title": "О благоустройстве",
        "act_number": "15-ЗК", "act_date": "2026-01-15", "act_url": "https://pravo.example.ru/15"}


def test_managers_send_the_draft_for_the_reaction(client):
    initiative, _experts, boss = at_expertise()
    client.force_login(boss)
    response = client.post(reverse("lawmaking:reaction_request", args=[initiative.pk]))
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.stage == Stage.REACTION


def test_others_see_who_owes_it_and_by_when(client):
    initiative, _head, _expert = at_reaction()
    due = control_for_subject(initiative).deadline.strftime("%d.%m.%Y")
    page = client.get(reverse("lawmaking:reaction", args=[initiative.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Министерство строительства края" in text and due in text
    assert "lawmaking-reaction-form" not in text
    detail = client.get(reverse("lawmaking:detail", args=[initiative.pk])).content.decode()
    assert "lawmaking-reaction-owed" in detail and due in detail


def test_the_body_gives_the_reaction_through_the_form(client):
    initiative, head, _expert = at_reaction()
    client.force_login(head)
    page = client.get(reverse("lawmaking:reaction", args=[initiative.pk]))
    assert "lawmaking-reaction-form" in page.content.decode()
    bad = client.post(reverse("lawmaking:reaction", args=[initiative.pk]), {**FORM, "reasons": ""})
    assert bad.status_code == 400 and not Reaction.objects.exists()
    assert client.post(reverse("lawmaking:reaction", args=[initiative.pk]), FORM).status_code == 302
    reaction = Reaction.objects.get()
    assert reaction.act_number == "15-ЗК" and reaction.decision == "adopted_changed"
    text = client.get(reverse("lawmaking:reaction", args=[initiative.pk])).content.decode()
    assert "15-ЗК" in text and "https://pravo.example.ru/15" in text


def test_another_body_is_refused_with_the_body_named(client):
    initiative, _head, _expert = at_reaction()
    client.force_login(factories.body_staff(OrganisationFactory(name="Министерство финансов")))
    page = client.get(reverse("lawmaking:reaction", args=[initiative.pk]))
    assert "lawmaking-reaction-form" not in page.content.decode()
    refused = client.post(reverse("lawmaking:reaction", args=[initiative.pk]), FORM)
    assert refused.status_code == 403
    assert "Only the staff of the responsible body, Министерство строительства края" in refused.content.decode()
    assert not Reaction.objects.exists()
    assert control_for_subject(initiative).status == Status.ISSUED
    initiative.refresh_from_db()
    assert initiative.stage == Stage.REACTION
