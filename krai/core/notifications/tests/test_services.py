import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from krai.core.events import dispatch, registry
from krai.core.events.models import Event
from krai.core.events.services import record_event
from krai.core.notifications import emails, preferences, services, tasks
from krai.core.notifications.models import Notification
from krai.core.notifications.models import NotificationPreference as Pref
from krai.org.tests.factories import UserFactory


def an_event(kind="orders.assigned"):
    with transaction.atomic():
        return record_event(kind=kind)


def notify(users, **options):
    options = {"kind": "orders.assigned", "title": "Вам поручено задание", "body": "Срок — пятница.",
               "url": "/workspace/orders/7/", **options}
    return services.notify(users=users, **options)


def test_notify_puts_it_in_the_inbox_and_mails_it_after_commit(db, django_capture_on_commit_callbacks):
    user = UserFactory(email="ivan@example.ru")
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = notify([user])
        assert mail.outbox == []  # nothing leaves before the commit
    notification.refresh_from_db()
    assert notification.in_app and notification.email_state == Notification.Email.SENT and notification.emailed_at
    [letter] = mail.outbox
    assert letter.to == ["ivan@example.ru"] and "Вам поручено задание" in letter.subject
    assert "http://" in letter.body and "/workspace/orders/7/" in letter.body and "Срок — пятница." in letter.body
    assert "/workspace/orders/7/" in letter.alternatives[0][0]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_notification_sends_nothing():
    user = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify([user])
        raise RuntimeError("the rest of the change failed")
    assert not Notification.objects.exists() and mail.outbox == []
    notify([user])  # outside any transaction: committed at once, then mailed
    assert len(mail.outbox) == 1


def test_notify_is_idempotent_per_event_user_and_kind(db):
    alice, bob = UserFactory(), UserFactory()
    event = an_event()
    assert len(notify([alice], event=event)) == 1
    assert len(notify([alice, bob], event=event)) == 1  # only bob is new
    assert notify([alice, bob], event=event) == []
    assert len(notify([alice], event=event, kind="orders.reminder")) == 1
    assert len(notify([alice])) == 1  # without an event nothing ties two calls together
    assert Notification.objects.filter(user=alice).count() == 3


def test_a_subscriber_delivered_twice_notifies_once(db):
    told = UserFactory()

    def handler(event):
        notify([told], event=event, kind="orders.assigned")

    with registry.isolated():
        registry.register("test.notify", kinds=["orders.*"], handler=handler)
        event = an_event()
        dispatch.deliver_pending()
        handler(Event.objects.get(pk=event.pk))  # at least once: the same event again
    assert Notification.objects.filter(user=told, event=event).count() == 1


@pytest.mark.parametrize("stored, in_app, email_state", [
    ([], True, "queued"),
    ([("*", "email", False, "immediate")], True, "none"),
    ([("orders", "in_app", False, "immediate")], False, "queued"),
    ([("*", "email", False, "immediate"), ("orders", "email", True, "daily")], True, "digest"),
    ([("orders", "email", False, "immediate"), ("orders.assigned", "email", True, "immediate")], True, "queued"),
    ([("orders.other", "in_app", False, "immediate"), ("payments", "in_app", False, "immediate")], True, "queued"),
])
def test_the_most_specific_preference_wins(db, stored, in_app, email_state):
    user = UserFactory()
    for kind, channel, enabled, digest in stored:
        Pref.objects.create(user=user, kind=kind, channel=channel, enabled=enabled, digest=digest)
    [notification] = notify([user])
    assert (notification.in_app, notification.email_state) == (in_app, email_state)


def test_nobody_is_told_against_their_will_or_when_inactive(db):
    silent, gone, unconfirmed = UserFactory(), UserFactory(is_active=False), UserFactory(email_confirmed=False)
    Pref.objects.create(user=silent, kind="*", channel="in_app", enabled=False)
    Pref.objects.create(user=silent, kind="*", channel="email", enabled=False)
    made = notify([silent, gone, unconfirmed, None])
    assert [(n.user, n.email_state) for n in made] == [(unconfirmed, "none")]


@pytest.mark.parametrize("options, field", [
    ({"title": "  "}, "title"), ({"kind": ""}, "kind"), ({"url": "javascript:alert(1)"}, "url"),
    ({"url": "//evil.example/"}, "url"),
])
def test_bad_input_is_refused_and_changes_nothing(db, options, field):
    with pytest.raises(ValidationError) as error:
        notify([UserFactory()], **options)
    assert field in error.value.message_dict and not Notification.objects.exists()


def test_the_daily_digest_gathers_a_persons_letters_into_one(db):
    daily, other = UserFactory(email="daily@example.ru"), UserFactory(email="other@example.ru")
    services.set_preference(user=daily, kind="*", channel="email", enabled=True, digest="daily")
    for number in range(3):
        notify([daily, other], title=f"Событие {number}")
    assert tasks.send_emails.call_local([n.pk for n in Notification.objects.all()]) is None
    assert [m.to for m in mail.outbox] == [["other@example.ru"]] * 3
    mail.outbox.clear()
    tasks.send_daily_digests.call_local()
    [letter] = mail.outbox
    assert letter.to == ["daily@example.ru"] and all(f"Событие {n}" in letter.body for n in range(3))
    assert "3" in letter.subject
    assert set(Notification.objects.filter(user=daily).values_list("email_state", flat=True)) == {"sent"}
    tasks.send_daily_digests.call_local()
    assert len(mail.outbox) == 1  # nothing twice


def test_the_sweep_sends_letters_whose_job_was_lost(db):
    notify([UserFactory()])  # inside the test's transaction: no commit, so no job ran
    assert mail.outbox == []
    tasks.sweep_emails.call_local()
    assert len(mail.outbox) == 1
    tasks.sweep_emails.call_local()
    assert len(mail.outbox) == 1


def test_an_address_the_server_refuses_is_marked_and_not_retried(db, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPRecipientsRefused({"x@example.ru": (550, b"no such user")})

    monkeypatch.setattr(emails, "send_mail", refuse)
    [notification] = notify([UserFactory()])
    assert emails.send_queued() == 0
    notification.refresh_from_db()
    assert notification.email_state == "failed"


def test_marking_read_touches_only_ones_own(db):
    owner, stranger = UserFactory(), UserFactory()
    [notification] = notify([owner])
    with pytest.raises(Notification.DoesNotExist):
        services.mark_read(user=stranger, notification_id=notification.pk)
    assert services.mark_all_read(user=stranger) == 0
    notification.refresh_from_db()
    assert notification.read_at is None
    services.mark_read(user=owner, notification_id=notification.pk)
    notify([owner], title="Второе")
    assert services.mark_all_read(user=owner) == 1
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_set_preference_validates_and_records_a_change_once(db):
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.set_preference(user=user, kind="*", channel="in_app", enabled=True, digest="daily")
    assert "digest" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.set_preference(user=user, kind="*", channel="pigeon", enabled=True)
    assert not Pref.objects.exists()
    services.set_preference(user=user, kind="orders", channel="email", enabled=False)
    services.set_preference(user=user, kind="orders", channel="email", enabled=False)  # no change
    assert Pref.objects.get().enabled is False
    assert Event.objects.filter(kind="notifications.preference_changed").count() == 1


def test_categories_are_offered_all_first():
    preferences.register_category("zz_test", "Test category")
    keys = [key for key, _label in preferences.categories()]
    preferences._categories.pop("zz_test")
    assert keys[0] == "*" and "zz_test" in keys
    assert preferences.candidates("orders.assigned") == ["orders.assigned", "orders", "*"]
