"""E-mail for notifications: one letter per notification, or one daily digest per person."""

from __future__ import annotations

import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from krai.core.notifications.models import Notification

logger = logging.getLogger(__name__)
DIGEST_LIMIT = 50


def absolute(url: str) -> str:
    return f"{settings.KRAI_SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def _language(user) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def _send(user, template: str, context: dict) -> bool:
    """Render ``notifications/email/<template>_subject.txt`` / ``.txt`` / ``.html`` and send; False if refused."""
    context = {"user": user, "site_url": settings.KRAI_SITE_URL, **context}
    with translation.override(_language(user)):
        subject = " ".join(render_to_string(f"notifications/email/{template}_subject.txt", context).split())
        text = render_to_string(f"notifications/email/{template}.txt", context)
        html = render_to_string(f"notifications/email/{template}.html", context)
    try:
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email], html_message=html)
    except smtplib.SMTPRecipientsRefused:
        logger.warning("The mail server refused the address of user %s", user.pk)
        return False
    return True


def send_queued(*, ids: Iterable[int] | None = None, limit: int = 500) -> int:
    """Send queued notifications (those of ``ids``, or any); each is marked sent in its own transaction.

    A letter is marked after it left, so a crash between the two may send it twice (at least once), never
    zero times. A server that is down raises, and the rest wait for the next sweep.
    """
    queue = Notification.objects.filter(email_state=Notification.Email.QUEUED)
    if ids is not None:
        queue = queue.filter(pk__in=list(ids))
    sent = 0
    for pk in queue.order_by("id").values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            notification = (Notification.objects.select_for_update(skip_locked=True)
                            .filter(pk=pk, email_state=Notification.Email.QUEUED).first())
            if notification is None:
                continue
            ok = _send(notification.user, "notification", {"notification": notification,
                                                           "link": absolute(notification.url)})
            notification.email_state = Notification.Email.SENT if ok else Notification.Email.FAILED
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["email_state", "emailed_at"])
            sent += ok
    return sent


def send_digests() -> int:
    """One letter per person with notifications waiting for the digest; returns the letters sent."""
    waiting = defaultdict(list)
    for user_id, pk in (Notification.objects.filter(email_state=Notification.Email.DIGEST)
                        .order_by("user_id", "id").values_list("user_id", "pk")):
        waiting[user_id].append(pk)
    users = get_user_model()._default_manager.in_bulk(list(waiting))
    letters = 0
    for user_id, pks in waiting.items():
        with transaction.atomic():
            rows = list(Notification.objects.select_for_update(skip_locked=True)
                        .filter(pk__in=pks, email_state=Notification.Email.DIGEST).order_by("-created_at", "-id"))
            if not rows:
                continue
            shown = [(row, absolute(row.url)) for row in rows[:DIGEST_LIMIT]]
            ok = _send(users[user_id], "digest", {"items": shown, "count": len(rows),
                                                 "more": max(len(rows) - DIGEST_LIMIT, 0)})
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
                email_state=Notification.Email.SENT if ok else Notification.Email.FAILED, emailed_at=timezone.now())
            letters += ok
    return letters
