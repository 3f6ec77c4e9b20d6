"""Web push to a person's browsers: the Push API with VAPID (RFC 8292) and the payload encrypted for each browser
(aes128gcm, RFC 8291), sent with ``pywebpush``. Only jobs send — the notifications' push jobs (``send_queued``,
below) and the planner's reminders — as a push service may be slow.

With no VAPID keys configured (``KRAI_VAPID_PUBLIC_KEY``/``KRAI_VAPID_PRIVATE_KEY``, made by ``krai vapid``) nothing
is queued or sent and nothing fails: notifications still come in Krai and by e-mail. A subscription the push service
no longer knows (404/410) is dropped; any other failure is counted on it and logged.

Each queued notification is pushed at most once: a job claims it (``queued`` → ``sent`` in a transaction, the row
locked with ``SKIP LOCKED`` and changed by a conditional UPDATE, so two jobs never both take it) and pushes after
the commit; a crash between the two loses that push rather than sending it twice.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from krai.core.notifications.models import Notification, PushSubscription

logger = logging.getLogger(__name__)

#: how long a push service keeps a message for a browser that is offline (a reminder is stale after an hour)
TTL = 60 * 60
#: the same for a notification (an answer or a deadline still matters the next day; it also waits in the inbox)
NOTIFICATION_TTL = 24 * 60 * 60
#: seconds to wait for a push service before giving up on one browser
TIMEOUT = 10
#: the push service's answers meaning the subscription is gone for good
GONE = frozenset({404, 410})


@dataclass
class PushResult:
    """What one send to a person's browsers did."""

    sent: int = 0
    gone: int = 0
    failed: int = 0


def configured() -> bool:
    """Whether this installation has its VAPID key pair (else push is off, quietly)."""
    return bool(settings.KRAI_VAPID_PUBLIC_KEY and settings.KRAI_VAPID_PRIVATE_KEY)


def public_key() -> str:
    """The VAPID public key browsers subscribe with (``applicationServerKey``), "" when push is off."""
    return settings.KRAI_VAPID_PUBLIC_KEY if configured() else ""


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def generate_vapid_keys() -> tuple[str, str]:
    """A new P-256 key pair as (public, private): the public key as the uncompressed point and the private key as
    its 32-byte number, both base64url without padding — the forms browsers and ``pywebpush`` take."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(serialization.Encoding.X962,
                                               serialization.PublicFormat.UncompressedPoint)
    return _b64url(public), _b64url(private.private_numbers().private_value.to_bytes(32, "big"))


def payload(*, title: str, body: str = "", url: str = "", tag: str = "") -> str:
    """The JSON the service worker (``/sw.js``, ``krai/core/pwa.py``) shows: title, body, the link opened on a click,
    and a tag (a newer message with the same tag replaces the older one on the screen)."""
    return json.dumps({"title": title, "body": body, "url": url or "/", "tag": tag}, ensure_ascii=False)


def _send(subscription: PushSubscription, data: str, vapid: Any, ttl: int) -> str:
    """Send one message to one browser; returns "sent", "gone" (the subscription is dropped) or "failed"."""
    info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
    try:
        webpush(subscription_info=info, data=data, vapid_private_key=vapid,
                vapid_claims={"sub": settings.KRAI_VAPID_SUBJECT}, content_encoding="aes128gcm", ttl=ttl,
                timeout=TIMEOUT)
    except WebPushException as exc:
        status = getattr(exc.response, "status_code", None)
        if status in GONE:
            PushSubscription.objects.filter(pk=subscription.pk).delete()
            return "gone"
        logger.warning("Push to subscription %s refused: %s", subscription.pk, status or exc.message)
    except (requests.RequestException, ValueError, TypeError) as exc:  # unreachable, or keys the browser garbled
        logger.warning("Push to subscription %s failed: %s", subscription.pk, exc.__class__.__name__)
    else:
        PushSubscription.objects.filter(pk=subscription.pk).update(last_ok_at=timezone.now(), failures=0)
        return "sent"
    PushSubscription.objects.filter(pk=subscription.pk).update(failures=F("failures") + 1)
    return "failed"


def send_to_user(user: Any, *, title: str, body: str = "", url: str = "", tag: str = "",
                 ttl: int = TTL) -> PushResult:
    """Push one message to every browser ``user`` subscribed; nothing (and no error) when push is not configured.
    Call it from a job, outside any transaction: each browser is a request to its push service."""
    result = PushResult()
    if not configured():
        return result
    subscriptions = list(PushSubscription.objects.filter(user=user).order_by("id"))
    if not subscriptions:
        return result
    vapid = Vapid.from_string(settings.KRAI_VAPID_PRIVATE_KEY)
    data = payload(title=title, body=body, url=url, tag=tag)
    for subscription in subscriptions:
        outcome = _send(subscription, data, vapid, ttl)
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def subscribed_users(user_ids: Iterable[int]) -> set[int]:
    """Which of ``user_ids`` have at least one subscribed browser (one query)."""
    return set(PushSubscription.objects.filter(user_id__in=list(user_ids)).values_list("user_id", flat=True)
               .distinct())


def _claim(pk: int) -> bool:
    """Take one queued notification for this job: True when this job is the one that moved it to ``sent``."""
    with transaction.atomic():
        locked = (Notification.objects.select_for_update(skip_locked=True)
                  .filter(pk=pk, push_state=Notification.Push.QUEUED).values_list("pk", flat=True).first())
        if locked is None:
            return False
        return bool(Notification.objects.filter(pk=pk, push_state=Notification.Push.QUEUED)
                    .update(push_state=Notification.Push.SENT, pushed_at=timezone.now()))


def send_queued(*, ids: Iterable[int] | None = None, limit: int = 500) -> int:
    """Push the queued notifications (those of ``ids``, or any), each claimed before it goes; returns how many
    reached at least one browser. Call it from a job, outside any transaction."""
    queue = Notification.objects.filter(push_state=Notification.Push.QUEUED)
    if ids is not None:
        queue = queue.filter(pk__in=list(ids))
    pushed = 0
    for pk in list(queue.order_by("id").values_list("pk", flat=True)[:limit]):
        if not _claim(pk):
            continue  # another job took it
        notification = Notification.objects.select_related("user").get(pk=pk)
        try:
            result = send_to_user(notification.user, title=notification.title, body=notification.body,
                                  url=notification.url or "/notifications/", tag=f"notification-{pk}",
                                  ttl=NOTIFICATION_TTL)
        except Exception:  # one person's broken push must not stop everyone's
            logger.exception("Push of notification %s failed", pk)
            result = PushResult()
        if result.sent:
            pushed += 1
        else:
            Notification.objects.filter(pk=pk).update(push_state=Notification.Push.FAILED)
    return pushed
