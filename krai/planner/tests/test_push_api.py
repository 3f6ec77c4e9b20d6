"""The subscriptions' API and the devices page: each person sees and removes only his own browsers; the same
endpoint sent again updates, never doubles; what is not a browser's subscription is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client

from krai.core.events.models import Event
from krai.org.tests.factories import StaffFactory, UserFactory
from krai.planner.models import PushSubscription
from krai.planner.push import generate_vapid_keys
from krai.planner.tests.push_receiver import FakeBrowser

pytestmark = pytest.mark.django_db
API = "/api/v1/planner/push/subscriptions/"
PAGE = "/workspace/planner/devices/"
ENDPOINT = "https://push.example.net/wpush/v2/abc"


@pytest.fixture
def keys(settings):
    settings.KRAI_VAPID_PUBLIC_KEY, settings.KRAI_VAPID_PRIVATE_KEY = generate_vapid_keys()
    return settings.KRAI_VAPID_PUBLIC_KEY


def post(client: Client, body: dict[str, Any]) -> HttpResponse:
    return client.post(API, body, content_type="application/json")


def test_a_browser_subscribes_once_and_sees_only_its_owners_devices(client) -> None:
    owner, other = StaffFactory(), StaffFactory()
    theirs = PushSubscription.objects.create(user=other, endpoint="https://push.example.net/other", p256dh="x",
                                             auth="y")
    client.force_login(owner)
    browser = FakeBrowser()
    first = post(client, {**browser.subscription_json(ENDPOINT), "user_agent": "Firefox on Android"})
    assert first.status_code == 201, first.content
    again = post(client, FakeBrowser().subscription_json(ENDPOINT))  # keys renewed by the browser
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    mine = PushSubscription.objects.get(user=owner)
    assert mine.endpoint == ENDPOINT and mine.p256dh != browser.p256dh
    listed = client.get(API).json()
    assert [row["id"] for row in listed] == [mine.pk]
    assert client.get(f"{API}{theirs.pk}/").status_code == 404
    assert client.delete(f"{API}{theirs.pk}/").status_code == 404
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()
    assert client.delete(f"{API}{mine.pk}/").status_code == 204
    assert not PushSubscription.objects.filter(user=owner).exists()
    assert list(Event.objects.filter(kind__startswith="planner.push").values_list("kind", flat=True)
                .order_by("id")) == ["planner.push_subscribed", "planner.push_subscribed", "planner.push_unsubscribed"]


@pytest.mark.parametrize("body, field", [
    ({"endpoint": "http://push.example.net/x"}, "endpoint"),  # plain HTTP: not a push service
    ({"endpoint": "javascript:alert(1)"}, "endpoint"),
    ({"keys": {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "p256dh"),
    ({"keys": {"p256dh": FakeBrowser().p256dh, "auth": "AAAA"}}, "auth"),
])
def test_what_is_not_a_browsers_subscription_is_refused(client, body, field) -> None:
    client.force_login(StaffFactory())
    answer = post(client, {**FakeBrowser().subscription_json(ENDPOINT), **body})
    assert answer.status_code == 400
    assert field in answer.json()["error"]["fields"]
    assert not PushSubscription.objects.exists()


def test_strangers_are_refused(client) -> None:
    assert post(client, FakeBrowser().subscription_json(ENDPOINT)).status_code in (401, 403)
    assert client.get(API).status_code in (401, 403)
    assert not PushSubscription.objects.exists()


def test_the_push_config_gives_the_public_key_or_says_off(client, settings, keys) -> None:
    client.force_login(StaffFactory())
    assert client.get("/api/v1/planner/push/").json() == {"configured": True, "public_key": keys}
    settings.KRAI_VAPID_PRIVATE_KEY = ""
    assert client.get("/api/v1/planner/push/").json() == {"configured": False, "public_key": ""}


def test_the_devices_page_lists_the_persons_browsers_and_removes_one(client, keys) -> None:
    owner, other = StaffFactory(), StaffFactory()
    mine = PushSubscription.objects.create(user=owner, endpoint=ENDPOINT, p256dh="x", auth="y",
                                           user_agent="Chrome on Windows")
    theirs = PushSubscription.objects.create(user=other, endpoint="https://push.example.net/o", p256dh="x",
                                             auth="y", user_agent="Safari on iPhone")
    client.force_login(owner)
    html = client.get(PAGE).content.decode()
    assert "Chrome on Windows" in html and "Safari on iPhone" not in html
    assert f'data-public-key="{keys}"' in html and 'id="krai-push-subscribe"' in html
    assert "planner/push.js" in html and "<script>" not in html  # no inline script
    assert client.post(f"/workspace/planner/devices/{theirs.pk}/remove/").status_code == 404
    answer = client.post(f"/workspace/planner/devices/{mine.pk}/remove/")
    assert answer.status_code == 302 and answer.url == PAGE
    assert list(PushSubscription.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_the_devices_page_is_for_staff(client) -> None:
    client.force_login(UserFactory())
    assert client.get(PAGE).status_code == 403
    client.logout()
    assert client.get(PAGE).status_code == 302
