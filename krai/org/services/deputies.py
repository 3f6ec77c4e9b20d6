"""Temporary deputies: an administrator appoints a member of staff to act for another over a period of days, changes
its end or ends it early; the deputy switches his session to acting for the principal and back.

Appointing, changing and ending need ``administration.manage_deputies`` (a permission's name, so the structure need
not import the administration above it). A period is whole days, both ends included, from today at the earliest and
at most ``KRAI_DEPUTYSHIP_MAX_DAYS`` long. The same pair may not have two deputyships at once, and two people may not
act for each other at the same time. The principal and the deputy are told (in their own language), and every
change is an event (the audit trail). A deputy starting or stopping to act is an event too: the trail then shows
when his session used the principal's rights, besides each thing he did (marked with him, ``krai.core.acting``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext_lazy as _

from krai.core.events.services import record_event
from krai.core.notifications.services import notify
from krai.org.models import Deputyship, User

MANAGE = "administration.manage_deputies"
REASON_MAX = 300


def _require(actor: Any) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.has_perm(MANAGE):
        raise PermissionDenied(_("Only an administrator may appoint and end temporary deputyships."))


def _today() -> date:
    return timezone.localdate()


def _max_days() -> int:
    return int(getattr(settings, "KRAI_DEPUTYSHIP_MAX_DAYS", 366))


def _day(value: date) -> str:
    return formats.date_format(value, "d.m.Y")


def _overlapping(starts_on: date, ends_on: date) -> Q:
    """Deputyships still standing (not ended early) whose period shares a day with ``starts_on``…``ends_on``."""
    return Q(ended_at__isnull=True, starts_on__lte=ends_on, ends_on__gte=starts_on)


def _check_period(errors: dict[str, list[Any]], *, principal: User, deputy: User, starts_on: date, ends_on: date,
                  exclude_pk: int | None = None) -> None:
    """The period's own limits, then the pair's other deputyships (the same way, and the other way round)."""
    if ends_on < starts_on:
        errors.setdefault("ends_on", []).append(_("The end comes before the start."))
        return
    length = (ends_on - starts_on).days + 1
    if length > _max_days():
        errors.setdefault("ends_on", []).append(
            _("A deputyship lasts at most %(days)d days; this one would last %(length)d.")
            % {"days": _max_days(), "length": length})
        return
    others = Deputyship.objects.filter(_overlapping(starts_on, ends_on)).exclude(pk=exclude_pk)
    same = others.filter(principal=principal, deputy=deputy).order_by("starts_on").first()
    if same is not None:
        errors.setdefault("starts_on", []).append(
            _("%(deputy)s already acts for %(principal)s from %(start)s to %(end)s: change that deputyship "
              "instead.") % {"deputy": deputy.short_name, "principal": principal.short_name,
                             "start": _day(same.starts_on), "end": _day(same.ends_on)})
    back = others.filter(principal=deputy, deputy=principal).order_by("starts_on").first()
    if back is not None:
        errors.setdefault("deputy", []).append(
            _("%(principal)s acts for %(deputy)s from %(start)s to %(end)s: two people cannot act for each other "
              "at the same time.") % {"deputy": deputy.short_name, "principal": principal.short_name,
                                      "start": _day(back.starts_on), "end": _day(back.ends_on)})


def _lock_pair(*people: User) -> None:
    """Serialise the checks of one pair against concurrent appointments (their rows, in one order)."""
    list(User.objects.select_for_update().filter(pk__in=sorted({p.pk for p in people})).order_by("pk"))


def _tell(deputyship: Deputyship, event: Any, kind: str, *, to_deputy: Any, to_principal: Any) -> None:
    """Tell the deputy and the principal, each in his own language (the texts are lazy, translated here)."""
    try:
        url = reverse("accounts:acting")
    except NoReverseMatch:
        url = ""
    params = {"deputy": deputyship.deputy.short_name, "principal": deputyship.principal.short_name,
              "start": _day(deputyship.starts_on), "end": _day(deputyship.ends_on)}
    for person, text, link in ((deputyship.deputy, to_deputy, url), (deputyship.principal, to_principal, "")):
        with translation.override(getattr(person, "preferred_language", "") or settings.LANGUAGE_CODE):
            body = str(_("Reason: %(reason)s") % {"reason": deputyship.reason}) if deputyship.reason else ""
            notify(users=[person], kind=kind, title=str(text) % params, body=body, url=link, event=event)


# --- appointing, changing, ending -------------------------------------------------------------------------

@transaction.atomic
def deputyship_appoint(*, actor: Any, principal: User | None, deputy: User | None, starts_on: date | None,
                       ends_on: date | None, reason: str = "") -> Deputyship:
    """``deputy`` acts for ``principal`` from ``starts_on`` to ``ends_on`` (both included), for ``reason``."""
    _require(actor)
    errors: dict[str, list[Any]] = {}
    if principal is None:
        errors["principal"] = [_("Choose whom the deputy acts for.")]
    elif not (principal.is_active and principal.is_staff):
        errors["principal"] = [_("Only an active member of staff can have a deputy.")]
    if deputy is None:
        errors["deputy"] = [_("Choose the deputy.")]
    elif not (deputy.is_active and deputy.is_staff):
        errors["deputy"] = [_("Only an active member of staff can be a deputy.")]
    elif principal is not None and deputy.pk == principal.pk:
        errors["deputy"] = [_("A person cannot be his own deputy.")]
    elif deputy.pk == actor.pk:
        errors["deputy"] = [_("You cannot appoint yourself a deputy: another administrator must.")]
    if starts_on is None:
        errors["starts_on"] = [_("Give the first day.")]
    elif starts_on < _today():
        errors["starts_on"] = [_("A deputyship cannot start in the past (today at the earliest).")]
    if ends_on is None:
        errors["ends_on"] = [_("Give the last day.")]
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        errors["reason"] = [_("At most %(n)d characters.") % {"n": REASON_MAX}]
    if errors:
        raise ValidationError(errors)
    _lock_pair(principal, deputy)
    _check_period(errors, principal=principal, deputy=deputy, starts_on=starts_on, ends_on=ends_on)
    if errors:
        raise ValidationError(errors)
    deputyship = Deputyship.objects.create(principal=principal, deputy=deputy, starts_on=starts_on, ends_on=ends_on,
                                           reason=reason, created_by=actor)
    event = record_event(kind="org.deputy_appointed", actor=actor, subject=deputyship,
                         payload={"principal": principal.pk, "deputy": deputy.pk, "starts_on": starts_on,
                                  "ends_on": ends_on, "reason": reason})
    _tell(deputyship, event, "org.deputy_appointed",
          to_deputy=_("You will act for %(principal)s from %(start)s to %(end)s"),
          to_principal=_("%(deputy)s will act for you from %(start)s to %(end)s"))
    return deputyship


def _changeable(deputyship: Deputyship) -> Deputyship:
    deputyship = Deputyship.objects.select_for_update().get(pk=deputyship.pk)
    if deputyship.ended_at is not None:
        raise ValidationError(_("This deputyship has already been ended."), code="ended")
    if deputyship.ends_on < _today():
        raise ValidationError(_("This deputyship is over: its period has passed."), code="over")
    return Deputyship.objects.select_related("principal", "deputy").get(pk=deputyship.pk)


@transaction.atomic
def deputyship_change_end(*, actor: Any, deputyship: Deputyship, ends_on: date | None) -> Deputyship:
    """Move the last day of a deputyship not yet over: later (within the longest period) or earlier (today at the
    earliest; ending it now is ``deputyship_end``)."""
    _require(actor)
    deputyship = _changeable(deputyship)
    if ends_on is None:
        raise ValidationError({"ends_on": [_("Give the last day.")]})
    if ends_on < _today():
        raise ValidationError({"ends_on": [_("The last day cannot be in the past (today at the earliest).")]})
    if ends_on == deputyship.ends_on:
        return deputyship
    errors: dict[str, list[Any]] = {}
    _lock_pair(deputyship.principal, deputyship.deputy)
    _check_period(errors, principal=deputyship.principal, deputy=deputyship.deputy, starts_on=deputyship.starts_on,
                  ends_on=ends_on, exclude_pk=deputyship.pk)
    if errors:
        # a clash with another deputyship is about the end asked for: show it there
        raise ValidationError({"ends_on": [message for messages in errors.values() for message in messages]})
    before = deputyship.ends_on
    deputyship.ends_on = ends_on
    deputyship.save(update_fields=["ends_on", "updated_at"])
    event = record_event(kind="org.deputyship_changed", actor=actor, subject=deputyship,
                         payload={"principal": deputyship.principal_id, "deputy": deputyship.deputy_id,
                                  "ends_on": [before, ends_on]})
    _tell(deputyship, event, "org.deputyship_changed",
          to_deputy=_("You act for %(principal)s until %(end)s now"),
          to_principal=_("%(deputy)s acts for you until %(end)s now"))
    return deputyship


@transaction.atomic
def deputyship_end(*, actor: Any, deputyship: Deputyship) -> Deputyship:
    """End a deputyship now (or call off one not yet begun): the deputy's switch drops at his next request."""
    _require(actor)
    deputyship = _changeable(deputyship)
    deputyship.ended_at, deputyship.ended_by = timezone.now(), actor
    deputyship.save(update_fields=["ended_at", "ended_by", "updated_at"])
    event = record_event(kind="org.deputyship_ended", actor=actor, subject=deputyship,
                         payload={"principal": deputyship.principal_id, "deputy": deputyship.deputy_id,
                                  "starts_on": deputyship.starts_on, "ends_on": deputyship.ends_on})
    _tell(deputyship, event, "org.deputyship_ended",
          to_deputy=_("You no longer act for %(principal)s: the deputyship is ended"),
          to_principal=_("%(deputy)s no longer acts for you: the deputyship is ended"))
    return deputyship


# --- the deputy's switch --------------------------------------------------------------------------------

def _in_force_for(actor: Any, deputyship: Deputyship) -> Deputyship:
    deputyship = Deputyship.objects.select_related("principal").get(pk=deputyship.pk)
    if actor is None or not getattr(actor, "is_authenticated", False) or deputyship.deputy_id != actor.pk:
        raise PermissionDenied(_("You are not the deputy of this deputyship."))
    principal = deputyship.principal
    if not deputyship.in_force(_today()) or not (principal.is_active and principal.is_staff):
        raise ValidationError(_("This deputyship is not in force today."), code="not_in_force")
    return deputyship


@transaction.atomic
def acting_start(*, actor: Any, deputyship: Deputyship) -> Deputyship:
    """The deputy starts acting for the principal (his session switches; ``krai.accounts.acting`` keeps it)."""
    deputyship = _in_force_for(actor, deputyship)
    record_event(kind="org.acting_started", actor=actor, subject=deputyship,
                 payload={"principal": deputyship.principal_id, "ends_on": deputyship.ends_on})
    return deputyship


@transaction.atomic
def acting_stop(*, actor: Any, deputyship: Deputyship) -> None:
    """The deputy stops acting for the principal (his session acts for himself again)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or deputyship.deputy_id != actor.pk:
        raise PermissionDenied(_("You are not the deputy of this deputyship."))
    record_event(kind="org.acting_stopped", actor=actor, subject=deputyship,
                 payload={"principal": deputyship.principal_id})
