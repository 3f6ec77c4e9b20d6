"""Articles made without a network: entries taken in as a poll takes them."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from krai.monitoring.media import feeds, ingest
from krai.monitoring.media.models import Article, Source


def source(name: str = "Кубань 24", level: str = "regional") -> Source:
    return Source.objects.create(name=name, url=f"https://{abs(hash(name))}.example.org/rss", level=level,
                                 fetch_pages=False)


@transaction.atomic
def articles(src: Source, *texts: str, when: dt.datetime | None = None) -> list[Article]:
    """One article a text (its first sentence the title), published ``when`` (default an hour ago)."""
    when = when or timezone.now() - dt.timedelta(hours=1)
    entries = []
    for text in texts:
        n = Article.objects.count() + len(entries)
        entries.append(feeds.Entry(url=f"https://news.example.org/{src.pk}/{n}", guid=f"g{n}",
                                   title=text.split(".")[0][:200], summary="", content=text, published_at=when))
    return ingest.take_entries(src, entries, ingest.Run.start(now=when + dt.timedelta(minutes=1)))
