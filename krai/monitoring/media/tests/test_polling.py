"""Polling feeds served on 127.0.0.1: RSS 2.0 and Atom 1.0 taken in, one story told by three outlets grouped, a
broken and a slow feed backing off without stopping the others, a 304 on the second poll reading nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from krai.core.search.models import SearchEntry
from krai.monitoring.media import feeds as feed_entries
from krai.monitoring.media import ingest
from krai.monitoring.media.fetch import normalise_url
from krai.monitoring.media.models import Article, Mention, Source, Story
from krai.monitoring.media.services import sources, topics
from krai.monitoring.media.tests import helpers
from krai.org.models import Role
from krai.org.tests.factories import StaffFactory, assign

pytestmark = pytest.mark.django_db

OUTLETS = {"kuban24.rss": ("Кубань 24", "regional"), "federal.atom": ("ФАН", "federal"),
           "yug.rss": ("Юг Times", "regional")}


@pytest.fixture
def admin():
    user = StaffFactory()
    assign(user, Role.ADMINISTRATOR)
    return user


def _sources(admin, feeds, names=OUTLETS) -> dict[str, Source]:
    return {name: sources.source_create(actor=admin, name=title, url=feeds.url(f"/feeds/{name}"), level=level)
            for name, (title, level) in names.items()}


def test_three_outlets_one_story_and_every_article_once(admin, feeds):
    made = _sources(admin, feeds)
    governor = topics.topic_create(actor=admin, name="Губернатор", terms="губернатор")
    results = sources.poll_due_sources()
    assert {r["status"] for r in results} == {"ok"}, results
    assert Article.objects.count() == 6
    school = Article.objects.filter(title__icontains="школ")
    assert school.count() == 3
    story = Story.objects.get(pk=school[0].story_id)
    assert set(school.values_list("story_id", flat=True)) == {story.pk}
    assert (story.articles_count, story.sources_count) == (3, 3)
    assert Story.objects.count() == 4  # the school, the embankment, the frost, the farmers
    # tracking parameters and fragments do not make another article; the key has none
    assert Article.objects.get(source=made["kuban24.rss"], title__startswith="В станице").url_key.endswith(
        "/kuban24/school.html")
    # the feed carried only a summary: the page was fetched and its main text extracted (navigation left out)
    yug = Article.objects.get(source=made["yug.rss"])
    assert yug.text_from_page and "Кванториум" in yug.text and "Курс валют" not in yug.text
    assert yug.title == "Новая школа в Полтавской примет 1100 учеников"  # windows-1251 feed read right
    assert feeds.hits["/yug/news/school.html"] == 1
    # a summary long enough is the text; the content of the feed wins over its summary
    frost = Article.objects.get(title__startswith="Синоптики")
    assert not frost.text_from_page and feeds.hits.get("/kuban24/frost.html", 0) == 0
    # lemmas: «губернатором», «губернатора» found by the term «губернатор»
    found = set(Mention.objects.filter(topic=governor).values_list("article__title", flat=True))
    assert "Губернатором края подписано постановление о поддержке фермеров" in found
    assert len(found) == 4  # three school articles and the farmers
    # the kernel's search holds every article, for staff
    assert SearchEntry.objects.filter(kind="media.article", visibility="staff").count() == 6


def test_broken_and_slow_feeds_back_off_while_the_others_are_polled(admin, feeds):
    made = _sources(admin, feeds, {**OUTLETS, "broken.xml": ("Сломанная", "regional"),
                                   "slow.rss": ("Медленная", "federal")})
    now = timezone.now()
    results = {r["source"]: r for r in sources.poll_due_sources(now=now)}
    broken, slow = made["broken.xml"], made["slow.rss"]
    assert results[broken.pk]["status"] == "error" and "not a feed" in results[broken.pk]["error"]
    assert results[slow.pk]["status"] == "error" and "timed out" in results[slow.pk]["error"]
    assert all(results[made[name].pk]["status"] == "ok" for name in OUTLETS)
    assert Article.objects.count() == 6
    slow.refresh_from_db()
    assert slow.failures == 1 and "timed out" in slow.last_error
    assert slow.next_poll_at == now + dt.timedelta(minutes=2 * slow.interval_minutes)
    # not due before its back-off: a poll 31 minutes later takes the healthy ones only (they answer 304)
    later = now + dt.timedelta(minutes=31)
    polled = {r["source"] for r in sources.poll_due_sources(now=later)}
    assert slow.pk not in polled and broken.pk not in polled and polled == {made[n].pk for n in OUTLETS}
    # the second failure doubles the wait again; the limit caps it
    again = now + dt.timedelta(minutes=61)
    sources.poll_due_sources(now=again)
    slow.refresh_from_db()
    assert slow.failures == 2 and slow.next_poll_at == again + dt.timedelta(minutes=4 * slow.interval_minutes)
    # when the feed answers in time, the source is healthy again
    feeds.slow_seconds = 0
    result = sources.source_poll(actor=admin, source=slow)
    slow.refresh_from_db()
    assert result["status"] == "ok" and slow.failures == 0 and slow.last_error == ""


def test_the_second_poll_is_answered_304_and_nothing_is_read_again(admin, feeds):
    made = _sources(admin, feeds)
    now = timezone.now()
    sources.poll_due_sources(now=now)
    count, page_hits = Article.objects.count(), feeds.hits["/yug/news/school.html"]
    source = Source.objects.get(pk=made["kuban24.rss"].pk)
    assert source.etag and source.last_modified
    results = sources.poll_due_sources(now=now + dt.timedelta(minutes=31))
    assert {r["status"] for r in results} == {"not_modified"}
    assert sum(feeds.conditional.values()) == 3
    assert Article.objects.count() == count and feeds.hits["/yug/news/school.html"] == page_hits


def test_page_fetching_can_be_turned_off(admin, feeds, settings):
    settings.KRAI_PRESS_FETCH_PAGES = False
    _sources(admin, feeds, {"yug.rss": OUTLETS["yug.rss"]})
    sources.poll_due_sources()
    article = Article.objects.get()
    assert not article.text_from_page and article.text == "В Красноармейском районе открылась школа."
    assert feeds.hits["/yug/news/school.html"] == 0


def test_a_site_page_is_a_one_article_source(admin, feeds):
    page = sources.source_create(actor=admin, name="Юг Times: школа", url=feeds.url("/yug/news/school.html"),
                                 kind=Source.Kind.PAGE)
    assert sources.source_poll(actor=admin, source=page)["new"] == 1
    article = Article.objects.get()
    assert "Кванториум" in article.text and article.title.startswith("Новая школа")
    assert sources.source_poll(actor=admin, source=page)["status"] == "not_modified"


def test_sources_are_managed_by_administrators_and_controllers(admin, feeds):
    with pytest.raises(PermissionDenied):
        sources.source_create(actor=StaffFactory(), name="X", url=feeds.url("/feeds/kuban24.rss"))
    source = sources.source_create(actor=admin, name="X", url=feeds.url("/feeds/kuban24.rss"))
    controller = StaffFactory()
    assign(controller, Role.CONTROLLER)
    sources.source_poll(actor=admin, source=source)
    source.refresh_from_db()
    assert source.etag
    sources.source_update(actor=controller, source=source, url=feeds.url("/feeds/federal.atom"), level="federal")
    source.refresh_from_db()
    assert source.etag == "" and source.level == "federal"
    with pytest.raises(PermissionDenied):
        sources.source_poll(actor=StaffFactory(), source=source)


def test_an_answer_over_the_size_cap_is_refused(admin, feeds, settings):
    settings.KRAI_PRESS_MAX_BYTES = 1000
    source = _sources(admin, feeds, {"kuban24.rss": OUTLETS["kuban24.rss"]})["kuban24.rss"]
    result = sources.source_poll(actor=admin, source=source)
    assert result["status"] == "error" and "too large" in result["error"] and not Article.objects.exists()


def test_addresses_are_normalised_and_a_known_guid_is_not_taken_again():
    assert normalise_url("HTTP://WWW.Example.org:80/news/1/?utm_source=x&b=2&a=1#comments") == \
        "https://example.org/news/1?a=1&b=2"
    src = helpers.source()
    first = helpers.articles(src, "Первая новость. Текст первой новости.")[0]
    again = feed_entries.Entry(url="https://elsewhere.example.org/moved", guid=first.guid, title="Первая новость",
                               summary="", content="Текст", published_at=first.published_at)
    assert ingest.fresh_entries(src, [again]) == []
