"""Reading media monitoring: the mentions feed with its filters, stories, topics' daily counts, alerts.

Every count a page or the tile shows is the ``count()`` of the queryset its link lists (same function, same
filters). The feed's search uses the kernel's full-text index (``krai.core.search``: PostgreSQL's ``russian``
stemming, SQLite's FTS5 with crude stems), where every article is indexed as a staff entry.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import BigIntegerField, Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone

from krai.core.search import query as text_query
from krai.core.search.models import SearchEntry
from krai.monitoring.media.models import Alert, Article, Mention, Source, Story, Topic

TREND_DAYS = 30


def _can_read(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("media.view"))


def sources(user) -> QuerySet[Source]:
    if not _can_read(user):
        return Source.objects.none()
    return Source.objects.annotate(mentions_total=Count("articles__mentions")).order_by("name", "id")


def failing_sources(user) -> QuerySet[Source]:
    return sources(user).filter(active=True, failures__gt=0)


def topics(user) -> QuerySet[Topic]:
    if not _can_read(user):
        return Topic.objects.none()
    return Topic.objects.select_related("owner", "organisation", "municipality", "person").order_by("name", "id")


def topic_for(user, pk: int) -> Topic:
    topic = topics(user).filter(pk=pk).first()
    if topic is None:
        raise Http404
    return topic


def source_for(user, pk: int) -> Source:
    source = sources(user).filter(pk=pk).first()
    if source is None:
        raise Http404
    return source


def search_article_ids(q: str) -> QuerySet:
    """Ids of the articles the kernel's full-text index finds for ``q`` (all its words), as a subquery."""
    entries = SearchEntry.objects.filter(kind="media.article")
    if connection.vendor == "postgresql":
        tsquery = SearchQuery(text_query.tsquery(q), search_type="raw", config="russian")
        entries = entries.filter(search_vector=tsquery)
    elif connection.vendor == "sqlite":
        matched = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [text_query.fts5_query(q)])
        entries = entries.filter(pk__in=matched)
    else:
        words = Q()
        for word in text_query.words(q):
            words &= Q(title__icontains=word) | Q(body__icontains=word)
        entries = entries.filter(words)
    return entries.annotate(article_id=Cast("object_id", BigIntegerField())).values("article_id")


def mentions(user, *, topic: int | None = None, source: int | None = None, level: str = "", q: str = "",
             first: dt.date | None = None, last: dt.date | None = None) -> QuerySet[Mention]:
    """The mentions feed (newest first) — and the figures counting it, with the same filters."""
    if not _can_read(user):
        return Mention.objects.none()
    rows = Mention.objects.all()
    if topic:
        rows = rows.filter(topic_id=topic)
    if source:
        rows = rows.filter(article__source_id=source)
    if level:
        rows = rows.filter(article__source__level=level)
    if first:
        rows = rows.filter(day__gte=first)
    if last:
        rows = rows.filter(day__lte=last)
    if q and text_query.words(q):
        rows = rows.filter(article_id__in=search_article_ids(q))
    return (rows.select_related("topic", "article", "article__source", "article__story")
            .order_by("-article__published_at", "-id"))


def daily_counts(topic_ids, *, first: dt.date, last: dt.date) -> dict[int, dict[dt.date, int]]:
    """Mentions per topic and day between ``first`` and ``last`` (days with none absent)."""
    rows = (Mention.objects.filter(topic_id__in=topic_ids, day__gte=first, day__lte=last)
            .values("topic_id", "day").annotate(n=Count("pk")).order_by())
    out: dict[int, dict[dt.date, int]] = {}
    for row in rows:
        out.setdefault(row["topic_id"], {})[row["day"]] = row["n"]
    return out


def story_for(user, pk: int) -> Story:
    story = Story.objects.filter(pk=pk).first() if _can_read(user) else None
    if story is None:
        raise Http404
    return story


def story_articles(story: Story) -> QuerySet[Article]:
    return story.articles.select_related("source").order_by("published_at", "id")


def trend(topic: Topic, *, last: dt.date | None = None, days: int = TREND_DAYS) -> list[dict]:
    """The topic's mentions per day, ``days`` days to ``last`` (default today), days with none included."""
    last = last or timezone.localdate()
    first = last - dt.timedelta(days=days - 1)
    counts = daily_counts([topic.pk], first=first, last=last).get(topic.pk, {})
    alerts = set(topic.alerts.filter(day__gte=first, day__lte=last).values_list("day", flat=True))
    peak = max(counts.values(), default=0) or 1
    return [{"day": d, "count": counts.get(d, 0), "spike": d in alerts, "height": round(100 * counts.get(d, 0) / peak)}
            for d in (first + dt.timedelta(days=i) for i in range(days))]


def alerts(user, *, topic: int | None = None, mine: bool = False, since: dt.date | None = None) -> QuerySet[Alert]:
    if not _can_read(user):
        return Alert.objects.none()
    rows = Alert.objects.select_related("topic", "topic__owner")
    if topic:
        rows = rows.filter(topic_id=topic)
    if mine:
        rows = rows.filter(topic__owner=user)
    if since:
        rows = rows.filter(day__gte=since)
    return rows.order_by("-day", "-id")


def digest(user, *, first: dt.date, last: dt.date, limit: int = 10) -> dict:
    """A period's media in short (for a periodic report's media digest): the stories told by most outlets, and
    each topic's mentions and spikes. Every number is the count of the feed's or the alerts' list with the same
    period."""
    if not _can_read(user):
        return {"stories": [], "topics": []}
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    stories = (Story.objects.filter(first_seen_at__gte=start, first_seen_at__lt=end)
               .order_by("-sources_count", "-articles_count", "-first_seen_at", "-id")[:limit])
    counts = dict(Mention.objects.filter(day__gte=first, day__lte=last).values_list("topic_id")
                  .annotate(n=Count("pk")).order_by())
    spikes = dict(Alert.objects.filter(day__gte=first, day__lte=last).values_list("topic_id")
                  .annotate(n=Count("pk")).order_by())
    rows = [{"topic": topic, "mentions": counts.get(topic.pk, 0), "spikes": spikes.get(topic.pk, 0)}
            for topic in topics(user).filter(active=True)]
    rows.sort(key=lambda row: (-row["mentions"], row["topic"].name))
    return {"stories": list(stories), "topics": rows}
