"""Web push as a channel of every notification, end to end through a push service on 127.0.0.1: ``notify`` queues
a push for a person who subscribed a browser and wants the kind by push; the job sends it signed with VAPID and
encrypted (aes128gcm) — the browser decrypts the title, text, link and tag — exactly once, whether the job runs
twice or the sweep comes after it; a preference switched off, no subscribed browser or no VAPID keys queue nothing
(and nothing fails); a 410 drops the browser."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from py_vapid import Vapid

from krai.core.notifications import preferences, push, services, tasks
from krai.core.notifications.models import Notification, PushSubscription
from krai.core.notifications.tests.push_fixtures import SUBJECT, run_push_job
from krai.core.notifications.tests.push_receiver import FakeBrowser, PushService, vapid_claims
from krai.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def subscribed(user, endpoint: str) -> FakeBrowser:
    browser = FakeBrowser()
    json = browser.subscription_json(endpoint)
    services.push_subscribe(user=user, endpoint=json["endpoint"], p256dh=json["keys"]["p256dh"],
                            auth=json["keys"]["auth"], user_agent="Firefox on Android")
    return browser


def tell(user, *, kind: str = "problems.answered", title: str = "Ответ по обращению №7") -> Notification:
    [notification] = services.notify(users=[user], kind=kind, title=title, body="Яму заделали", url="/problems/7/")
    return notification


def test_a_notification_is_pushed_once_signed_and_encrypted(vapid, service) -> None:
    person = UserFactory()
    browser = subscribed(person, service.endpoint())
    notification = tell(person)
    assert notification.push_state == Notification.Push.QUEUED
    run_push_job()
    tasks.send_pushes([notification.pk])  # the job delivered twice
    tasks.sweep_pushes()  # and the sweep after it
    assert len(service.messages) == 1
    message = service.messages[0]
    assert message.headers["content-encoding"] == "aes128gcm"
    assert message.headers["ttl"] == str(push.NOTIFICATION_TTL)
    claims = vapid_claims(message.headers["authorization"], vapid)
    assert claims["aud"] == f"http://127.0.0.1:{service.port}" and claims["sub"] == SUBJECT
    assert "Яму".encode() not in message.body  # encrypted
    assert browser.decrypt(message.body) == {"title": "Ответ по обращению №7", "body": "Яму заделали",
                                             "url": "/problems/7/", "tag": f"notification-{notification.pk}"}
    notification.refresh_from_db()
    assert notification.push_state == Notification.Push.SENT and notification.pushed_at is not None
    assert PushSubscription.objects.get().last_ok_at is not None


def test_the_sweep_pushes_what_a_lost_job_left(vapid, service) -> None:
    person = UserFactory()
    subscribed(person, service.endpoint())
    notification = tell(person)  # its job lost: nothing sent yet
    assert service.messages == []
    tasks.sweep_pushes()
    tasks.sweep_pushes()
    assert len(service.messages) == 1
    notification.refresh_from_db()
    assert notification.push_state == Notification.Push.SENT


def test_a_claimed_notification_is_not_pushed_again(vapid, service) -> None:
    person = UserFactory()
    subscribed(person, service.endpoint())
    notification = tell(person)
    assert push._claim(notification.pk) is True  # another worker took it
    assert push._claim(notification.pk) is False
    assert push.send_queued() == 0 and service.messages == []


def test_push_switched_off_or_no_browser_queues_nothing(vapid, service) -> None:
    quiet, subscriber_elsewhere, unsubscribed = UserFactory(), UserFactory(), UserFactory()
    subscribed(quiet, service.endpoint("quiet"))
    subscribed(subscriber_elsewhere, service.endpoint("other"))
    services.set_preference(user=quiet, kind="problems", channel="push", enabled=False)
    services.set_preference(user=subscriber_elsewhere, kind="*", channel="push", enabled=False)
    services.set_preference(user=subscriber_elsewhere, kind="orders", channel="push", enabled=True)
    made = services.notify(users=[quiet, subscriber_elsewhere, unsubscribed], kind="problems.answered",
                           title="Ответ")
    assert {row.push_state for row in made} == {Notification.Push.NONE}
    assert all(row.in_app for row in made)  # the inbox still has it
    run_push_job()
    tasks.sweep_pushes()
    assert service.messages == []
    [orders] = services.notify(users=[subscriber_elsewhere], kind="orders.assigned", title="Поручение")
    assert orders.push_state == Notification.Push.QUEUED


def test_push_alone_is_enough_to_make_a_notification(vapid, service) -> None:
    person = UserFactory()
    subscribed(person, service.endpoint())
    for channel in ("in_app", "email"):
        services.set_preference(user=person, kind="*", channel=channel, enabled=False)
    notification = tell(person)
    assert (notification.in_app, notification.email_state, notification.push_state) == (
        False, Notification.Email.NONE, Notification.Push.QUEUED)
    run_push_job()
    assert len(service.messages) == 1


def test_without_vapid_keys_nothing_is_queued_and_nothing_fails(settings, service) -> None:
    settings.KRAI_VAPID_PUBLIC_KEY = settings.KRAI_VAPID_PRIVATE_KEY = ""
    settings.KRAI_PUSH_ALLOW_HTTP = True
    person = UserFactory()
    subscribed(person, service.endpoint())
    notification = tell(person)
    assert notification.push_state == Notification.Push.NONE
    tasks.sweep_pushes()
    assert service.messages == []
    assert not Notification.objects.filter(push_state=Notification.Push.FAILED).exists()


def test_a_browser_the_push_service_forgot_is_dropped(vapid) -> None:
    person = UserFactory()
    with PushService(status=410) as gone:
        subscribed(person, gone.endpoint())
        notification = tell(person)
        run_push_job()
        assert len(gone.messages) == 1
    assert not PushSubscription.objects.exists()
    notification.refresh_from_db()
    assert notification.push_state == Notification.Push.FAILED
    assert tell(person, title="Ещё один").push_state == Notification.Push.NONE  # no browser left: not queued


def test_other_failures_are_counted_and_the_browser_kept(vapid) -> None:
    person = UserFactory()
    with PushService(status=500) as broken:
        subscribed(person, broken.endpoint())
        result = push.send_to_user(person, title="t")
    assert (result.sent, result.failed) == (0, 1)
    assert PushSubscription.objects.get().failures == 1


def test_a_kind_its_area_pushes_itself_is_not_queued(vapid, service, monkeypatch) -> None:
    monkeypatch.setattr(preferences, "_own_push", set())
    preferences.register_own_push("planner.reminder")  # as the planner does: each reminder chooses its channels
    person = UserFactory()
    subscribed(person, service.endpoint())
    [reminder] = services.notify(users=[person], kind="planner.reminder", title="Напоминание")
    assert reminder.push_state == Notification.Push.NONE
    assert tell(person).push_state == Notification.Push.QUEUED


def test_the_vapid_command_prints_a_working_key_pair() -> None:
    out = io.StringIO()
    call_command("vapid", stdout=out, stderr=io.StringIO())
    lines = dict(line.split("=", 1) for line in out.getvalue().split())
    assert set(lines) == {"KRAI_VAPID_PUBLIC_KEY", "KRAI_VAPID_PRIVATE_KEY"}
    key = Vapid.from_string(lines["KRAI_VAPID_PRIVATE_KEY"])
    public = key.public_key.public_bytes(encoding=push.serialization.Encoding.X962,
                                         format=push.serialization.PublicFormat.UncompressedPoint)
    assert push._b64url(public) == lines["KRAI_VAPID_PUBLIC_KEY"]
