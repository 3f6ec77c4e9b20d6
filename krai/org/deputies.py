"""Reading temporary deputyships (``org.Deputyship``): which are in force, coming or past, whether a person may act
for another today, and what a deputy did while he acted.

Everything is counted in whole days of the installation's time zone (``timezone.localdate``): a deputyship from the
1st to the 5th is in force on both days. One ended early (``ended_at``) is in force no more from that moment, and
counts with the past ones. Pages and the API of the administration read through here; the lists are the
administrators' (``administration.manage_deputies``, checked by the callers), a deputy's own options are his.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from krai.core.audit.models import AuditEntry
from krai.org.models import Deputyship, User

RELATED = ("principal", "deputy", "created_by", "ended_by")


def today() -> date:
    return timezone.localdate()


def _all() -> QuerySet[Deputyship]:
    return Deputyship.objects.select_related(*RELATED)


def in_force(on: date | None = None) -> QuerySet[Deputyship]:
    """The deputyships in force on ``on`` (today), the soonest to end first."""
    on = on or today()
    return _all().filter(ended_at__isnull=True, starts_on__lte=on, ends_on__gte=on).order_by("ends_on", "pk")


def coming(on: date | None = None) -> QuerySet[Deputyship]:
    """The deputyships that start after ``on`` (today) and were not called off, the soonest first."""
    on = on or today()
    return _all().filter(ended_at__isnull=True, starts_on__gt=on).order_by("starts_on", "pk")


def past(on: date | None = None) -> QuerySet[Deputyship]:
    """The deputyships over by ``on`` (today) or ended early, the latest first."""
    on = on or today()
    return _all().filter(Q(ends_on__lt=on) | Q(ended_at__isnull=False)).order_by("-ends_on", "-pk")


def deputyship_get(pk: Any) -> Deputyship:
    """One deputyship, or 404 (the callers check the reader's permission first)."""
    found = _all().filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise Http404
    return found


def acting_options(deputy: Any, on: date | None = None) -> list[Deputyship]:
    """Whom ``deputy`` may act for on ``on`` (today): the deputyships in force for him, with an active member of
    staff as the principal, the soonest to end first."""
    if deputy is None or not getattr(deputy, "is_authenticated", False) or not deputy.is_active:
        return []
    return list(in_force(on).filter(deputy_id=deputy.pk, principal__is_active=True, principal__is_staff=True))


def acting_in_force(*, deputy: Any, pk: Any, on: date | None = None) -> Deputyship | None:
    """The deputyship ``pk`` if ``deputy`` may act by it on ``on`` (today), else None."""
    if not str(pk).isdigit():
        return None
    return next((item for item in acting_options(deputy, on) if item.pk == int(pk)), None)


def may_act_for(deputy: Any, principal: Any, on: date | None = None) -> Deputyship | None:
    """The deputyship by which ``deputy`` may act for ``principal`` on ``on`` (today), or None."""
    return next((item for item in acting_options(deputy, on) if item.principal_id == principal.pk), None)


def for_person(person: User, on: date | None = None) -> QuerySet[Deputyship]:
    """A person's deputyships in force or coming, as the principal or as the deputy (his access page shows them)."""
    on = on or today()
    return (_all().filter(Q(principal=person) | Q(deputy=person), ended_at__isnull=True, ends_on__gte=on)
            .order_by("starts_on", "pk"))


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def acted_window(deputyship: Deputyship) -> tuple[datetime, datetime]:
    """The moments between which the deputy could act by ``deputyship``: from its first day's start to its last
    day's end, or to the moment it was ended early."""
    last = min(deputyship.ends_on, date.max - timedelta(days=1))  # the calendar's last day has no day after it
    start, end = _day_start(deputyship.starts_on), _day_start(last + timedelta(days=1))
    if deputyship.ended_at is not None:
        end = max(start, min(end, deputyship.ended_at))
    return start, end


def done_while_acting(deputyship: Deputyship) -> QuerySet[AuditEntry]:
    """What the deputy did for the principal by this deputyship (the audit trail's entries marked with him as the
    deputy and the principal as the actor, in its period), the latest first."""
    start, end = acted_window(deputyship)
    return (AuditEntry.objects.filter(deputy_id=deputyship.deputy_id, actor_id=deputyship.principal_id,
                                      occurred_at__gte=start, occurred_at__lt=end)
            .select_related("subject_type").order_by("-occurred_at", "-id"))
