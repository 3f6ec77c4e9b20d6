"""Reading notifications: a person sees only their own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from krai.core.notifications import preferences
from krai.core.notifications.models import Notification, NotificationPreference, PushSubscription


def inbox(*, user, unread_only: bool = False) -> QuerySet[Notification]:
    """``user``'s inbox, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    rows = Notification.objects.filter(user=user, in_app=True)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")


def unread_count(*, user) -> int:
    return inbox(user=user, unread_only=True).count() if user.is_authenticated else 0


def notification_get_for_user(*, user, pk: int) -> Notification:
    """One of ``user``'s notifications; 404 alike for a missing one and someone else's."""
    notification = inbox(user=user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    return notification


def push_subscriptions(*, user: Any) -> QuerySet[PushSubscription]:
    """The browsers that receive ``user``'s web push, newest first."""
    if not user.is_authenticated:
        return PushSubscription.objects.none()
    return PushSubscription.objects.filter(user=user).order_by("-created_at", "-id")


def preference_rows(*, user) -> QuerySet[NotificationPreference]:
    return NotificationPreference.objects.filter(user=user).order_by("kind", "channel")


def preference_table(*, user) -> list[dict]:
    """For the form: each category (``*`` first) with the user's in-app, e-mail, digest and push choice.

    Categories are the registered ones plus any the user already has notifications or settings for. A
    category without its own setting shows what it inherits from ``*``.
    """
    known = dict(preferences.categories())
    kinds = inbox(user=user).order_by().values_list("kind", flat=True).distinct()[:200]
    rows = {(row.kind, row.channel): row for row in preference_rows(user=user)}
    seen = {preferences.category_of(kind) for kind in kinds} | {kind for kind, _channel in rows if "." not in kind}
    keys = list(known) + sorted(seen - set(known))
    table: list[dict] = []
    for key in keys:
        inherited = table[0] if table else {"in_app": True, "email": True, "push": True,
                                            "digest": NotificationPreference.Digest.IMMEDIATE}
        in_app, email, push = rows.get((key, "in_app")), rows.get((key, "email")), rows.get((key, "push"))
        table.append({"key": key, "label": known.get(key, key),
                      "in_app": in_app.enabled if in_app else inherited["in_app"],
                      "email": email.enabled if email else inherited["email"],
                      "digest": email.digest if email else inherited["digest"],
                      "push": push.enabled if push else inherited["push"],
                      "explicit": {"in_app": in_app is not None, "email": email is not None,
                                   "push": push is not None}})
    return table
