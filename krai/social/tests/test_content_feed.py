"""The feed, the public timeline and a topic's: who sees what, blocks, hidden posts, and keyset paging."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from krai.org.tests.factories import UserFactory
from krai.social.models import Follow, Publication, PublicationTopic, Topic, UserBlock
from krai.social.selectors import feed as feeds

pytestmark = pytest.mark.django_db

_clock = [timezone.now() - timedelta(days=30)]


def post(author, body: str = "text", *, audience: str = "public", topics=(), at=None, hidden: bool = False):
    _clock[0] += timedelta(minutes=1)
    publication = Publication.objects.create(author=author, body=body, audience=audience, created_at=at or _clock[0],
                                             hidden_at=timezone.now() if hidden else None)
    for t in topics:
        PublicationTopic.objects.create(publication=publication, topic=t, created_at=publication.created_at)
    return publication


def bodies(page) -> list[str]:
    return [p.body for p in page.items]


@pytest.fixture
def world():
    reader, friend, stranger, topical = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    roads = Topic.objects.create(code="roads", name="Roads")
    parks = Topic.objects.create(code="parks", name="Parks")
    Follow.objects.create(follower=reader, followee=friend)
    Follow.objects.create(follower=reader, topic=roads)
    return {"reader": reader, "friend": friend, "stranger": stranger, "topical": topical, "roads": roads,
            "parks": parks}


def test_feed_composition(world):
    w = world
    post(w["friend"], "friend public")
    post(w["friend"], "friend followers", audience="followers")
    post(w["friend"], "friend registered", audience="registered")
    post(w["friend"], "friend hidden", hidden=True)
    post(w["stranger"], "stranger off topic")
    post(w["stranger"], "stranger on roads", topics=[w["roads"]])
    post(w["stranger"], "stranger on parks", topics=[w["parks"]])
    post(w["topical"], "followers-only on roads", audience="followers", topics=[w["roads"]])
    post(w["reader"], "my own", audience="followers")
    page = feeds.feed(user=w["reader"])
    assert bodies(page) == ["my own", "stranger on roads", "friend registered", "friend followers", "friend public"]
    assert feeds.feed(user=AnonymousUser()).items == []


def test_blocked_either_way_is_absent(world):
    w = world
    post(w["friend"], "friend")
    post(w["stranger"], "blocker on roads", topics=[w["roads"]])
    UserBlock.objects.create(blocker=w["reader"], blocked=w["friend"])
    UserBlock.objects.create(blocker=w["stranger"], blocked=w["reader"])
    assert feeds.feed(user=w["reader"]).items == []
    assert feeds.public_timeline(user=w["reader"]).items == []
    assert feeds.topic_feed(user=w["reader"], topic=w["roads"]).items == []
    assert bodies(feeds.public_timeline(user=w["topical"])) == ["blocker on roads", "friend"]


def test_public_timeline_audience_matrix(world):
    w = world
    post(w["friend"], "public")
    post(w["friend"], "registered", audience="registered")
    post(w["friend"], "followers", audience="followers")
    post(w["friend"], "hidden", hidden=True)
    assert bodies(feeds.public_timeline(user=AnonymousUser())) == ["public"]
    assert bodies(feeds.public_timeline(user=w["stranger"])) == ["registered", "public"]
    assert bodies(feeds.public_timeline(user=w["reader"])) == ["followers", "registered", "public"]
    assert bodies(feeds.public_timeline(user=w["friend"])) == ["followers", "registered", "public"]
    assert bodies(feeds.public_timeline(user=w["reader"], author=w["stranger"])) == []


def test_topic_feed(world):
    w = world
    post(w["friend"], "roads public", topics=[w["roads"]])
    post(w["friend"], "roads followers", audience="followers", topics=[w["roads"]])
    post(w["friend"], "parks", topics=[w["parks"]])
    assert bodies(feeds.topic_feed(user=AnonymousUser(), topic=w["roads"])) == ["roads public"]
    assert bodies(feeds.topic_feed(user=w["reader"], topic=w["roads"])) == ["roads followers", "roads public"]


@pytest.mark.parametrize("reader", ["feed", "public", "topic"])
def test_keyset_paging_reaches_every_item_once(world, reader):
    w = world
    same_moment = timezone.now() - timedelta(days=1)
    made = []
    for n in range(23):
        author = (w["friend"], w["stranger"], w["reader"])[n % 3]
        # ties: several share one moment, so the id breaks them
        made.append(post(author, f"p{n}", topics=[w["roads"]], at=same_moment if n % 4 == 0 else None).pk)
    seen, before = [], None
    for _round in range(10):
        if reader == "feed":
            page = feeds.feed(user=w["reader"], before=before, limit=5)
        elif reader == "public":
            page = feeds.public_timeline(user=w["reader"], before=before, limit=5)
        else:
            page = feeds.topic_feed(user=w["reader"], topic=w["roads"], before=before, limit=5)
        seen += [p.pk for p in page.items]
        assert len(page.items) <= 5
        if page.next_before is None:
            break
        before = feeds.parse_before(str(page.next_before))  # through its text form, as the links carry it
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))
    times = [(p.created_at, p.pk) for p in Publication.objects.filter(pk__in=seen)]
    assert [pk for _t, pk in sorted(times, reverse=True)] == seen


def test_parse_before():
    assert feeds.parse_before("garbage") is None
    assert feeds.parse_before("") is None
    cursor = feeds.parse_before("2025-03-01T10:00:00.123456+00:00,42")
    assert cursor.id == 42 and cursor.created_at.microsecond == 123456
    assert feeds.parse_before("2025-03-01T10:00:00 03:00,7").created_at.utcoffset() == timedelta(hours=3)
