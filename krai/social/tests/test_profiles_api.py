"""The profiles API: a profile with the page's privacy, my profile (PATCH), the expert registry, topics, follows
of people and topics, and token scopes (writes need ``write`` and ``social:write``)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from krai.accounts.tests.factories import make_token
from krai.org.tests.factories import MunicipalityFactory, UserFactory
from krai.social import services
from krai.social.models import Follow, Profile, UserBlock
from krai.social.selectors import profiles as selectors
from krai.social.tests.test_profiles_services import apply, ban, lists, verifier  # noqa: F401 — fixtures

API = "/api/v1/social/"


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


@pytest.fixture
def owner(db):
    user = UserFactory(given_name="Ольга", surname="Кузнецова")
    services.profile_update(actor=user, user=user, about="Архитектор", contact_email="olga@example.ru",
                            contact_phone="+7 900 1", privacy={"contact_email": "registered",
                                                               "contact_phone": "followers"})
    return user


def test_a_profile_applies_the_same_privacy_as_the_page(owner, citizen):
    anonymous = Client().get(f"{API}profiles/{owner.pk}/").json()
    assert anonymous["display_name"] == "Ольга К." and anonymous["about"] == "Архитектор"
    assert anonymous["contact_email"] is None and anonymous["followers"] is None
    registered = signed_in(citizen).get(f"{API}profiles/{owner.pk}/").json()
    assert registered["contact_email"] == "olga@example.ru" and registered["contact_phone"] is None
    assert registered["followers"] == []
    services.follow_user(actor=citizen, user=owner)
    follower = signed_in(citizen).get(f"{API}profiles/{owner.pk}/").json()
    assert follower["contact_phone"] == "+7 900 1"
    for reader in (None, citizen, owner):
        page_view = selectors.profile_view(reader or AnonymousUser(), owner.pk)
        answer = (signed_in(reader) if reader else Client()).get(f"{API}profiles/{owner.pk}/").json()
        shown = {name for name in selectors.VALUE_FIELDS if answer[name] is not None}
        assert shown == set(page_view.fields)
    UserBlock.objects.create(blocker=owner, blocked=citizen)
    blocked = signed_in(citizen).get(f"{API}profiles/{owner.pk}/").json()
    assert blocked["blocked"] is True and blocked["about"] is None and blocked["followers"] is None
    assert Client().get(f"{API}profiles/999999/").status_code == 404


def test_patch_my_profile(citizen):
    client = signed_in(citizen)
    town = MunicipalityFactory()
    answer = client.patch(f"{API}profiles/me/", {"display_name": "Пётр", "municipality": town.pk,
                                                 "privacy": {"municipality": "public"}},
                          content_type="application/json")
    assert answer.status_code == 200, answer.json()
    assert answer.json()["privacy"]["municipality"] == "public" and answer.json()["privacy"]["about"] == "public"
    assert answer.json()["municipality"] == town.pk
    bad = client.patch(f"{API}profiles/me/", {"privacy": {"about": "friends"}}, content_type="application/json")
    assert bad.status_code == 400 and "privacy" in bad.json()["error"]["fields"]
    bad = client.patch(f"{API}profiles/me/", {"about": "x" * 2001}, content_type="application/json")
    assert bad.status_code == 400
    assert Profile.objects.get(pk=citizen.pk).display_name == "Пётр"
    assert Client().patch(f"{API}profiles/me/", {"display_name": "X"},
                          content_type="application/json").status_code in (401, 403)


def test_follows_of_people_and_topics(owner, citizen, lists):  # noqa: F811
    client = signed_in(citizen)
    assert client.post(f"{API}follows/people/{owner.pk}/").status_code == 201
    assert client.post(f"{API}follows/people/{owner.pk}/").status_code == 200  # already: nothing changes
    assert Follow.objects.filter(followee=owner).count() == 1
    refused = client.post(f"{API}follows/people/{citizen.pk}/")
    assert refused.status_code == 400 and "yourself" in refused.json()["error"]["message"]
    assert client.post(f"{API}follows/topics/roads/").status_code == 201
    mine = client.get(f"{API}follows/mine/").json()
    assert [e["id"] for e in mine["people"]] == [owner.pk] and [e["code"] for e in mine["topics"]] == ["roads"]
    topics = client.get(f"{API}topics/").json()
    assert {t["code"]: t["followed"] for t in topics}["roads"] is True and len(topics) == 12
    assert client.delete(f"{API}follows/people/{owner.pk}/").status_code == 204
    assert client.delete(f"{API}follows/topics/roads/").status_code == 204
    assert not Follow.objects.exists()
    ban(citizen)
    banned = client.post(f"{API}follows/people/{owner.pk}/")
    assert banned.status_code == 400 and "banned" in banned.json()["error"]["message"]
    assert client.post(f"{API}follows/topics/none-such/").status_code == 404


def test_the_expert_registry(owner, lists, verifier):  # noqa: F811
    town = MunicipalityFactory()
    services.profile_update(actor=owner, user=owner, municipality=town, privacy={"municipality": "public"})
    credential = apply(owner, lists)
    assert Client().get(f"{API}experts/").json()["count"] == 0
    services.credential_verify(actor=verifier, credential=credential)
    found = Client().get(f"{API}experts/", {"field": "law", "municipality": town.pk, "q": "Ольга"}).json()
    assert found["count"] == 1
    row = found["results"][0]
    assert row["id"] == owner.pk and row["expertise"][0]["code"] == "law"
    assert row["credentials"] == [{"title": "Кандидат юридических наук", "issuer": "КубГУ", "year": 2015}]
    assert Client().get(f"{API}experts/", {"field": "it"}).json()["count"] == 0
    assert Client().get(f"{API}experts/", {"municipality": "abc"}).status_code == 400


def test_a_token_writes_only_with_the_social_scope(owner, citizen):
    _token, read_only = make_token(citizen, scopes=("read",), name="r")
    _token, other = make_token(citizen, scopes=("read", "write", "orders:write"), name="o")
    _token, full = make_token(citizen, scopes=("read", "write", "social:write"), name="s")
    url = f"{API}follows/people/{owner.pk}/"
    assert Client().get(f"{API}follows/mine/", HTTP_AUTHORIZATION=f"Bearer {read_only}").status_code == 200
    for key in (read_only, other):
        refused = Client().post(url, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert refused.status_code == 403
    assert "social:write" in refused.json()["error"]["message"]
    assert not Follow.objects.exists()
    assert Client().post(url, HTTP_AUTHORIZATION=f"Bearer {full}").status_code == 201
