"""Sending the planner's due reminders (the job of ``krai.planner.tasks``, every minute) and moving each to its next
moment (an entry's changes move its reminders in ``services.reminders.reminders_reschedule``).

Each due reminder is *claimed* before anything is sent: in one transaction its row is locked (``SKIP LOCKED`` on
PostgreSQL, so another worker passes it by) and its ``next_at`` is moved on by a conditional UPDATE (``WHERE next_at
= <the due moment>``) — the UPDATE that changes the row is the claim, so two workers never both send it, whatever the
database. The in-Krai notification is written in that same transaction (its e-mail leaves after the commit, through
``krai.core.notifications``); the push goes after the commit. A crash between the claim and the push loses that one
push rather than sending it twice. Like the webhooks' delivery, this is machinery under the services: its writes
(``next_at``, ``last_sent_at``, the notifications) are bookkeeping of the reminders the person set.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from krai.core.notifications import push
from krai.core.notifications.models import Notification
from krai.core.notifications.services import notify
from krai.planner.models import Entry, Reminder
from krai.planner.services.reminders import next_remind_at, occurrence_anchors, occurrence_over

logger = logging.getLogger(__name__)

KIND = "planner.reminder"  # the notifications' kind: people switch it off as "planner" or "planner.reminder"
BATCH = 500


@dataclass
class SendResult:
    """What one run did: reminders sent, passed over (a done task, an occurrence already over, an inactive
    owner), and the pushes sent."""

    reminded: int = 0
    skipped: int = 0
    pushed: int = 0


@dataclass
class _Claimed:
    """A reminder this worker took: what to push after the commit (``push`` is None when nothing is pushed)."""

    reminder_id: int
    push: dict[str, Any] | None = None
    sent: bool = False


def _language(user: Any) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def entry_url(entry: Entry) -> str:
    """The entry's page (the planner's own pages are another module's: its home, or the path, if not yet there)."""
    for name, args in (("planner:entry", [entry.pk]), ("planner:home", [])):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    return "/workspace/planner/"


def texts(entry: Entry, anchor: datetime) -> tuple[str, str]:
    """The reminder's title and body in the active language: what, when (local time), where."""
    local = timezone.localtime(anchor)
    if entry.all_day:
        when = _("On %(day)s") % {"day": formats.date_format(local, "j E Y")}
    else:
        when = _("Starts %(day)s at %(time)s") % {"day": formats.date_format(local, "j E Y"),
                                                  "time": local.strftime("%H:%M")}
    body = f"{when} · {entry.location}" if entry.location else when
    return _("Reminder: %(title)s") % {"title": entry.title}, body


def _narrow(created: list[Notification], channels: list[str]) -> None:
    """Keep only the channels the reminder asked for (``notify`` itself follows the person's preferences, which
    may switch a channel off but never on). Runs before the commit, so an e-mail not asked for never leaves."""
    for row in created:
        in_app = row.in_app and Reminder.Channel.INAPP in channels
        email_state = row.email_state if Reminder.Channel.EMAIL in channels else Notification.Email.NONE
        if not in_app and email_state == Notification.Email.NONE:
            row.delete()
        elif (in_app, email_state) != (row.in_app, row.email_state):
            Notification.objects.filter(pk=row.pk).update(in_app=in_app, email_state=email_state)


def _tell(reminder: Reminder, anchor: datetime) -> dict[str, Any] | None:
    """Notify in Krai and by e-mail (in this transaction); return the push to send after it, if any."""
    entry, owner = reminder.entry, reminder.entry.owner
    channels = list(reminder.channels or [])
    with translation.override(_language(owner)):
        title, body = texts(entry, anchor)
    url = entry_url(entry)
    if Reminder.Channel.INAPP in channels or Reminder.Channel.EMAIL in channels:
        _narrow(notify(users=[owner], kind=KIND, title=title, body=body, url=url), channels)
    if Reminder.Channel.PUSH in channels and push.configured():
        return {"user": owner, "title": title, "body": body, "url": url, "tag": f"planner-{entry.pk}"}
    return None


def claim(now: datetime) -> _Claimed | None:
    """Take the earliest due reminder and move it to its next moment; notify in the same transaction. None when
    nothing is due (or every due one is being taken by another worker)."""
    with transaction.atomic():
        row = (Reminder.objects.select_for_update(skip_locked=True, of=("self",)).filter(next_at__lte=now)
               .order_by("next_at", "id").values_list("pk", "next_at").first())
        if row is None:
            return None
        pk, due = row
        reminder = Reminder.objects.select_related("entry__owner").get(pk=pk)
        entry = reminder.entry
        anchor = due + timedelta(minutes=reminder.minutes_before)
        # the entry may have changed since the moment was set (moved, the occurrence left out, ticked off) without
        # a reschedule: only a reminder of an occurrence that still is, not over, of an active person, is sent
        still = next(occurrence_anchors(entry, after=anchor - timedelta(microseconds=1)), None) == anchor
        live = (still and entry.done_at is None and entry.owner.is_active and now < occurrence_over(entry, anchor))
        following = next_remind_at(entry, reminder.minutes_before, after=max(anchor, now),
                                   sent_at=now if live else None)
        changes: dict[str, Any] = {"next_at": following}
        if live:
            changes["last_sent_at"] = now
        if not Reminder.objects.filter(pk=pk, next_at=due).update(**changes):
            return _Claimed(pk)  # another worker moved it first: it sends, this one does not
        if not live:
            return _Claimed(pk)
        reminder.next_at = following
        return _Claimed(pk, push=_tell(reminder, anchor), sent=True)


def send_due(*, now: datetime | None = None, limit: int = BATCH) -> SendResult:
    """Send every due reminder once (at most ``limit``), each claimed right before it is sent; the pushes go
    after each claim's commit. ``now`` fixes the clock (tests)."""
    result = SendResult()
    for _attempt in range(limit):
        claimed = claim(now or timezone.now())
        if claimed is None:
            break
        if not claimed.sent:
            result.skipped += 1
            continue
        result.reminded += 1
        if claimed.push is not None:
            try:
                result.pushed += push.send_to_user(**claimed.push).sent
            except Exception:  # one person's broken push must not stop everyone's reminders
                logger.exception("Push of reminder %s failed", claimed.reminder_id)
    return result
