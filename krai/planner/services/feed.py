"""The private iCalendar feed of a person's planner: making its secret address (the token shown once, only its
SHA-256 kept), revoking it, finding the owner of an address, and the feed itself (``ical.build_calendar``).

A feed is read by calendar programs without a session, so the address is the only credential: it is long
(256 random bits), compared by hash, and a revoked or unknown one answers like a missing page.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krai.core.agenda import agenda_items
from krai.core.events.services import record_event
from krai.planner import ical, recurrence
from krai.planner.models import Entry, FeedToken

USE = "planner.use"
#: what the feed holds: from this many days back …
DAYS_BACK = 30
#: … to this many days ahead
DAYS_AHEAD = 366
#: a person's feeds in force at once (one per calendar program is plenty)
MAX_ACTIVE = 10
PREFIX_LENGTH = 8
#: a feed's last_used_at is written at most this often, so that calendars polling it do not make a write each time
TOUCH_EVERY = timedelta(minutes=5)


@dataclass(frozen=True)
class IssuedFeed:
    """A feed just made: the row, and the whole secret token, which is never stored and shown this once."""

    feed: FeedToken
    token: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _require_use(actor: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_perm(USE):
        raise PermissionDenied(gettext_lazy("The planner is for members of staff."))


# --- reads -------------------------------------------------------------------------------------------------------

def feeds_of(user: Any) -> QuerySet[FeedToken]:
    """The person's feeds, in force first, the newest first."""
    return FeedToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-id")


def feed_get_for_user(user: Any, pk: int) -> FeedToken:
    """One of the person's feeds; another's or a missing one is the same 404."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(FeedToken, user=user, pk=pk)


def feed_find(token: str) -> FeedToken | None:
    """The feed in force that this token opens, or None: unknown, revoked, or its owner deactivated or no longer
    staff (all answered alike, so that nothing is revealed)."""
    if not token or len(token) > 100:
        return None
    feed = FeedToken.objects.select_related("user").filter(token_hash=token_hash(token), revoked_at=None).first()
    if feed is None or not feed.user.is_active or not feed.user.has_perm(USE):
        return None
    return feed


# --- writes ------------------------------------------------------------------------------------------------------

@transaction.atomic
def feed_create(*, actor: Any) -> IssuedFeed:
    """Make a new feed address for ``actor``'s own planner (a deputy acting for someone makes the principal's)."""
    _require_use(actor)
    if FeedToken.objects.filter(user=actor, revoked_at=None).count() >= MAX_ACTIVE:
        raise ValidationError(_("You have %(count)d calendar feeds already; revoke one you no longer use first.")
                              % {"count": MAX_ACTIVE}, code="too_many")
    token = secrets.token_urlsafe(32)
    feed = FeedToken.objects.create(user=actor, token_hash=token_hash(token), prefix=token[:PREFIX_LENGTH])
    record_event(kind="planner.feed_created", actor=actor, subject=feed, payload={"prefix": feed.prefix})
    return IssuedFeed(feed=feed, token=token)


@transaction.atomic
def feed_revoke(*, actor: Any, feed: FeedToken) -> FeedToken:
    """Revoke a feed: every calendar subscribed with its address gets nothing more. Revoking twice changes nothing."""
    _require_use(actor)
    feed = FeedToken.objects.select_for_update().get(pk=feed.pk)
    if feed.user_id != actor.pk:
        raise PermissionDenied(gettext_lazy("This is not your calendar feed."))
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
        record_event(kind="planner.feed_revoked", actor=actor, subject=feed, payload={"prefix": feed.prefix})
    return feed


def feed_touch(feed: FeedToken, *, now: datetime | None = None) -> None:
    """Note that a calendar read the feed, at most once per ``TOUCH_EVERY``: bookkeeping like an API token's last
    use, with no event (a diary of reads is not wanted; the audit's EXEMPT list says so)."""
    now = now or timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at >= TOUCH_EVERY:
        FeedToken.objects.filter(pk=feed.pk).filter(
            Q(last_used_at=None) | Q(last_used_at__lt=now - TOUCH_EVERY)).update(last_used_at=now)


# --- the feed ----------------------------------------------------------------------------------------------------

def window(now: datetime) -> tuple[datetime, datetime]:
    """The feed's period, from local midnights so that its content (and ETag) changes at most once a day by itself."""
    today = ical.local(now).date()
    zone = ical.local_zone()
    return (datetime.combine(today - timedelta(days=DAYS_BACK), time(), tzinfo=zone),
            datetime.combine(today + timedelta(days=DAYS_AHEAD), time(), tzinfo=zone))


def _repeats_into(entry: Entry, start: datetime, end: datetime) -> bool:
    """Whether a repeating entry has an occurrence in the period (left-out ones count: the EXDATE is in the feed)."""
    try:
        return bool(recurrence.occurrences(entry, start, end, left_out=True))
    except ValidationError:
        return False  # a rule no calendar could read is left out rather than breaking the whole feed


def feed_entries(user: Any, start: datetime, end: datetime) -> list[Entry]:
    """The person's entries touching the period: single ones that overlap it, repeating ones whose series starts
    before its end and has an occurrence in it."""
    rows = Entry.objects.filter(owner=user, starts_at__lt=end).order_by("starts_at", "id")
    single = rows.filter(rrule="").filter(Q(starts_at__gte=start - timedelta(days=1))
                                          | Q(ends_at__gte=start - timedelta(days=1)))
    repeating = [entry for entry in rows.exclude(rrule="") if _repeats_into(entry, start, end)]
    return sorted([*single, *repeating], key=lambda entry: (entry.starts_at, entry.pk))


def feed_calendar(user: Any, *, absolute_url: Callable[[str], str], now: datetime | None = None) -> bytes:
    """The bytes of ``user``'s feed: his entries from ``DAYS_BACK`` days back to ``DAYS_AHEAD`` ahead and what the
    areas put in those days (read-only, linked to their pages)."""
    now = now or timezone.now()
    start, end = window(now)
    entries = feed_entries(user, start, end)
    items = agenda_items(user, start, end)
    first_day = min([start.date(), *(ical.local(entry.starts_at).date() for entry in entries)])
    name = _("Krai — planner of %(name)s") % {"name": getattr(user, "short_name", "") or user.get_username()}
    calendar = ical.build_calendar(
        name=name, uid=f"krai-planner-{user.pk}", entries=entries, items=items, absolute_url=absolute_url,
        stamp=start.astimezone(UTC), first_day=first_day)
    return calendar.to_ical()
