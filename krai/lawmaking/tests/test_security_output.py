"""Output escaped and personal data masked: ``<script>`` in a title, a provision, an amendment, a comment on a
provision, a review and a reaction's reasons comes out as text on every page and in the diff; a ``javascript:``
act link is refused; a resident's phone or e-mail and his surname are not shown to the public."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from krai.lawmaking.models import Reaction, Stage
from krai.lawmaking.services import amendments, discussion, drafts, expertise, reactions
from krai.lawmaking.tests import factories
from krai.lawmaking.tests.factories_expert import review_data
from krai.org.tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">'
TEXT = f"Статья 1. Заголовок {XSS}\n1. Часть {XSS}.\n2. Вторая часть."


@pytest.fixture(autouse=True)
def _no_limits(settings) -> None:
    settings.RATELIMIT_ENABLE = False


def _assert_escaped(html: str, where: str) -> None:
    assert "<script>alert" not in html, where
    assert "<img src=x" not in html, where


def test_script_everywhere_comes_out_as_text() -> None:
    body = OrganisationFactory(name="Министерство строительства края")
    head = factories.body_staff(body)
    initiative = factories.initiative(Stage.ELABORATION, body=body, title=f"Закон {XSS}", proposal=TEXT,
                                      problem=XSS)
    drafts.version_initial(initiative=initiative, actor=initiative.initiator)
    resident = UserFactory()
    drafts.annotation_add(actor=resident, initiative=initiative, key="1.1", quote="", body=f"Комментарий {XSS}")
    item = amendments.amendment_propose(actor=resident, initiative=initiative, key="1.2", quote="",
                                        proposed_text=f"Иначе {XSS}", justification=XSS)
    amendments.amendment_decide(actor=initiative.initiator, amendment=item, accept=True, reason=XSS)
    expert = factories.verified_expert("law")
    boss = factories.coordinator()
    expertise.expertise_start(actor=boss, initiative=initiative, experts=[expert])
    expertise.review_submit(actor=expert, initiative=initiative, **review_data(summary=XSS, risks=XSS, proposals=XSS))
    reactions.reaction_request(actor=boss, initiative=initiative)
    refused = APIClient()
    refused.force_authenticate(head)
    for url in ("javascript:alert(1)", "data:text/html,x", "JaVaScRiPt:alert(1)", "//evil.example/x"):
        response = refused.post(f"/api/v1/lawmaking/initiatives/{initiative.pk}/reaction/give/",
                                {"decision": "rejected", "reasons": XSS, "act_url": url}, format="json")
        assert response.status_code == 400 and "act_url" in response.json()["error"]["fields"], url
    assert not Reaction.objects.exists()
    reactions.reaction_give(actor=head, initiative=initiative, decision="rejected", reasons=f"Нет {XSS}",
                            act_title=XSS, act_number="", act_date=None, act_url="https://pravo.example.ru/1")
    for user in (None, boss, initiative.initiator, expert):
        client = Client()
        if user is not None:
            client.force_login(user)
        for name in ("detail", "draft", "versions", "diff", "amendments", "expertise", "reaction"):
            response = client.get(reverse(f"lawmaking:{name}", args=[initiative.pk]))
            assert response.status_code == 200, name
            _assert_escaped(response.content.decode(), name)
        for path in (reverse("lawmaking:home"), reverse("lawmaking:stats"),
                     reverse("social:profile", args=[expert.pk])):
            _assert_escaped(client.get(path).content.decode(), path)
    staff = Client()
    staff.force_login(boss)
    _assert_escaped(staff.get(reverse("lawmaking:workspace")).content.decode(), "workspace")
    diff = APIClient().get(f"/api/v1/lawmaking/initiatives/{initiative.pk}/diff/", {"a": 1, "b": 2}).json()
    for entry in diff["entries"]:
        _assert_escaped(entry["html"], entry["key"])


def test_a_residents_answer_shows_neither_his_surname_nor_his_contacts() -> None:
    initiative = factories.initiative(Stage.DISCUSSION)
    question = discussion.question_ask(actor=initiative.initiator, initiative=initiative, text="Что думаете?")
    answerer = UserFactory(surname="Засекреченный", given_name="Пётр", email="petr.secret@example.ru")
    discussion.answer_give(actor=answerer, question=question,
                           text="Звоните +7 912 345-67-89 или пишите petr.secret@example.ru")
    page = Client().get(reverse("lawmaking:detail", args=[initiative.pk])).content.decode()
    api = APIClient().get(f"/api/v1/lawmaking/initiatives/{initiative.pk}/questions/").content.decode()
    for where, text in (("page", page), ("api", api)):
        assert "Засекреченный" not in text, where
        assert "petr.secret@example.ru" not in text, where
        assert "345-67-89" not in text, where
        assert "Пётр З." in text, where


def test_the_version_note_of_an_accepted_amendment_names_the_author_as_the_community_does() -> None:
    initiative = factories.initiative(Stage.ELABORATION, proposal="Статья 1. А\n1. Первая.\n2. Вторая.")
    drafts.version_initial(initiative=initiative, actor=initiative.initiator)
    author = UserFactory(surname="Засекреченный", given_name="Пётр")
    item = amendments.amendment_propose(actor=author, initiative=initiative, key="1.2", quote="",
                                        proposed_text="Иная вторая.", justification="")
    version = amendments.amendment_decide(actor=initiative.initiator, amendment=item, accept=True, reason="")
    note = initiative.versions.order_by("-number").first().note
    assert "Засекреченный" not in note and "Пётр З." in note, (note, version)
