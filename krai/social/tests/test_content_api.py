"""The API: the public timeline and the feed by keyset, publishing (JSON and multipart), changing, deleting,
the audience matrix, the ban answered 400 in the error format, the token scope."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from krai.accounts.tests.factories import make_token
from krai.org.tests.factories import UserFactory
from krai.social.models import Follow, Publication, Topic
from krai.social.services import content as services
from krai.social.tests.test_content_services import ban, png

pytestmark = pytest.mark.django_db

LIST, FEED = "/api/v1/social/publications/", "/api/v1/social/feed/"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_list_audience_matrix_and_hidden():
    author, follower, other = UserFactory(), UserFactory(), UserFactory()
    Follow.objects.create(follower=follower, followee=author)
    for audience in ("public", "registered", "followers"):
        services.publication_create(actor=author, body=audience, audience=audience)
    hidden = services.publication_create(actor=author, body="hidden")
    Publication.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())

    def seen(user):
        return [p["body"] for p in api(user).get(LIST).json()["results"]]

    assert seen(None) == ["public"]
    assert seen(other) == ["registered", "public"]
    assert seen(follower) == ["followers", "registered", "public"]
    followers_only = Publication.objects.get(body="followers").pk
    assert api(other).get(f"{LIST}{followers_only}/").status_code == 404
    assert api(follower).get(f"{LIST}{followers_only}/").status_code == 200
    assert api(other).get(f"{LIST}{hidden.pk}/").status_code == 404
    assert api(author).get(f"{LIST}{hidden.pk}/").json()["hidden"] is True


def test_filters_and_keyset():
    author, other = UserFactory(), UserFactory()
    roads = Topic.objects.create(code="roads", name="Roads")
    for n in range(5):
        services.publication_create(actor=author, body=f"a{n}", topics=[roads] if n % 2 else [])
    services.publication_create(actor=other, body="b")
    assert [p["body"] for p in api().get(LIST, {"topic": "roads"}).json()["results"]] == ["a3", "a1"]
    assert len(api().get(LIST, {"author": other.pk}).json()["results"]) == 1
    assert api().get(LIST, {"author": "x"}).status_code == 400
    bodies, url = [], LIST + "?limit=2"
    while url:
        answer = api().get(url).json()
        bodies += [p["body"] for p in answer["results"]]
        url = answer["next"]
    assert bodies == ["b", "a4", "a3", "a2", "a1", "a0"]


def test_create_json_and_multipart():
    user = UserFactory()
    Topic.objects.create(code="roads", name="Roads")
    answer = api(user).post(LIST, {"body": "json post", "audience": "registered", "topics": ["roads"]},
                            format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["topics"] == ["roads"] and answer.json()["audience"] == "registered"
    multipart = api(user).post(LIST, {"body": "with photos", "photos": [png("a.png"), png("b.png")]},
                               format="multipart")
    assert multipart.status_code == 201, multipart.json()
    assert Publication.objects.get(pk=multipart.json()["id"]).photos.count() == 2
    assert api(user).post(LIST, {"body": "x", "topics": ["nope"]}, format="json").status_code == 400
    assert api().post(LIST, {"body": "anonymous"}, format="json").status_code in (401, 403)


def test_banned_gets_400_with_the_message():
    user = UserFactory()
    ban(user, "trolling")
    answer = api(user).post(LIST, {"body": "hello"}, format="json")
    assert answer.status_code == 400
    assert "trolling" in answer.json()["error"]["message"]
    assert not Publication.objects.exists()


def test_rate_limit_is_429(settings):
    settings.RATELIMIT_ENABLE = True
    settings.KRAI_SOCIAL_PUBLICATION_RATE = "1/h"
    user = UserFactory()
    assert api(user).post(LIST, {"body": "one"}, format="json").status_code == 201
    assert api(user).post(LIST, {"body": "two"}, format="json").status_code == 429


def test_patch_and_delete_own_only():
    author, other = UserFactory(), UserFactory()
    publication = services.publication_create(actor=author, body="before")
    url = f"{LIST}{publication.pk}/"
    assert api(other).patch(url, {"body": "hijack"}, format="json").status_code == 403
    assert api(other).delete(url).status_code == 403
    answer = api(author).patch(url, {"comments_closed": True}, format="json")
    assert answer.status_code == 200 and answer.json()["comments_closed"] is True
    assert answer.json()["body"] == "before"
    assert api(author).delete(url).status_code == 204
    assert not Publication.objects.exists()


def test_feed_needs_sign_in_and_lists_followed():
    reader, friend = UserFactory(), UserFactory()
    Follow.objects.create(follower=reader, followee=friend)
    services.publication_create(actor=friend, body="from a friend", audience="followers")
    services.publication_create(actor=UserFactory(), body="from a stranger")
    assert api().get(FEED).status_code in (401, 403)
    assert [p["body"] for p in api(reader).get(FEED).json()["results"]] == ["from a friend"]


def test_token_needs_the_social_write_scope():
    user = UserFactory()
    _token, narrow = make_token(user, scopes=("read", "write"), name="narrow")
    _token, full = make_token(user, scopes=("read", "write", "social:write"), name="full")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {narrow}")
    assert client.post(LIST, {"body": "no scope"}, format="json").status_code == 403
    assert client.get(LIST).status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {full}")
    assert client.post(LIST, {"body": "scoped"}, format="json").status_code == 201
