"""Taking a feed's entries in: new articles only (by normalised address and guid), their text, their story,
their mentions, their search entry. Called by the poll (``services.sources``), inside its transaction; the poll
records the event for everything it took in."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from krai.core.search.models import SearchEntry
from krai.core.search.services import index_object
from krai.monitoring.media import feeds, stories
from krai.monitoring.media.fetch import normalise_url
from krai.monitoring.media.models import Article, Mention, Source, Story, Topic
from krai.monitoring.media.text import TermMatcher


@dataclass
class Run:
    """What one run of polls shares: the recent stories' LSH index and the topics' compiled terms."""

    index: stories.StoryIndex
    matcher: TermMatcher
    now: dt.datetime = field(default_factory=timezone.now)

    @classmethod
    def start(cls, *, now: dt.datetime | None = None) -> Run:
        now = now or timezone.now()
        return cls(index=stories.StoryIndex.recent(now=now), matcher=topic_matcher(), now=now)


def topic_matcher(topics=None) -> TermMatcher:
    topics = Topic.objects.filter(active=True) if topics is None else topics
    topics = topics.select_related("organisation", "municipality", "person")
    return TermMatcher({topic.pk: topic.term_list() for topic in topics})


def _text_of(source: Source, entry: feeds.Entry) -> tuple[str, bool]:
    """The article's text and whether it was read from its page."""
    if entry.content and len(entry.content) >= len(entry.summary):
        return entry.content, False
    if (len(entry.summary) < feeds.SUMMARY_ENOUGH and source.fetch_pages and feeds.fetch_pages_enabled()):
        text = feeds.page_text(entry.url)
        if text:
            return text, True
    return entry.summary, False


def is_known(source: Source, url_key: str, guid: str) -> bool:
    if Article.objects.filter(url_key=url_key).exists():
        return True
    return bool(guid) and Article.objects.filter(source=source, guid=guid).exists()


@dataclass
class Fresh:
    """An entry not seen yet, with its key and its text."""

    entry: feeds.Entry
    url_key: str
    guid: str
    text: str
    from_page: bool


def fresh_entries(source: Source, entries: list[feeds.Entry], *, page: bool = False) -> list[Fresh]:
    """The entries not seen yet, with their text — an article's page fetched here, so the poll calls this before
    its transaction opens. A page source's article is new when its text changed."""
    fresh = []
    for entry in entries:
        if page:
            digest = hashlib.sha1(f"{entry.title}\n{entry.content}".encode(), usedforsecurity=False).hexdigest()[:20]
            url_key, guid = f"{normalise_url(entry.url)}#{digest}", digest
        else:
            url_key, guid = normalise_url(entry.url), entry.guid
        if is_known(source, url_key, guid) or any(f.url_key == url_key for f in fresh):
            continue
        text, from_page = (entry.content, True) if page else _text_of(source, entry)
        fresh.append(Fresh(entry=entry, url_key=url_key, guid=guid, text=text, from_page=from_page))
    return fresh


def store(source: Source, fresh: list[Fresh], run: Run) -> list[Article]:
    """Store the fresh entries (in the caller's transaction); one another poll took meanwhile is skipped."""
    return [_store(source, item.entry, run, url_key=item.url_key, guid=item.guid, text=item.text,
                   from_page=item.from_page)
            for item in fresh if not is_known(source, item.url_key, item.guid)]


def take_entries(source: Source, entries: list[feeds.Entry], run: Run, *, page: bool = False) -> list[Article]:
    """Find the fresh entries and store them at once (the demo and the tests; the poll does it in two steps)."""
    return store(source, fresh_entries(source, entries, page=page), run)


def _store(source: Source, entry: feeds.Entry, run: Run, *, url_key: str, guid: str, text: str,
           from_page: bool) -> Article:
    minhash = stories.signature(f"{entry.title} {text}")
    story_id = run.index.nearest_story(minhash)
    if story_id is None:
        story_id = Story.objects.create(title=entry.title, first_seen_at=entry.published_at).pk
    article = Article.objects.create(
        source=source, story_id=story_id, url=entry.url[:1000], url_key=url_key[:1000], guid=guid, title=entry.title,
        summary=entry.summary, text=text, text_from_page=from_page, published_at=entry.published_at,
        signature=stories.to_bytes(minhash))
    run.index.add(article.pk, story_id, minhash)
    counts = Article.objects.filter(story_id=story_id).aggregate(
        articles=Count("pk"), sources=Count("source", distinct=True))
    Story.objects.filter(pk=story_id).update(articles_count=counts["articles"], sources_count=counts["sources"])
    record_mentions(article, run.matcher)
    index_object(target=article, title=article.title, body=article.text or article.summary, url=article.url,
                 visibility=SearchEntry.Visibility.STAFF)
    return article


def record_mentions(article: Article, matcher: TermMatcher) -> list[Mention]:
    found = matcher.match(f"{article.title}\n{article.text or article.summary}")
    if not found:
        return []
    day = timezone.localdate(article.published_at)
    rows = [Mention(topic_id=topic_id, article=article, terms=terms, day=day) for topic_id, terms in found.items()]
    return Mention.objects.bulk_create(rows, ignore_conflicts=True)
