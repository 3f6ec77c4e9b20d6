"""Statistics: each figure equals what it counts, per responsible body and in total; the numbers of initiatives
equal the lists they link to (followed on the list page); only published initiatives count; the filters apply."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from krai.core.comments.models import Comment
from krai.lawmaking.models import (
    Amendment,
    Annotation,
    Answer,
    Initiative,
    Question,
    Reaction,
    Review,
    Stage,
    Support,
    Version,
)
from krai.lawmaking.selectors.stats import statistics
from krai.lawmaking.tests.factories import coordinator, initiative, verified_expert
from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
LINK = re.compile(r'<a href="([^"]+)" data-stat="([^"]+)">(\d+)</a>')


def _version(item: Initiative) -> Version:
    return Version.objects.create(initiative=item, number=1, text="Статья 1. Текст.")


def _comment(item: Initiative, author, *, hidden: bool = False) -> Comment:
    return Comment.objects.create(content_type=ContentType.objects.get_for_model(Initiative), object_id=str(item.pk),
                                  author=author, body="Комментарий", is_hidden=hidden)


def _reaction(item: Initiative, *, late: bool) -> Reaction:
    today = timezone.localdate()
    return Reaction.objects.create(initiative=item, decision=Reaction.Decision.ADOPTED, body=item.responsible_body,
                                   due=today - timedelta(days=1) if late else today + timedelta(days=3))


@pytest.fixture
def world() -> dict:
    """Two bodies; people taking part in every way; a concept and a refused one that must not count."""
    a, b = OrganisationFactory(name="Министерство А"), OrganisationFactory(name="Министерство Б")
    u1, u2, u3, u4, u5, u6 = (UserFactory() for _ in range(6))
    expert = verified_expert("law")
    today = timezone.localdate()
    discussed = initiative(Stage.DISCUSSION, body=a)
    Support.objects.create(initiative=discussed, user=u1)
    Support.objects.create(initiative=discussed, user=u2)
    question = Question.objects.create(initiative=discussed, text="?", author=discussed.initiator)
    Answer.objects.create(question=question, author=u6, text="Ответ")
    Answer.objects.create(question=question, author=UserFactory(), text="Скрыт", hidden_at=timezone.now())
    drafted = initiative(Stage.ELABORATION, body=a)
    version = _version(drafted)
    Amendment.objects.create(initiative=drafted, version=version, key="1", proposed_text="x", author=u1,
                             status=Amendment.Status.ACCEPTED)
    Amendment.objects.create(initiative=drafted, version=version, key="1", proposed_text="y", author=u3)
    Annotation.objects.create(initiative=drafted, version=version, key="1", body="Замечание", author=u4)
    _comment(drafted, u5)
    _comment(drafted, UserFactory(), hidden=True)
    reviewed = initiative(Stage.EXPERTISE, body=a)
    Review.objects.create(initiative=reviewed, version=_version(reviewed), expert=expert,
                          conclusion=Review.Conclusion.SUPPORT, summary="Поддерживаю")
    initiative(Stage.REACTION, body=a, stage_due=today - timedelta(days=2))  # overdue
    initiative(Stage.REACTION, body=a, stage_due=today + timedelta(days=2))
    _reaction(initiative(Stage.CLOSED, body=a), late=False)
    _reaction(initiative(Stage.CLOSED, body=a), late=True)
    initiative(Stage.STOPPED, body=a)  # published, then stopped
    initiative(Stage.CONCEPT, body=a)  # never published: not counted
    refused = initiative(Stage.STOPPED, body=a)
    Initiative.objects.filter(pk=refused.pk).update(published_at=None)  # refused at moderation: not counted
    other = initiative(Stage.DISCUSSION, body=b, municipality=MunicipalityFactory())
    Support.objects.create(initiative=other, user=u1)
    _comment(other, u1)
    return {"a": a, "b": b, "people_a": {u1, u2, u3, u4, u5, u6, expert}, "people": {u1, u2, u3, u4, u5, u6, expert},
            "other": other}


def test_figures_per_body_and_in_total(world: dict) -> None:
    figures = statistics()
    a, b = (next(row for row in figures.bodies if row.body_id == body.pk) for body in (world["a"], world["b"]))
    assert [row.body_id for row in figures.bodies] == [world["a"].pk, world["b"].pk]
    assert a.total == 8 and b.total == 1 and figures.totals.total == 9
    assert a.stages == {"discussion": 1, "elaboration": 1, "expertise": 1, "reaction": 2, "closed": 2, "stopped": 1}
    assert a.participants == len(world["people_a"]) == 7 and b.participants == 1
    assert figures.totals.participants == 7  # u1 took part at both bodies: once in the total
    assert (a.comments, b.comments, figures.totals.comments) == (2, 1, 3)  # kernel + annotation; hidden ones not
    assert (a.amendments_proposed, a.amendments_accepted) == (2, 1)
    assert (a.reactions, a.reactions_on_time, a.reactions_late) == (2, 1, 1)
    assert (a.reactions_owed, a.reactions_overdue) == (2, 1)
    assert (b.reactions, b.reactions_owed) == (0, 0)


def test_filters(world: dict) -> None:
    assert statistics(level="municipal").totals.total == 1
    assert statistics(municipality=world["other"].municipality).bodies[0].body_id == world["b"].pk
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert statistics(date_from=tomorrow).totals.total == 0
    Initiative.objects.filter(pk=world["other"].pk).update(published_at=timezone.now() + timedelta(days=2))
    assert statistics(date_from=tomorrow).totals.total == 1


def _list_total(client: Client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["total"]


def _reference(url: str) -> QuerySet[Initiative]:
    """The initiatives a link's filters name, for the figures the list cannot filter by yet (reactions)."""
    from urllib.parse import parse_qs, urlsplit

    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    rows = Initiative.objects.filter(published_at__isnull=False)
    if "body" in query:
        rows = rows.filter(responsible_body_id=int(query["body"]))
    if "stage" in query:
        rows = rows.filter(stage=query["stage"])
    if query.get("overdue"):
        rows = rows.filter(stage_due__lt=timezone.localdate())
    if query.get("reaction") in ("on_time", "late"):
        late = [r.initiative_id for r in Reaction.objects.all() if not r.on_time]
        rows = rows.filter(pk__in=late) if query["reaction"] == "late" else rows.exclude(pk__in=late)
    return rows


def test_every_number_equals_the_list_it_links_to(world: dict) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff = Client(HTTP_ACCEPT_LANGUAGE="en")
    staff.force_login(coordinator())
    page = client.get(reverse("lawmaking:stats"))
    assert page.status_code == 200
    links = [(html.unescape(url), name, int(n)) for url, name, n in LINK.findall(page.content.decode())]
    assert len(links) == 3 * 16  # the totals and two bodies, 16 numbers each
    for url, name, n in links:
        assert url.startswith(reverse("lawmaking:home"))
        if name == "total" or name.startswith(("stage-", "reactions")):
            assert _list_total(client, url) == n, (name, url)  # the list itself
            assert _list_total(staff, url) == n, (name, url)  # a coordinator's list too (he sees concepts)
            api = staff.get("/api/v1/lawmaking/initiatives/?" + url.partition("?")[2])
            assert api.status_code == 200 and api.json()["count"] == n, (name, url)  # and the API's list
        if name.startswith(("stage-", "reactions", "total")):
            assert _reference(url).count() == n, (name, url)
    per_body = {name: n for url, name, n in links if f"&body={world['a'].pk}&" in f"&{url.partition('?')[2]}&"}
    assert per_body["stage-closed"] == 2 and per_body["reactions-overdue"] == 1


def test_the_page_filters_and_refuses_a_reversed_period(world: dict) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get(reverse("lawmaking:stats"), {"level": "municipal"})
    assert page.status_code == 200 and "Министерство Б" in page.content.decode()
    assert "Министерство А" not in page.content.decode()
    assert 'data-krai-picker="local"' in page.content.decode()
    assert "level=municipal" in html.unescape(page.content.decode())
    page = client.get(reverse("lawmaking:stats"), {"date_from": "2030-01-02", "date_to": "2030-01-01"})
    assert page.status_code == 400 and "before its start" in page.content.decode()
