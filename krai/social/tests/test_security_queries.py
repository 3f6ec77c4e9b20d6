"""List pages do not grow in queries with their rows: each page is read with 25 rows and with 5, and the bigger
one may not take more queries than the small one plus a fixed few (and stays under a ceiling)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from krai.org.tests.factories import UserFactory
from krai.social.models import (
    AbuseReport,
    Album,
    ExpertiseField,
    Follow,
    Photo,
    Profile,
    Publication,
    Topic,
)
from krai.social.tests.test_moderation_base import conversation_of, moderator_user, say

BIG, SMALL = 25, 5


def web(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        answer = client.get(url)
    assert answer.status_code == 200, url
    return len(captured)


def _publications(reader: Any, n: int) -> None:
    topic = Topic.objects.get_or_create(code="roads", defaults={"name": "Дороги"})[0]
    for _ in range(n):
        author = UserFactory()
        Profile.objects.create(user=author, display_name=f"Автор {author.pk}")
        Follow.objects.create(follower=reader, followee=author)
        publication = Publication.objects.create(author=author, body=f"Пост {author.pk} https://example.org/")
        publication.topic_links.create(topic=topic)
        Photo.objects.create(owner=author, publication=publication, image="social/photos/x.jpg",
                             mime_type="image/jpeg")


def _people(n: int, *, experts: bool) -> None:
    field = ExpertiseField.objects.get_or_create(code="law", defaults={"name": "Право"})[0]
    for _ in range(n):
        user = UserFactory()
        profile = Profile.objects.create(user=user, display_name=f"Человек {user.pk}",
                                         expert_status="verified" if experts else "none")
        profile.expertise.add(field)
        profile.credentials.create(kind="degree", title="Кандидат наук", status="verified")


def _conversations(reader: Any, n: int) -> None:
    for _ in range(n):
        other = UserFactory()
        Profile.objects.create(user=other, display_name=f"Собеседник {other.pk}")
        say(conversation_of(reader, other), other, "Привет")


def _reports(n: int) -> None:
    kind = ContentType.objects.get_for_model(Publication)
    for _ in range(n):
        author, reporter = UserFactory(), UserFactory()
        publication = Publication.objects.create(author=author, body="Спорный пост")
        AbuseReport.objects.create(reporter=reporter, content_type=kind, object_id=str(publication.pk),
                                   target_owner=author, reason="spam", details="Спам")


def _album(owner: Any, n: int) -> Album:
    album = Album.objects.create(owner=owner, title="Альбом")
    for i in range(n):
        Photo.objects.create(owner=owner, album=album, image="social/photos/x.jpg", mime_type="image/jpeg",
                             caption=f"Фото {i}", position=i)
    return album


def _albums(owner: Any, n: int) -> None:
    for i in range(n):
        album = Album.objects.create(owner=owner, title=f"Альбом {i}")
        Photo.objects.create(owner=owner, album=album, image="social/photos/x.jpg", mime_type="image/jpeg")


def _grows(make: Any, url: Any, client: Client) -> tuple[int, int]:
    make(SMALL)
    small = queries(client, url())
    make(BIG - SMALL)
    return small, queries(client, url())


@pytest.fixture
def reader(db: Any) -> Any:
    return UserFactory()


PAGES = {
    "home feed": lambda reader: (lambda n: _publications(reader, n), lambda: reverse("social:home")),
    "public timeline": lambda reader: (lambda n: _publications(reader, n), lambda: reverse("social:home") + "?tab=all"),
    "topic": lambda reader: (lambda n: _publications(reader, n), lambda: reverse("social:topic", args=["roads"])),
    "people": lambda reader: (lambda n: _people(n, experts=False), lambda: reverse("social:people")),
    "people with experts": lambda reader: (lambda n: _people(n, experts=True), lambda: reverse("social:people")),
    "experts": lambda reader: (lambda n: _people(n, experts=True), lambda: reverse("social:experts")),
    "inbox": lambda reader: (lambda n: _conversations(reader, n), lambda: reverse("social:inbox")),
    "albums": lambda reader: (lambda n: _albums(reader, n), lambda: reverse("social:albums", args=[reader.pk])),
    "profile": lambda reader: (lambda n: _albums(reader, n) or _publications(reader, n),
                               lambda: reverse("social:profile", args=[reader.pk])),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_a_list_page_does_not_grow_with_its_rows(reader: Any, name: str, django_assert_max_num_queries: Any) -> None:
    make, url = PAGES[name](reader)
    client = web(reader)
    small, big = _grows(make, url, client)
    print(name, small, big)
    assert big <= small + 2, f"{name}: {small} queries with {SMALL} rows, {big} with {BIG}"
    with django_assert_max_num_queries(40):
        client.get(url())


def test_an_album_grid_does_not_grow_with_its_photos(reader: Any, django_assert_max_num_queries: Any) -> None:
    client = web(UserFactory())
    album = _album(reader, SMALL)
    small = queries(client, reverse("social:album", args=[album.pk]))
    bigger = _album(reader, BIG)
    big = queries(client, reverse("social:album", args=[bigger.pk]))
    assert big <= small + 2, (small, big)
    with django_assert_max_num_queries(30):
        client.get(reverse("social:album", args=[bigger.pk]))


def test_the_moderation_queue_does_not_grow_with_its_reports(db: Any, django_assert_max_num_queries: Any) -> None:
    client = web(moderator_user())
    small, big = _grows(_reports, lambda: reverse("social:moderation"), client)
    assert big <= small + 2, (small, big)
    with django_assert_max_num_queries(40):
        client.get(reverse("social:moderation"))


API_LISTS = {
    "publications": lambda reader: (lambda n: _publications(reader, n), lambda: "/api/v1/social/publications/"),
    "feed": lambda reader: (lambda n: _publications(reader, n), lambda: "/api/v1/social/feed/"),
    "experts": lambda reader: (lambda n: _people(n, experts=True), lambda: "/api/v1/social/experts/"),
    "conversations": lambda reader: (lambda n: _conversations(reader, n), lambda: "/api/v1/social/conversations/"),
    "albums": lambda reader: (lambda n: _albums(reader, n), lambda: f"/api/v1/social/albums/?owner={reader.pk}"),
}


@pytest.mark.parametrize("name", sorted(API_LISTS))
def test_an_api_list_does_not_grow_with_its_rows(reader: Any, name: str) -> None:
    make, url = API_LISTS[name](reader)
    small, big = _grows(make, url, web(reader))
    assert big <= small + 2, f"{name}: {small} queries with {SMALL} rows, {big} with {BIG}"
