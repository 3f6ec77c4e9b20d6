"""Initiatives' pages: the list with its filters and pages (every item reached), proposing and changing a
concept, the initiative's page (timeline, what comes next, the concept hidden from others), the staff's decisions
and the workspace's queue."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from krai.lawmaking.models import Initiative, Level, Stage
from krai.lawmaking.tests.factories import body_staff, coordinator, field, initiative
from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def test_the_list_filters_and_its_pages_reach_every_item():
    body = OrganisationFactory()
    town = MunicipalityFactory()
    made = [initiative(Stage.DISCUSSION, body=body, title=f"Инициатива {n}") for n in range(23)]
    special = initiative(Stage.EXPERTISE, municipality=town, title="О сквере у реки")
    special.fields.add(field("law"))
    hidden = initiative(Stage.CONCEPT, title="Скрытая концепция")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    seen: set[int] = set()
    page = 1
    while True:
        answer = client.get(reverse("lawmaking:home"), {"page": page})
        assert answer.status_code == 200
        seen |= {row.pk for row in answer.context["rows"]}
        if not answer.context["page"].has_next():
            break
        page += 1
    assert seen == {i.pk for i in made} | {special.pk} and page == 2
    assert hidden.pk not in seen
    html = client.get(reverse("lawmaking:home")).content.decode()
    assert 'data-krai-picker="local"' in html and "Скрытая концепция" not in html
    for query in ({"q": "сквер"}, {"stage": "expertise"}, {"level": "municipal", "municipality": town.pk},
                  {"field": field("law").pk}, {"body": special.responsible_body_id}):
        rows = client.get(reverse("lawmaking:home"), query).context["rows"]
        assert [row.pk for row in rows] == [special.pk], query
    filtered = client.get(reverse("lawmaking:home"), {"body": body.pk, "page": 2})
    assert filtered.context["total"] == 23 and len(filtered.context["rows"]) == 3
    assert f"body={body.pk}" in filtered.context["query"]


def test_proposing_a_concept_through_the_page():
    resident, body = UserFactory(), OrganisationFactory()
    client = signed_in(resident)
    assert client.get(reverse("lawmaking:new")).status_code == 200
    data = {"title": "О тишине", "problem": "Шумно ночью.", "proposal": "Статья 1. Тишина с 23 до 7.",
            "level": Level.MUNICIPAL, "municipality": "", "responsible_body": body.pk}
    answer = client.post(reverse("lawmaking:new"), data)
    assert answer.status_code == 200 and not Initiative.objects.exists()
    assert "municipality" in answer.context["form"].errors
    town = MunicipalityFactory()
    answer = client.post(reverse("lawmaking:new"), {**data, "municipality": town.pk})
    item = Initiative.objects.get()
    assert answer.status_code == 302 and answer["Location"] == item.get_absolute_url()
    page = client.get(item.get_absolute_url()).content.decode()
    assert "awaiting moderation" in page and reverse("lawmaking:edit", args=[item.pk]) in page
    assert Client().get(item.get_absolute_url()).status_code == 404
    assert signed_in(UserFactory()).get(item.get_absolute_url()).status_code == 404
    assert signed_in(body_staff()).get(item.get_absolute_url()).status_code == 404
    assert Client().get(reverse("lawmaking:new")).status_code == 302  # to the sign-in
    unconfirmed = signed_in(UserFactory(email_confirmed=False)).get(reverse("lawmaking:new"))
    assert "Confirm your e-mail" in unconfirmed.content.decode()


def test_the_initiator_edits_his_concept_and_nobody_else():
    item = initiative(Stage.CONCEPT)
    url = reverse("lawmaking:edit", args=[item.pk])
    for stranger in (UserFactory(), coordinator()):
        assert signed_in(stranger).get(url).status_code == 404
    client = signed_in(item.initiator)
    assert client.get(url).status_code == 200
    answer = client.post(url, {"title": "Новое название", "problem": item.problem, "proposal": item.proposal,
                               "level": Level.REGIONAL, "responsible_body": item.responsible_body_id})
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.title == "Новое название"
    published = initiative(Stage.DISCUSSION)
    assert signed_in(published.initiator).get(reverse("lawmaking:edit", args=[published.pk])).status_code == 404


def test_the_page_shows_the_timeline_and_what_comes_next():
    item = initiative(Stage.EXPERTISE)
    Initiative.objects.filter(pk=item.pk).update(stage_due="2030-05-17")
    answer = Client(HTTP_ACCEPT_LANGUAGE="en").get(item.get_absolute_url())
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "Timeline" in html and "What comes next" in html and "17.05.2030" in html
    for step in item.stage_entries.all():
        assert step.entered_at.strftime("%d.%m.%Y") in html
    assert "Government reaction" in html and "to come" in html
    assert "Staff actions" not in html


def test_moderation_through_the_page():
    resident = UserFactory()
    item = initiative(Stage.CONCEPT, initiator=resident)
    boss = signed_in(coordinator())
    page = boss.get(item.get_absolute_url()).content.decode()
    assert reverse("lawmaking:approve", args=[item.pk]) in page
    assert signed_in(resident).post(reverse("lawmaking:approve", args=[item.pk])).status_code == 404
    assert signed_in(body_staff(item.responsible_body)).post(
        reverse("lawmaking:approve", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.stage == Stage.CONCEPT
    answer = boss.post(reverse("lawmaking:refuse", args=[item.pk]), {"refuse-reason": ""})
    item.refresh_from_db()
    assert answer.status_code == 302 and item.stage == Stage.CONCEPT
    boss.post(reverse("lawmaking:refuse", args=[item.pk]), {"refuse-reason": "Вне полномочий края"})
    item.refresh_from_db()
    assert item.stage == Stage.STOPPED
    page = signed_in(resident).get(item.get_absolute_url()).content.decode()
    assert "was not published" in page and "Вне полномочий края" in page
    other = initiative(Stage.CONCEPT)
    boss.post(reverse("lawmaking:approve", args=[other.pk]), {"approve-note": ""})
    other.refresh_from_db()
    assert other.stage == Stage.DISCUSSION and other.published_at is not None


def test_advance_stop_and_editor_by_the_responsible_body_only():
    body = OrganisationFactory()
    item = initiative(Stage.DISCUSSION, body=body)
    stranger = signed_in(body_staff())
    for name, data in (("advance", {"advance-note": "Да"}), ("stop", {"stop-reason": "Нет"}),
                       ("set_editor", {"editor-editor": item.initiator_id})):
        assert stranger.post(reverse(f"lawmaking:{name}", args=[item.pk]), data).status_code == 404
    item.refresh_from_db()
    assert item.stage == Stage.DISCUSSION and item.editor_id is None
    staff = body_staff(body)
    client = signed_in(staff)
    page = client.get(item.get_absolute_url()).content.decode()
    assert reverse("lawmaking:advance", args=[item.pk]) in page and 'name="editor-editor"' in page
    client.post(reverse("lawmaking:set_editor", args=[item.pk]), {"editor-editor": staff.pk})
    client.post(reverse("lawmaking:advance", args=[item.pk]), {"advance-note": "Решение совещания"})
    item.refresh_from_db()
    assert item.stage == Stage.ELABORATION and item.editor == staff
    answer = client.post(reverse("lawmaking:stop", args=[item.pk]), {"stop-reason": "Утратило актуальность"},
                         follow=True)
    item.refresh_from_db()
    assert item.stage == Stage.STOPPED and "Утратило актуальность" in answer.content.decode()


def test_the_workspace_queue():
    body = OrganisationFactory()
    concept = initiative(Stage.CONCEPT, body=body)
    discussed = initiative(Stage.DISCUSSION, body=body)
    elsewhere = initiative(Stage.DISCUSSION)
    url = reverse("lawmaking:workspace")
    assert url == "/workspace/lawmaking/"
    assert signed_in(UserFactory()).get(url).status_code == 404
    boss = signed_in(coordinator())
    answer = boss.get(url)
    assert answer.status_code == 200 and [row.pk for row in answer.context["rows"]] == [concept.pk]
    assert "Approve or refuse" in answer.content.decode()
    rows = boss.get(url, {"tab": "discussion"}).context["rows"]
    assert {row.pk for row in rows} == {discussed.pk, elsewhere.pk}
    staff = signed_in(body_staff(body))
    answer = staff.get(url)
    assert answer.context["tab"] == "discussion" and [row.pk for row in answer.context["rows"]] == [discussed.pk]
