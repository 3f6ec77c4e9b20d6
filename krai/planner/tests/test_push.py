"""The planner's reminders by web push (the kernel's push, ``krai.core.notifications.push``) end to end through a
push service on 127.0.0.1: a browser subscribes through the notifications' API, its reminder comes due, and the
push service receives one message signed with VAPID and encrypted (aes128gcm) that the browser decrypts to the
reminder's title, text and link — once, not a second time as a notification's push; a 410 drops the subscription;
no VAPID keys — no push, quietly."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.http import HttpResponse
from django.test import Client

from krai.core.notifications import push, tasks
from krai.core.notifications.models import Notification, PushSubscription
from krai.core.notifications.push import generate_vapid_keys
from krai.core.notifications.tests.push_receiver import FakeBrowser, PushService, vapid_claims
from krai.org.tests.factories import StaffFactory
from krai.planner import reminding
from krai.planner.models import Entry
from krai.planner.services.reminders import reminders_set
from krai.planner.tests.factories import EntryFactory

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")
API = "/api/v1/notifications/push/"


@pytest.fixture
def vapid(settings):
    public, private = generate_vapid_keys()
    settings.KRAI_VAPID_PUBLIC_KEY, settings.KRAI_VAPID_PRIVATE_KEY = public, private
    settings.KRAI_VAPID_SUBJECT = "mailto:planner@krai.example"
    settings.KRAI_PUSH_ALLOW_HTTP = True  # the test push service speaks plain HTTP on 127.0.0.1
    return public


@pytest.fixture
def service():
    with PushService() as running:
        yield running


def subscribe(client: Client, user: Any, browser: FakeBrowser, endpoint: str) -> HttpResponse:
    client.force_login(user)
    return client.post(API, browser.subscription_json(endpoint), content_type="application/json")


def due_push_reminder(owner: Any, *, title: str = "Выездное совещание") -> Entry:
    entry = EntryFactory(owner=owner, title=title, starts_at=datetime(2026, 12, 10, 11, 0, tzinfo=MSK))
    reminders_set(actor=owner, entry=entry, reminders=[(15, ["push", "inapp"])],
                  now=datetime(2026, 12, 1, 8, 0, tzinfo=MSK))
    return entry


def test_a_reminder_arrives_once_signed_and_encrypted_and_the_browser_reads_it(client, vapid, service) -> None:
    owner = StaffFactory()
    browser = FakeBrowser()
    assert subscribe(client, owner, browser, service.endpoint()).status_code == 201
    entry = due_push_reminder(owner)
    result = reminding.send_due(now=datetime(2026, 12, 10, 10, 45, tzinfo=MSK))
    assert (result.reminded, result.pushed) == (1, 1)
    reminding.send_due(now=datetime(2026, 12, 10, 10, 46, tzinfo=MSK))  # again: nothing more
    assert len(service.messages) == 1
    message = service.messages[0]
    assert message.path == "/push/browser-1"
    assert message.headers["content-encoding"] == "aes128gcm"
    assert message.headers["ttl"] == str(push.TTL)
    claims = vapid_claims(message.headers["authorization"], vapid)
    assert claims["aud"] == f"http://127.0.0.1:{service.port}" and claims["sub"] == "mailto:planner@krai.example"
    assert browser.auth not in message.body and "Выездное".encode() not in message.body  # encrypted
    shown = browser.decrypt(message.body)
    assert shown["title"] == "Напоминание: Выездное совещание"  # in the owner's language, Russian by default
    assert "11:00" in shown["body"]
    assert shown["url"] == reminding.entry_url(entry) and shown["tag"] == f"planner-{entry.pk}"
    subscription = PushSubscription.objects.get()
    assert subscription.last_ok_at is not None and subscription.failures == 0
    told = Notification.objects.get(user=owner, in_app=True)  # the in-Krai one beside it …
    assert told.push_state == Notification.Push.NONE  # … is not pushed a second time
    tasks.sweep_pushes()
    assert len(service.messages) == 1


def test_a_browser_the_push_service_forgot_is_dropped(client, vapid) -> None:
    owner = StaffFactory()
    with PushService(status=410) as gone:
        subscribe(client, owner, FakeBrowser(), gone.endpoint())
        due_push_reminder(owner)
        result = reminding.send_due(now=datetime(2026, 12, 10, 10, 45, tzinfo=MSK))
        assert len(gone.messages) == 1
    assert (result.reminded, result.pushed) == (1, 0)
    assert not PushSubscription.objects.exists()


def test_other_failures_are_counted_and_the_subscription_kept(client, vapid) -> None:
    owner = StaffFactory()
    with PushService(status=500) as broken:
        subscribe(client, owner, FakeBrowser(), broken.endpoint())
        result = push.send_to_user(owner, title="t")
    assert (result.sent, result.failed) == (0, 1)
    assert PushSubscription.objects.get().failures == 1


def test_without_vapid_keys_push_is_skipped_quietly_and_the_rest_is_told(client, settings, service) -> None:
    settings.KRAI_VAPID_PUBLIC_KEY = settings.KRAI_VAPID_PRIVATE_KEY = ""
    settings.KRAI_PUSH_ALLOW_HTTP = True
    owner = StaffFactory()
    assert subscribe(client, owner, FakeBrowser(), service.endpoint()).status_code == 201
    due_push_reminder(owner)
    result = reminding.send_due(now=datetime(2026, 12, 10, 10, 45, tzinfo=MSK))
    assert (result.reminded, result.pushed) == (1, 0)
    assert service.messages == []
    assert Notification.objects.filter(user=owner).count() == 1

