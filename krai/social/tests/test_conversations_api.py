"""The conversations API: start (direct reused, group), read the inbox and messages, send, mark read, 404 for
anyone not a member (staff and superusers too), refusals in the one error format with nothing stored, the
daily cap, the rate limit as 429, blocks, and tokens needing ``social:write``."""

from __future__ import annotations

import pytest
from django.test import Client

from krai.accounts.tests.factories import make_token
from krai.core.notifications.models import Notification
from krai.org.tests.factories import UserFactory
from krai.social.models import Conversation, Follow, Message, Profile, UserBlock

API = "/api/v1/social/"


def person(name: str, **profile) -> object:
    user = UserFactory(given_name=name)
    Profile.objects.create(user=user, display_name=name, **profile)
    return user


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def post(client: Client, url: str, data: dict | None = None, **extra):
    return client.post(url, data or {}, content_type="application/json", **extra)


@pytest.fixture
def anna(db):
    return person("Anna")


@pytest.fixture
def boris(db):
    return person("Boris")


def test_start_read_send_and_mark_read(anna, boris):
    a, b = signed_in(anna), signed_in(boris)
    first = post(a, API + "conversations/", {"recipients": [boris.pk], "body": "Hello"})
    assert first.status_code == 201, first.content
    conversation_id = first.json()["conversation"]["id"]
    again = post(b, API + "conversations/", {"recipients": [anna.pk], "body": "Hi"})
    assert again.json()["conversation"]["id"] == conversation_id
    inbox = a.get(API + "conversations/").json()
    assert inbox["count"] == 1 and inbox["results"][0]["unread"] == 1
    assert {m["name"] for m in inbox["results"][0]["members"]} == {"Anna", "Boris"}
    sent = post(a, API + f"conversations/{conversation_id}/messages/", {"body": "How are you?"})
    assert sent.status_code == 201 and sent.json()["sender"] == {"id": anna.pk, "name": "Anna"}
    page = b.get(API + f"conversations/{conversation_id}/messages/", {"limit": 2}).json()
    assert [m["body"] for m in page["results"]] == ["Hi", "How are you?"] and page["earlier"]
    earlier = b.get(API + f"conversations/{conversation_id}/messages/", {"before": page["earlier"]}).json()
    assert [m["body"] for m in earlier["results"]] == ["Hello"] and earlier["earlier"] is None
    assert b.get(API + f"conversations/{conversation_id}/").json()["unread"] == 1  # his own reply read "Hello"
    assert post(b, API + f"conversations/{conversation_id}/read/").status_code == 204
    assert b.get(API + f"conversations/{conversation_id}/").json()["unread"] == 0


def test_a_group(anna, boris):
    vera = person("Vera")
    response = post(signed_in(anna), API + "conversations/", {"recipients": [boris.pk, vera.pk], "body": "Hi"})
    assert response.status_code == 400 and "title" in response.json()["error"]["fields"]
    response = post(signed_in(anna), API + "conversations/",
                    {"recipients": [boris.pk, vera.pk], "body": "Hi", "title": "Roads"})
    assert response.status_code == 201 and response.json()["conversation"]["kind"] == "group"


def test_nobody_else_gets_anything_not_even_staff_or_superusers(anna, boris):
    response = post(signed_in(anna), API + "conversations/", {"recipients": [boris.pk], "body": "Private"})
    cid = response.json()["conversation"]["id"]
    for outsider in (UserFactory(is_superuser=True, is_staff=True), UserFactory(is_staff=True), UserFactory()):
        client = signed_in(outsider)
        for url in (f"conversations/{cid}/", f"conversations/{cid}/messages/"):
            assert client.get(API + url).status_code == 404
        assert post(client, API + f"conversations/{cid}/messages/", {"body": "x"}).status_code == 404
        assert post(client, API + f"conversations/{cid}/read/").status_code == 404
        assert client.get(API + "conversations/").json()["count"] == 0
    assert Client().get(API + "conversations/").status_code in (401, 403)
    assert Message.objects.count() == 1


def test_refusals_store_nothing(anna, boris):
    quiet = person("Quiet", accept_messages=Profile.Messages.NOBODY)
    UserBlock.objects.create(blocker=boris, blocked=anna)
    client = signed_in(anna)
    response = post(client, API + "conversations/", {"recipients": [boris.pk], "body": "Hi"})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "You cannot write to this person."
    response = post(client, API + "conversations/", {"recipients": [quiet.pk], "body": "Hi"})
    assert response.json()["error"]["message"] == "This person does not accept messages."
    assert not Conversation.objects.exists() and not Message.objects.exists()


def test_the_daily_cap_through_the_api(anna, settings):
    settings.KRAI_SOCIAL_STRANGER_MESSAGES_PER_DAY = 2
    client = signed_in(anna)
    for name in ("S1", "S2"):
        assert post(client, API + "conversations/", {"recipients": [person(name).pk], "body": "Hi"}).status_code == 201
    response = post(client, API + "conversations/", {"recipients": [person("S3").pk], "body": "Hi"})
    assert response.status_code == 400 and "already sent 2 messages" in response.json()["error"]["message"]
    assert Message.objects.count() == 2


def test_the_rate_limit_answers_429(anna, boris, settings):
    settings.KRAI_SOCIAL_MESSAGE_RATE = "1/600"
    client = signed_in(anna)
    cid = post(client, API + "conversations/", {"recipients": [boris.pk], "body": "1"}).json()["conversation"]["id"]
    response = post(client, API + f"conversations/{cid}/messages/", {"body": "2"})
    assert response.status_code == 429 and "too fast" in response.json()["error"]["message"]


def test_notifications_through_the_api_do_not_flood(anna, boris):
    client = signed_in(anna)
    started = post(client, API + "conversations/", {"recipients": [boris.pk], "body": "Secret"})
    cid = started.json()["conversation"]["id"]
    for body in ("Secret 2", "Secret 3"):
        post(client, API + f"conversations/{cid}/messages/", {"body": body})
    notes = Notification.objects.filter(user=boris, kind="social.message")
    assert notes.count() == 1 and "Secret" not in notes.get().title + notes.get().body


def test_blocks(anna, boris):
    Follow.objects.create(follower=boris, followee=anna)
    client = signed_in(anna)
    response = post(client, API + "blocks/", {"user": boris.pk})
    assert response.status_code == 201 and response.json()["user"] == {"id": boris.pk, "name": "Boris"}
    assert not Follow.objects.exists()
    assert client.get(API + "blocks/").json()["results"][0]["user"]["id"] == boris.pk
    assert signed_in(boris).get(API + "blocks/").json()["count"] == 0
    assert signed_in(boris).delete(API + f"blocks/{anna.pk}/").status_code == 404  # not his block
    assert client.delete(API + f"blocks/{boris.pk}/").status_code == 204
    assert not UserBlock.objects.exists()


def test_a_token_needs_social_write(anna, boris):
    _token, key = make_token(anna, scopes=("read", "write"))
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    response = Client().post(API + "conversations/", {"recipients": [boris.pk], "body": "Hi"},
                             content_type="application/json", **auth)
    assert response.status_code == 403 and not Message.objects.exists()
    _token, key = make_token(anna, scopes=("read", "write", "social:write"), name="full")
    response = Client().post(API + "conversations/", {"recipients": [boris.pk], "body": "Hi"},
                             content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 201
