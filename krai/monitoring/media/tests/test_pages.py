"""The media pages and API: every count shown equals the rows of the list it links to; staff only; the writes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from krai.monitoring import tiles
from krai.monitoring.media import selectors
from krai.monitoring.media.models import Alert, Source, Topic
from krai.monitoring.media.services import spikes, topics
from krai.monitoring.media.tests import helpers
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, UserFactory, assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.KRAI_PRESS_SPIKE_MIN_MENTIONS = 3
    owner = StaffFactory()
    regional, federal = helpers.source("Кубань 24"), helpers.source("ФАН", "federal")
    topic = topics.topic_create(actor=owner, name="Паводок", terms="паводок\nнаводнение")
    other = topics.topic_create(actor=owner, name="Школы", terms="школа")
    today = timezone.localdate()
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    helpers.articles(regional, *[f"Паводок на реке {i}. Вода поднялась на {i} метра у станицы {i}." for i in range(4)],
                     when=noon)
    helpers.articles(federal, "Наводнение в крае. Эвакуированы жители, открыта школа для пострадавших.",
                     "Школа открыта. Учеников встретили учителя.", when=noon - dt.timedelta(days=3))
    spikes.detect_spikes(day=today)
    return {"owner": owner, "topic": topic, "other": other, "regional": regional, "federal": federal}


def _count(client, url: str) -> int:
    """The number of mentions the list at ``url`` holds (its stated total, checked against its rows)."""
    page = client.get(url).content.decode()
    total = int(re.search(r'id="md-total">(\d+)', page).group(1))
    assert total == len(re.findall(r"data-mention=", page)) or total > 25
    return total


def test_every_count_links_to_the_list_it_counts(client, world):
    client.force_login(world["owner"])
    topic = world["topic"]
    page = client.get(reverse("monitoring:media:topic", args=[topic.pk])).content.decode()
    link, total = re.search(r'id="md-topic-total"><a href="([^"]+)">(\d+)', page).groups()
    assert int(total) == 5 == _count(client, link.replace("&amp;", "&"))
    for url, count in re.findall(r'<td class="text-end"><a href="([^"]+)">(\d+)</a></td>', page):
        assert _count(client, url.replace("&amp;", "&")) == int(count)
    assert "table-danger" in page and Alert.objects.filter(topic=topic).count() == 1
    alerts = client.get(reverse("monitoring:media:alerts")).content.decode()
    for url, count in re.findall(r'<td class="text-end"><a href="([^"]+)">(\d+)</a></td>', alerts):
        assert _count(client, url.replace("&amp;", "&")) == int(count) == 4
    listing = client.get(reverse("monitoring:media:sources")).content.decode()
    found = re.findall(r'<td class="text-end"><a href="([^"]+)">(\d+)</a></td>', listing)
    assert len(found) == 2
    for url, count in found:
        assert _count(client, url) == int(count)
    tile = next(t for t in tiles.tiles_for(world["owner"]) if t.key == "media")
    week, mine, failing = tile.entries
    assert week[1] == _count(client, week[3]) == 7  # flood: 4 + 1; schools: 2 (one in the flood article)
    assert mine[1] == 1 and failing[1] == 0


def test_the_feed_filters_by_topic_source_level_period_and_search(client, world):
    client.force_login(StaffFactory())
    url = reverse("monitoring:media:mentions")
    assert _count(client, url) == 7
    assert _count(client, f"{url}?topic={world['other'].pk}") == 2
    assert _count(client, f"{url}?source={world['federal'].pk}") == 3
    assert _count(client, f"{url}?level=regional") == 4
    today = timezone.localdate()
    assert _count(client, f"{url}?first={today}&last={today}") == 4
    assert _count(client, f"{url}?q=эвакуированы") == 2  # the article's two mentions (flood and school)
    assert _count(client, f"{url}?q=поднялась+вода") == 4


def test_pages_are_for_staff_and_topics_and_sources_are_edited_through_them(client, world):
    client.force_login(UserFactory())
    assert client.get(reverse("monitoring:media:mentions")).status_code == 403
    owner = world["owner"]
    client.force_login(owner)
    for name in ("sources", "topics", "alerts", "topic_add"):
        assert client.get(reverse(f"monitoring:media:{name}")).status_code == 200
    story = world["topic"].mentions.first().article.story
    assert client.get(reverse("monitoring:media:story", args=[story.pk])).status_code == 200
    response = client.post(reverse("monitoring:media:topic_add"), {"name": "Мосты", "kind": "keywords",
                                                                   "terms": "мост", "active": "on"})
    created = Topic.objects.get(name="Мосты")
    assert response.status_code == 302 and created.owner == owner
    client.post(reverse("monitoring:media:topic_edit", args=[created.pk]),
                {"name": "Мосты", "kind": "keywords", "terms": "мост\nпереправа", "owner": owner.pk, "active": "on"})
    created.refresh_from_db()
    assert created.terms == "мост\nпереправа"
    # sources: only administrators and controllers
    add = {"name": "РИА", "url": "https://ria.example.org/rss", "kind": "feed", "level": "federal",
           "active": "on", "interval_minutes": 30}
    client.post(reverse("monitoring:media:source_add"), add)
    assert not Source.objects.filter(name="РИА").exists()
    admin = StaffFactory()
    assign(admin, Role.ADMINISTRATOR)
    client.force_login(admin)
    assert client.post(reverse("monitoring:media:source_add"), add).status_code == 302
    source = Source.objects.get(name="РИА", level="federal")
    Source.objects.filter(pk=source.pk).update(etag='"abc"', failures=3)
    client.post(reverse("monitoring:media:source", args=[source.pk]), {**add, "url": "https://ria.example.org/v2"})
    source.refresh_from_db()
    assert (source.url, source.etag, source.failures) == ("https://ria.example.org/v2", "", 0)


def test_a_story_page_opens_an_order(client, world):
    body = OrganisationFactory()
    head = StaffFactory()
    assign(head, Role.HEAD, organisation=body)
    client.force_login(head)
    story = world["topic"].mentions.first().article.story
    response = client.post(reverse("monitoring:media:story", args=[story.pk]),
                           {"executor_organisation": body.pk, "working_days": 3, "note": "Ответить до пятницы"})
    assert response.status_code == 302 and "/orders/" in response["Location"]


def test_the_api_reads_and_writes(client, world):
    owner = world["owner"]
    client.force_login(owner)
    base = "/api/v1/monitoring/media"
    mentions = client.get(f"{base}/mentions/?topic={world['topic'].pk}").json()
    assert mentions["count"] == 5 and mentions["results"][0]["article"]["title"]
    assert client.get(f"{base}/mentions/?from=bad").status_code == 400
    assert len(client.get(f"{base}/sources/").json()) == 2
    detail = client.get(f"{base}/topics/{world['topic'].pk}/").json()
    assert sum(d["count"] for d in detail["trend"]) == 5 and len(detail["alerts"]) == 1
    assert client.get(f"{base}/alerts/?mine=1").json()["count"] == 1
    story = world["topic"].mentions.first().article.story_id
    assert client.get(f"{base}/stories/{story}/").json()["articles"]
    made = client.post(f"{base}/topics/", {"name": "Мосты", "terms": "мост"}, content_type="application/json")
    assert made.status_code == 201 and made.json()["owner"] == owner.email
    patched = client.patch(f"{base}/topics/{made.json()['id']}/", {"terms": "мост\nпереправа"},
                           content_type="application/json")
    assert patched.json()["matched_terms"] == ["мост", "переправа"]
    assert client.post(f"{base}/sources/", {"name": "РИА", "url": "https://ria.example.org/rss"},
                       content_type="application/json").status_code == 403
    admin = StaffFactory()
    assign(admin, Role.ADMINISTRATOR)
    client.force_login(admin)
    source = client.post(f"{base}/sources/", {"name": "РИА", "url": "https://ria.example.org/rss", "level": "federal"},
                         content_type="application/json")
    assert source.status_code == 201
    changed = client.patch(f"{base}/sources/{source.json()['id']}/", {"active": False}, content_type="application/json")
    assert changed.json()["active"] is False
    client.force_login(UserFactory())
    assert client.get(f"{base}/mentions/").status_code == 403


def test_polling_now_through_the_api(client, feeds):
    admin = StaffFactory()
    assign(admin, Role.ADMINISTRATOR)
    client.force_login(admin)
    base = "/api/v1/monitoring/media"
    made = client.post(f"{base}/sources/", {"name": "Сломанная", "url": feeds.url("/feeds/broken.xml")},
                       content_type="application/json").json()
    polled = client.post(f"{base}/sources/{made['id']}/poll/").json()
    assert polled["status"] == "error" and "not a feed" in polled["error"]
    state = client.get(f"{base}/sources/{made['id']}/").json()
    assert state["failures"] == 1 and "not a feed" in state["last_error"]


def test_the_digest_of_a_period_counts_as_the_feed_does(client, world):
    today = timezone.localdate()
    first = today - dt.timedelta(days=6)
    summary = selectors.digest(world["owner"], first=first, last=today)
    client.force_login(world["owner"])
    url = reverse("monitoring:media:mentions")
    for row in summary["topics"]:
        assert row["mentions"] == _count(client, f"{url}?topic={row['topic'].pk}&first={first}&last={today}")
    assert [row["topic"].name for row in summary["topics"]] == ["Паводок", "Школы"]
    assert summary["topics"][0]["spikes"] == 1
    assert summary["stories"] and summary["stories"][0].sources_count >= 1
    assert selectors.digest(UserFactory(), first=first, last=today) == {"stories": [], "topics": []}
