"""A person's browsers that receive web push: subscribing one (the endpoint and keys its Push API gave) and
removing one. Sending is ``krai.planner.push``, from jobs only."""

from __future__ import annotations

import base64
import binascii
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.planner.models import PushSubscription


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
    record_event(kind="planner.push_subscribed", actor=user, subject=subscription,
                 payload={"user_agent": agent})
    return subscription


@transaction.atomic
def push_unsubscribe(*, user: Any, subscription: PushSubscription) -> None:
    """Remove one of ``user``'s browsers; a stranger's subscription is refused as missing."""
    if subscription.user_id != user.pk:
        raise PushSubscription.DoesNotExist
    record_event(kind="planner.push_unsubscribed", actor=user, subject=subscription,
                 payload={"user_agent": subscription.user_agent})
    subscription.delete()
