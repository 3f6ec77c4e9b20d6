"""Residents' side of "Find out" about infrastructure works: subscribing to a work (to be told when it starts,
slips or ends), unsubscribing, and rating a completed work's result.

Each function checks who acts (``policy``), validates, writes and records its ``construction.work_*`` event in one
transaction; notifications follow from the events (``subscribers_works``). ``KRAI_CONSTRUCTION_PUBLIC_WRITE_RATE``
limits what one resident subscribes and rates per period.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from krai.construction import policy
from krai.construction.models import Work, WorkRating, WorkStatus, WorkSubscription
from krai.construction.services._works_checks import REASON_MAX, _lock, _payload, _sync, _text
from krai.core import ratelimit
from krai.core.events.services import record_event

__all__ = ["work_rate", "work_subscribe", "work_unsubscribe"]


def _check_rate(actor: Any, action: str) -> None:
    limit, seconds = ratelimit.rate(settings.KRAI_CONSTRUCTION_PUBLIC_WRITE_RATE, "h")
    if not ratelimit.within(f"construction:{action}", actor.pk, limit, seconds):
        raise ratelimit.RateLimited(_("You are doing this too often. Please wait a while and try again."),
                                    code="rate_limited")


@transaction.atomic
def work_subscribe(*, actor: Any, work: Work) -> tuple[WorkSubscription, bool]:
    """Be told when the work starts, slips or ends; returns the subscription and whether it is new."""
    policy.ensure_signed_in(actor)
    existing = WorkSubscription.objects.filter(work=work, user=actor).first()
    if existing is not None:
        return existing, False
    _check_rate(actor, "subscribe")
    subscription = WorkSubscription.objects.create(work=work, user=actor)
    record_event(kind="construction.work_subscribed", actor=actor, subject=work,
                 payload=_payload(work, subscription_id=subscription.pk))
    return subscription, True


@transaction.atomic
def work_unsubscribe(*, actor: Any, work: Work) -> bool:
    """Stop being told; ``False`` when one was not subscribed (nothing changed)."""
    policy.ensure_signed_in(actor)
    row = WorkSubscription.objects.select_for_update().filter(work=work, user=actor).first()
    if row is None:
        return False
    pk = row.pk
    row.delete()
    record_event(kind="construction.work_unsubscribed", actor=actor, subject=work,
                 payload=_payload(work, subscription_id=pk))
    return True


@transaction.atomic
def work_rate(*, actor: Any, work: Work, score: Any, comment: str = "") -> tuple[WorkRating, bool]:
    """A resident rates a completed work's result, 1–5 — once, changeable; returns the rating and whether it is
    new. The work's row is locked first and its sums recounted, so ratings at the same moment all count."""
    policy.ensure_signed_in(actor)
    if not actor.email_confirmed:
        raise PermissionDenied(_("Confirm your e-mail address to rate works."))
    if policy.manages_work(actor, work):
        raise PermissionDenied(_("The responsible body's staff do not rate its own works."))
    if isinstance(score, bool) or not str(score).strip().isdigit() or not 1 <= int(str(score).strip()) <= 5:
        raise ValidationError({"score": _("Rate from 1 to 5.")})
    score = int(str(score).strip())
    comment = _text(comment, field="comment", limit=REASON_MAX)
    locked = _lock(work)
    if locked.status != WorkStatus.COMPLETED:
        raise ValidationError(_("A work is rated once it is completed."), code="state")
    _check_rate(actor, "rate")
    rating = WorkRating.objects.filter(work=locked, user=actor).first()
    created = rating is None
    if created:
        rating = WorkRating.objects.create(work=locked, user=actor, score=score, comment=comment)
    elif (rating.score, rating.comment) == (score, comment):
        _sync(work, locked)
        return rating, False
    else:
        rating.score, rating.comment = score, comment
        rating.save(update_fields=["score", "comment", "updated_at"])
    sums = WorkRating.objects.filter(work=locked).aggregate(n=Count("id"), total=Sum("score"))
    locked.ratings_count, locked.ratings_total = sums["n"], sums["total"] or 0
    locked.save(update_fields=["ratings_count", "ratings_total", "updated_at"])
    record_event(kind="construction.work_rated", actor=actor, subject=locked,
                 payload=_payload(locked, rating_id=rating.pk, score=score, changed=not created,
                                  ratings=locked.ratings_count, average=locked.rating))
    _sync(work, locked)
    return rating, created
