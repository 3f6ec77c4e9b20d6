"""The browsers that receive a person's push, through the API and the "this device" page of both faces: each person
sees and removes only his own; the same endpoint sent again updates, never doubles; what is not a browser's
subscription is refused; the writes are events (``push_subscribe``, ``push_unsubscribe``)."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client

from krai.core.events.models import Event
from krai.core.notifications.models import PushSubscription
from krai.core.notifications.services import push_subscribe, push_unsubscribe
from krai.core.notifications.tests.push_receiver import FakeBrowser
from krai.org.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/notifications/push/"
PAGE = "/notifications/devices/"
ENDPOINT = "https://push.example.net/wpush/v2/abc"


def post(client: Client, body: dict[str, Any]) -> HttpResponse:
    return client.post(API, body, content_type="application/json")


def page_post(client: Client, browser: FakeBrowser, endpoint: str = ENDPOINT, **headers: str) -> HttpResponse:
    """What ``krai/push.js`` posts: the subscription's fields, form-encoded."""
    json = browser.subscription_json(endpoint)
    return client.post(f"{PAGE}subscribe/", {"endpoint": json["endpoint"], "p256dh": json["keys"]["p256dh"],
                                             "auth": json["keys"]["auth"], "user_agent": "Chrome on Android"},
                       **headers)


def test_a_browser_subscribes_once_and_sees_only_its_owners_devices(client) -> None:
    owner, other = UserFactory(), StaffFactory()
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
    assert [row["id"] for row in client.get(API).json()] == [mine.pk]
    assert client.get(f"{API}{mine.pk}/").json()["endpoint"] == ENDPOINT
    assert client.get(f"{API}{theirs.pk}/").status_code == 404
    assert client.delete(f"{API}{theirs.pk}/").status_code == 404
    assert PushSubscription.objects.filter(pk=theirs.pk).exists()
    assert client.delete(f"{API}{mine.pk}/").status_code == 204
    assert not PushSubscription.objects.filter(user=owner).exists()
    assert list(Event.objects.filter(kind__startswith="notifications.push").values_list("kind", flat=True)
                .order_by("id")) == ["notifications.push_subscribed", "notifications.push_subscribed",
                                     "notifications.push_unsubscribed"]


@pytest.mark.parametrize("body, field", [
    ({"endpoint": "http://push.example.net/x"}, "endpoint"),  # plain HTTP: not a push service
    ({"endpoint": "javascript:alert(1)"}, "endpoint"),
    ({"keys": {"p256dh": "AAAA", "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}, "p256dh"),
    ({"keys": {"p256dh": FakeBrowser().p256dh, "auth": "AAAA"}}, "auth"),
])
def test_what_is_not_a_browsers_subscription_is_refused(client, body, field) -> None:
    client.force_login(UserFactory())
    answer = post(client, {**FakeBrowser().subscription_json(ENDPOINT), **body})
    assert answer.status_code == 400
    assert field in answer.json()["error"]["fields"]
    assert not PushSubscription.objects.exists()


def test_strangers_are_refused(client) -> None:
    assert post(client, FakeBrowser().subscription_json(ENDPOINT)).status_code in (401, 403)
    assert client.get(API).status_code in (401, 403)
    assert page_post(client, FakeBrowser()).status_code == 302  # to the login page
    assert client.get(PAGE).status_code == 302
    assert not PushSubscription.objects.exists()


def test_the_push_config_gives_the_public_key_or_says_off(client, settings, vapid) -> None:
    client.force_login(UserFactory())
    assert client.get(f"{API}config/").json() == {"configured": True, "public_key": vapid}
    settings.KRAI_VAPID_PRIVATE_KEY = ""
    assert client.get(f"{API}config/").json() == {"configured": False, "public_key": ""}


def test_a_resident_subscribes_this_browser_on_the_page_and_removes_it(client, vapid) -> None:
    resident, other = UserFactory(), StaffFactory()
    theirs = PushSubscription.objects.create(user=other, endpoint="https://push.example.net/o", p256dh="x",
                                             auth="y", user_agent="Safari on iPhone")
    client.force_login(resident)
    answer = page_post(client, FakeBrowser(), HTTP_ACCEPT="application/json")  # as the page's script posts
    assert answer.status_code == 201, answer.content
    mine = PushSubscription.objects.get(user=resident)
    assert answer.json() == {"id": mine.pk} and mine.user_agent == "Chrome on Android"
    assert page_post(client, FakeBrowser(), HTTP_ACCEPT="application/json").status_code == 200  # known: updated
    refused = page_post(client, FakeBrowser(), endpoint="ftp://push.example.net/x", HTTP_ACCEPT="application/json")
    assert refused.status_code == 400 and "endpoint" in refused.json()["errors"]
    assert page_post(client, FakeBrowser()).status_code == 302  # a plain form post goes back to the page
    html = client.get(PAGE).content.decode()
    assert "Chrome on Android" in html and "Safari on iPhone" not in html
    assert "krai-face-portal" in html  # the residents' face
    assert f'data-public-key="{vapid}"' in html and 'id="krai-push-subscribe"' in html
    assert 'data-subscribe-url="/notifications/devices/subscribe/"' in html
    assert "krai/push.js" in html and "<script>" not in html  # no inline script
    assert client.post(f"{PAGE}{theirs.pk}/remove/").status_code == 404
    removed = client.post(f"{PAGE}{mine.pk}/remove/")
    assert removed.status_code == 302 and removed.url == PAGE
    assert list(PushSubscription.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_staff_have_the_same_page_and_the_links_lead_to_it(client, vapid) -> None:
    official = StaffFactory()
    PushSubscription.objects.create(user=official, endpoint=ENDPOINT, p256dh="x", auth="y",
                                    user_agent="Chrome on Windows")
    client.force_login(official)
    html = client.get(PAGE).content.decode()
    assert "Chrome on Windows" in html and 'id="krai-push-subscribe"' in html
    for page in ("/notifications/", "/notifications/preferences/"):
        assert f'href="{PAGE}"' in client.get(page).content.decode(), page
    assert "krai-account-link-notifications-devices" in html  # the account menu of both faces


def test_without_vapid_keys_the_page_says_push_is_off(client, settings) -> None:
    settings.KRAI_VAPID_PUBLIC_KEY = settings.KRAI_VAPID_PRIVATE_KEY = ""
    client.force_login(UserFactory())
    html = client.get(PAGE).content.decode()
    assert 'id="krai-push-off"' in html and "не настроены" in html  # in the person's language, Russian by default
    assert "krai-push-subscribe" not in html and "push.js" not in html


def test_the_services_keep_a_browser_per_endpoint_and_remove_only_ones_own() -> None:
    owner, other = UserFactory(), UserFactory()
    json = FakeBrowser().subscription_json(ENDPOINT)
    subscription = push_subscribe(user=owner, endpoint=json["endpoint"], p256dh=json["keys"]["p256dh"],
                                  auth=json["keys"]["auth"])
    again = push_subscribe(user=owner, endpoint=json["endpoint"], p256dh=json["keys"]["p256dh"],
                           auth=json["keys"]["auth"])
    assert again.pk == subscription.pk
    assert Event.objects.filter(kind="notifications.push_subscribed").count() == 1  # nothing changed: no event
    with pytest.raises(PushSubscription.DoesNotExist):
        push_unsubscribe(user=other, subscription=subscription)
    push_unsubscribe(user=owner, subscription=subscription)
    assert not PushSubscription.objects.exists()


def test_the_push_channel_is_chosen_on_the_preferences_page_and_in_the_api(client) -> None:
    from krai.core.notifications import preferences
    from krai.core.notifications.models import NotificationPreference as Pref

    person = UserFactory()
    client.force_login(person)
    page = client.get("/notifications/preferences/").content.decode()
    assert 'name="0-push"' in page and 'id="id_0-push" checked' in page  # on by default
    rows = [key for key, _label in preferences.categories()]
    form = {}
    for n in range(len(rows)):
        form.update({f"{n}-in_app": "on", f"{n}-email": "on", f"{n}-digest": "immediate", f"{n}-push": "on"})
    del form[f"{rows.index('problems')}-push"]  # no push about problems
    assert client.post("/notifications/preferences/", form).status_code == 302
    assert list(Pref.objects.filter(user=person, channel="push").values_list("kind", "enabled")) == [
        ("problems", False)]
    answer = client.post("/api/v1/notifications/preferences/", {"kind": "orders", "channel": "push",
                                                                "enabled": False}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["channel"] == "push"
    assert Pref.objects.filter(user=person, channel="push", enabled=False).count() == 2
