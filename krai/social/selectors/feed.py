"""The timelines: a person's feed, the public timeline, a topic's — newest first, read page by page with a keyset
cursor ``(created_at, id)`` ("older than this one"), never by offset, so a deep page costs what the first does.

The feed (``feed``) is the publications of the accounts the reader follows, those carrying a topic he follows,
and his own — minus hidden ones, minus the authors he blocked or who blocked him, minus what he may not see
(a followers-only publication shows to followers; a "registered" one to anyone signed in). It is read as three
short index scans, each stopped after one page, merged here:

* followed authors: the time index (``social_pub_time``) backwards with a semi-join on the reader's follows —
  at 10,000 followed accounts of 50,000 one in five publications qualifies, so a page reads ~100 index entries;
* followed topics: per topic the topic's time index (``social_pubtopic_time``) backwards, one page each;
* his own: the author's time index (``social_pub_author_time``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from krai.social import policy
from krai.social.models import Follow, Publication, PublicationTopic, Topic, Visibility

MAX_LIMIT = 100
#: topics a feed reads at most (they are a list staff keep: a few dozen)
MAX_TOPICS = 50


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the next page is everything strictly older than ``(created_at, id)``."""

    created_at: datetime
    id: int

    def __str__(self) -> str:
        return f"{self.created_at.astimezone(UTC).isoformat()},{self.id}"


@dataclass
class Page:
    items: list[Publication] = field(default_factory=list)
    next_before: Cursor | None = None


def parse_before(value: str | None) -> Cursor | None:
    """``"<created_at ISO 8601>,<id>"`` (as ``str(Cursor)`` writes it) or ``None`` for a missing or garbled one."""
    if not value:
        return None
    stamp, _comma, ident = str(value).strip().rpartition(",")
    stamp = stamp.replace(" ", "+")  # a "+" of the offset that arrived unencoded in a query string
    try:
        moment = parse_datetime(stamp)
        number = int(ident)
    except (TypeError, ValueError):
        return None
    if moment is None or number < 0:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return Cursor(moment, number)


def _limit(limit: int) -> int:
    return max(1, min(int(limit or 20), MAX_LIMIT))


def _older(before: Cursor | None, *, time: str = "created_at", ident: str = "id") -> Q:
    """Strictly older than the cursor: ``time <= t`` (what the index bounds) and the tie broken by id."""
    if before is None:
        return Q()
    return Q(**{f"{time}__lte": before.created_at}) & (
        Q(**{f"{time}__lt": before.created_at}) | Q(**{f"{ident}__lt": before.id}))


def _followed_authors(user: Any) -> QuerySet:
    return Follow.objects.filter(follower_id=user.pk, followee__isnull=False).values("followee_id")


def audience_q(user: Any, prefix: str = "") -> Q:
    """What of a publication's audience ``user`` may see (hidden ones and blocks are filtered apart)."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return Q(**{f"{prefix}audience": Visibility.PUBLIC})
    # a followers-only one: one probe of the follow index per such row (not a hash of all his follows per query)
    follows_author = Exists(Follow.objects.filter(follower_id=user.pk, followee_id=OuterRef(f"{prefix}author_id")))
    return (Q(**{f"{prefix}audience__in": [Visibility.PUBLIC, Visibility.REGISTERED]})
            | Q(**{f"{prefix}author_id": user.pk})
            | Q(follows_author, **{f"{prefix}audience": Visibility.FOLLOWERS}))


def _without_blocked(qs: QuerySet, user: Any, prefix: str = "", blocked: set[int] | None = None) -> QuerySet:
    blocked = policy.blocked_ids(user) if blocked is None else blocked
    return qs.exclude(**{f"{prefix}author_id__in": sorted(blocked)}) if blocked else qs


def _gather(branches: list[QuerySet]) -> list[tuple[int, datetime]]:
    """Rows of every branch (each ordered and sliced): on PostgreSQL in one round trip, ``(…) UNION ALL (…)``."""
    if len(branches) > 1 and connection.features.supports_slicing_ordering_in_compound:
        return list(branches[0].union(*branches[1:], all=True))
    return [row for branch in branches for row in branch]


def _page(rows: list[tuple[int, datetime]], limit: int) -> Page:
    """Load the publications of ``rows`` (id, time), newest first, one page and the cursor to the next."""
    rows = sorted(set(rows), key=lambda r: (r[1], r[0]), reverse=True)
    more = len(rows) > limit
    rows = rows[:limit]
    by_id = Publication.objects.select_related("author").prefetch_related("photos", "topics").in_bulk(
        [pk for pk, _at in rows])
    items = [by_id[pk] for pk, _at in rows if pk in by_id]
    return Page(items=items, next_before=Cursor(rows[-1][1], rows[-1][0]) if more and rows else None)


def _newest(qs: QuerySet, before: Cursor | None, n: int) -> QuerySet:
    bound = _older(before)
    if before is None and connection.vendor == "sqlite":
        # a first page bounded too ("up to now"): with a range on the time index SQLite's planner walks it
        # backwards instead of gathering every followed author's publications to sort them (418 → 53 ms at
        # 1 M); PostgreSQL plans it well without, and a little worse with it
        bound = Q(created_at__lte=timezone.now() + timedelta(days=1))
    return qs.filter(bound).order_by("-created_at", "-id").values_list("id", "created_at")[:n]


def _topic_newest(qs: QuerySet, before: Cursor | None, n: int) -> QuerySet:
    return (qs.filter(_older(before, ident="publication_id")).order_by("-created_at", "-publication_id")
            .values_list("publication_id", "created_at")[:n])


def feed(*, user: Any, before: Cursor | None = None, limit: int = 20) -> Page:
    """``user``'s feed: followed accounts, followed topics and his own publications, newest first."""
    if not (user is not None and user.is_authenticated and user.is_active):
        return Page()
    n = _limit(limit) + 1
    blocked = policy.blocked_ids(user)
    visible = Publication.objects.filter(hidden_at__isnull=True)
    branches = [
        _newest(_without_blocked(visible.filter(author_id__in=_followed_authors(user)), user, blocked=blocked),
                before, n),
        _newest(visible.filter(author_id=user.pk), before, n),
    ]
    topics = list(Follow.objects.filter(follower_id=user.pk, topic__isnull=False)
                  .values_list("topic_id", flat=True)[:MAX_TOPICS])
    for topic_id in topics:
        links = PublicationTopic.objects.filter(topic_id=topic_id, publication__hidden_at__isnull=True)
        branches.append(_topic_newest(_without_blocked(links.filter(audience_q(user, "publication__")), user,
                                                       "publication__", blocked), before, n))
    return _page(_gather(branches), n - 1)


def public_timeline(*, user: Any, before: Cursor | None = None, limit: int = 20, author: Any = None) -> Page:
    """Everything ``user`` may see, newest first (of one ``author`` if given)."""
    n = _limit(limit) + 1
    qs = _without_blocked(Publication.objects.filter(hidden_at__isnull=True).filter(audience_q(user)), user)
    if author is not None:
        qs = qs.filter(author_id=getattr(author, "pk", author))
    return _page(list(_newest(qs, before, n)), n - 1)


def topic_feed(*, user: Any, topic: Topic, before: Cursor | None = None, limit: int = 20) -> Page:
    """The publications with ``topic`` that ``user`` may see, newest first."""
    n = _limit(limit) + 1
    links = PublicationTopic.objects.filter(topic_id=topic.pk, publication__hidden_at__isnull=True)
    links = _without_blocked(links.filter(audience_q(user, "publication__")), user, "publication__")
    return _page(list(_topic_newest(links, before, n)), n - 1)
