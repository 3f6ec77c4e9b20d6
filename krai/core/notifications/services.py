"""Telling people things: ``notify`` for every area, and a person's own inbox, preferences and the browsers that
receive his web push (subscribed and removed here; sending is ``krai.core.notifications.push``, from jobs only).

``notify`` records no domain event of its own: it is almost always the reaction to one (passed as
``event``), and an event per notification would only echo it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.models import Event
from krai.core.events.services import record_event
from krai.core.notifications import preferences, push
from krai.core.notifications.models import Notification, PushSubscription
from krai.core.notifications.models import NotificationPreference as Pref


def _is_link(url: str) -> bool:
    return (url.startswith("/") and not url.startswith("//")) or url.startswith(("https://", "http://"))


def _email_state(user, choice: preferences.Choice) -> str:
    if not choice.email or not getattr(user, "email", "") or not getattr(user, "email_confirmed", True):
        return Notification.Email.NONE
    return Notification.Email.DIGEST if choice.daily else Notification.Email.QUEUED


@transaction.atomic
def notify(*, users: Iterable, kind: str, title: str, body: str = "", url: str = "",
           event: Event | None = None) -> list[Notification]:
    """Notify each of ``users`` by the channels they chose for ``kind``; returns the notifications made.

    Idempotent per (event, user, kind): called again for the same event (a subscriber delivered twice),
    it makes nothing new. E-mails leave after the transaction commits; daily-digest ones wait for the digest.
    A push is queued (and leaves after the commit) when this installation has VAPID keys, the person wants
    ``kind`` by push and has subscribed at least one browser. Inactive users and users who switched every channel
    off get nothing.
    """
    kind, title = (kind or "").strip(), (title or "").strip()
    if not kind or len(kind) > 100:
        raise ValidationError({"kind": _("A kind of 1–100 characters is required.")})
    if not title:
        raise ValidationError({"title": _("A notification needs a title.")})
    if url and not _is_link(url):
        raise ValidationError({"url": _("A link is a path on this site (/orders/1/) or an http(s) address.")})
    recipients = {user.pk: user for user in users if user is not None and getattr(user, "is_active", True)}
    if event is not None and recipients:
        told = set(Notification.objects.filter(event=event, kind=kind, user_id__in=recipients)
                   .values_list("user_id", flat=True))
        recipients = {pk: user for pk, user in recipients.items() if pk not in told}
    choices = preferences.choices_for(recipients, kind)
    pushable = (push.subscribed_users(recipients) if recipients and push.configured()
                and not preferences.pushes_itself(kind) else set())
    rows = []
    for pk, user in recipients.items():
        choice = choices[pk]
        email_state = _email_state(user, choice)
        push_state = Notification.Push.QUEUED if choice.push and pk in pushable else Notification.Push.NONE
        if not choice.in_app and email_state == Notification.Email.NONE and push_state == Notification.Push.NONE:
            continue
        rows.append(Notification(user=user, kind=kind, title=title[:300], body=body, url=url[:500], event=event,
                                 in_app=choice.in_app, email_state=email_state, push_state=push_state))
    created = Notification.objects.bulk_create(rows)
    queued = [row.pk for row in created if row.email_state == Notification.Email.QUEUED]
    if queued:
        transaction.on_commit(lambda: _send_later(queued), robust=True)
    to_push = [row.pk for row in created if row.push_state == Notification.Push.QUEUED]
    if to_push:
        transaction.on_commit(lambda: _push_later(to_push), robust=True)
    return created


def _send_later(ids: list[int]) -> None:
    from krai.core.notifications import tasks

    tasks.send_emails(ids)


def _push_later(ids: list[int]) -> None:
    from krai.core.notifications import tasks

    tasks.send_pushes(ids)


@transaction.atomic
def mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of ``user``'s own notifications read (a stranger's answers as missing). No event: too trivial."""
    notification = Notification.objects.select_for_update().filter(pk=notification_id, user=user, in_app=True).first()
    if notification is None:
        raise Notification.DoesNotExist
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, user) -> int:
    """Mark all of ``user``'s unread notifications read; returns how many."""
    return Notification.objects.filter(user=user, in_app=True, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def set_preference(*, user, channel: str, enabled: bool = True, kind: str = "",
                   digest: str = Pref.Digest.IMMEDIATE) -> Pref:
    """Set how ``user`` is told about ``kind`` (an exact kind, a category, or ``*``) on one channel."""
    kind = (kind or "").strip() or Pref.ALL
    errors = {}
    if len(kind) > 100 or any(ch.isspace() for ch in kind):
        errors["kind"] = _("Give a kind (orders.assigned), a category (orders) or * for all.")
    if channel not in Pref.Channel.values:
        errors["channel"] = _("Unknown channel.")
    if digest not in Pref.Digest.values:
        errors["digest"] = _("Choose at once or once a day.")
    elif digest == Pref.Digest.DAILY and channel != Pref.Channel.EMAIL:
        errors["digest"] = _("Only e-mail can come as a daily digest.")
    if errors:
        raise ValidationError(errors)
    preference, created = Pref.objects.get_or_create(user=user, kind=kind, channel=channel,
                                                     defaults={"enabled": enabled, "digest": digest})
    if not created and (preference.enabled, preference.digest) != (enabled, digest):
        preference.enabled, preference.digest = enabled, digest
        preference.save(update_fields=["enabled", "digest", "updated_at"])
    elif not created:
        return preference
    record_event(kind="notifications.preference_changed", actor=user, subject=preference,
                 payload={"kind": kind, "channel": channel, "enabled": enabled, "digest": digest})
    return preference


def _decoded_length(value: str) -> int | None:
    try:
        return len(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (binascii.Error, ValueError):
        return None


def _allow_plain_http() -> bool:
    """Push services speak HTTPS; a plain-HTTP endpoint only when ``KRAI_PUSH_ALLOW_HTTP`` (a test push service
    on this machine) or in DEBUG."""
    return bool(getattr(settings, "KRAI_PUSH_ALLOW_HTTP", settings.DEBUG))


def clean_subscription(*, endpoint: str, p256dh: str, auth: str) -> dict[str, str]:
    """Check what a browser sent: an https address of at most 1000 characters, its P-256 public key (65 bytes)
    and its auth secret (16 bytes), both base64url. Raises ``ValidationError`` by field."""
    endpoint, p256dh, auth = (endpoint or "").strip(), (p256dh or "").strip(), (auth or "").strip()
    errors = {}
    schemes = ["https", "http"] if _allow_plain_http() else ["https"]
    try:
        URLValidator(schemes=schemes)(endpoint)
        if len(endpoint) > 1000 or not urlsplit(endpoint).hostname:
            raise ValidationError("")
    except ValidationError:
        errors["endpoint"] = _("The push service's address must be an https address.")
    if _decoded_length(p256dh) != 65 or not p256dh:
        errors["p256dh"] = _("The browser's key is not a P-256 public key.")
    if _decoded_length(auth) != 16:
        errors["auth"] = _("The browser's secret must be 16 bytes.")
    if errors:
        raise ValidationError(errors)
    return {"endpoint": endpoint, "p256dh": p256dh.rstrip("="), "auth": auth.rstrip("=")}


@transaction.atomic
def push_subscribe(*, user: Any, endpoint: str, p256dh: str, auth: str, user_agent: str = "") -> PushSubscription:
    """Keep a browser's subscription for ``user``. The endpoint identifies the browser: sent again it updates the
    keys (and moves to whoever subscribes now — the browser is theirs now), never doubles."""
    data = clean_subscription(endpoint=endpoint, p256dh=p256dh, auth=auth)
    agent = (user_agent or "")[:300]
    subscription = PushSubscription.objects.select_for_update().filter(endpoint=data["endpoint"]).first()
    if subscription is None:
        subscription = PushSubscription.objects.create(user=user, user_agent=agent, **data)
    elif (subscription.user_id, subscription.p256dh, subscription.auth, subscription.user_agent) == (
            user.pk, data["p256dh"], data["auth"], agent):
        return subscription
    else:
        subscription.user, subscription.p256dh, subscription.auth = user, data["p256dh"], data["auth"]
        subscription.user_agent, subscription.failures = agent, 0
        subscription.save(update_fields=["user", "p256dh", "auth", "user_agent", "failures"])
    record_event(kind="notifications.push_subscribed", actor=user, subject=subscription,
                 payload={"user_agent": agent})
    return subscription


@transaction.atomic
def push_unsubscribe(*, user: Any, subscription: PushSubscription) -> None:
    """Remove one of ``user``'s browsers; a stranger's subscription is refused as missing."""
    if subscription.user_id != user.pk:
        raise PushSubscription.DoesNotExist
    record_event(kind="notifications.push_unsubscribed", actor=user, subject=subscription,
                 payload={"user_agent": subscription.user_agent})
    subscription.delete()
