"""Writing court cases: register, change the stage, hearings, the outcome, reminders; each with its event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.core.notifications.services import notify
from krai.monitoring.findings import finding_to_order
from krai.monitoring.lawsuits.models import CourtCase, Hearing, Stage, StageChange
from krai.orders.models import Assignment

FIELDS = ("number", "court", "instance", "category", "our_side", "other_parties", "amount_claimed", "description")


def _check(actor, perm: str, obj) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not change this court case."))


def _reminder_days() -> int:
    return int(getattr(settings, "KRAI_LAWSUIT_REMINDER_DAYS", 7))


@transaction.atomic
def case_create(*, actor, organisation, number: str, court: str, our_side: str, filed_on: dt.date,
                lawyer=None, check: bool = True, **fields) -> CourtCase:
    if check:
        _check(actor, "lawsuits.add_courtcase", organisation)
    number, court = (number or "").strip(), (court or "").strip()
    if not number or not court:
        raise ValidationError({"number": _("A case needs its number and court.")})
    if CourtCase.objects.filter(number=number, court=court).exists():
        raise ValidationError({"number": _("This case is registered already.")})
    if lawyer is not None and not lawyer.is_staff:
        raise ValidationError({"lawyer": _("The lawyer must be a member of staff.")})
    case = CourtCase(organisation=organisation, number=number[:100], court=court[:300], our_side=our_side,
                     filed_on=filed_on, lawyer=lawyer, stage_changed_on=filed_on,
                     **{k: v for k, v in fields.items() if k in FIELDS and v is not None})
    case.full_clean(exclude=["stage_changed_on"])
    case.save()
    StageChange.objects.create(case=case, stage=Stage.FILED, on=filed_on, actor=actor)
    record_event(kind="lawsuits.case_created", actor=actor, subject=case,
                 payload={"number": case.number, "organisation": organisation.code, "category": case.category})
    return case


@transaction.atomic
def case_change_stage(*, actor, case: CourtCase, stage: str, on: dt.date | None = None, note: str = "") -> CourtCase:
    _check(actor, "lawsuits.change_courtcase", case)
    if stage not in Stage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    if stage == case.stage:
        raise ValidationError({"stage": _("The case is at this stage already.")})
    on = on or timezone.localdate()
    StageChange.objects.create(case=case, stage=stage, on=on, note=(note or "")[:500], actor=actor)
    case.stage, case.stage_changed_on = stage, on
    case.closed_on = on if stage == Stage.CLOSED else None
    case.save(update_fields=["stage", "stage_changed_on", "closed_on"])
    record_event(kind="lawsuits.stage_changed", actor=actor, subject=case,
                 payload={"stage": stage, "on": on.isoformat()})
    return case


@transaction.atomic
def case_record_outcome(*, actor, case: CourtCase, outcome: str, amount_awarded: Decimal | None = None) -> CourtCase:
    _check(actor, "lawsuits.change_courtcase", case)
    if outcome not in CourtCase.Outcome.values:
        raise ValidationError({"outcome": _("Unknown outcome.")})
    if amount_awarded is not None and Decimal(str(amount_awarded)) < 0:
        raise ValidationError({"amount_awarded": _("An amount cannot be negative.")})
    case.outcome, case.amount_awarded = outcome, amount_awarded
    case.save(update_fields=["outcome", "amount_awarded"])
    record_event(kind="lawsuits.outcome_recorded", actor=actor, subject=case,
                 payload={"outcome": outcome, "amount_awarded": str(amount_awarded) if amount_awarded is not None
                          else None})
    return case


@transaction.atomic
def hearing_add(*, actor, case: CourtCase, starts_at: dt.datetime, room: str = "") -> Hearing:
    _check(actor, "lawsuits.change_courtcase", case)
    if not case.is_open:
        raise ValidationError(_("The case is closed."))
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    hearing = Hearing.objects.create(case=case, starts_at=starts_at, room=(room or "")[:100])
    if case.stage == Stage.FILED:
        case_change_stage(actor=actor, case=case, stage=Stage.HEARINGS)
    record_event(kind="lawsuits.hearing_added", actor=actor, subject=hearing,
                 payload={"case": case.pk, "starts_at": starts_at.isoformat()})
    return hearing


@transaction.atomic
def hearing_record_result(*, actor, hearing: Hearing, result: str) -> Hearing:
    _check(actor, "lawsuits.change_courtcase", hearing.case)
    hearing.result = (result or "").strip()[:500]
    hearing.save(update_fields=["result"])
    record_event(kind="lawsuits.hearing_result", actor=actor, subject=hearing, payload={"case": hearing.case_id})
    return hearing


@transaction.atomic
def case_to_order(*, actor, case: CourtCase, working_days: int = 10) -> Assignment:
    """A case with no next step becomes an order to its organisation: decide the next step."""
    title = _("Court case № %(number)s (%(court)s): no next step — decide it") % {"number": case.number,
                                                                                  "court": case.court}
    assignment = finding_to_order(actor=actor, kind="monitoring.lawsuit", subject=case, title=title,
                                  executor_organisation=case.organisation, working_days=working_days)
    record_event(kind="lawsuits.case_ordered", actor=actor, subject=case, payload={"assignment": assignment.pk})
    return assignment


@transaction.atomic
def send_hearing_reminders(*, now: dt.datetime | None = None) -> int:
    """Tell each lawyer of his hearings N days ahead and the day before; flags keep it to once each."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    early = today + dt.timedelta(days=_reminder_days())
    sent = 0
    hearings = (Hearing.objects.select_for_update(of=("self",)).select_related("case", "case__lawyer")
                .filter(starts_at__gt=now, case__lawyer__isnull=False, case__stage__in=[
                    s for s in Stage.values if s != Stage.CLOSED])
                .exclude(reminded_early=True, reminded_day=True))
    for hearing in hearings:
        day = timezone.localdate(hearing.starts_at)
        flag = None
        if day <= today + dt.timedelta(days=1) and not hearing.reminded_day:
            flag = "reminded_day"
        elif day <= early and not hearing.reminded_early:
            flag = "reminded_early"
        if flag is None:
            continue
        Hearing.objects.filter(pk=hearing.pk).update(**{"reminded_early": True, flag: True})
        event = record_event(kind="lawsuits.hearing_reminded", actor=None, subject=hearing,
                             payload={"case": hearing.case_id, "which": flag})
        notify(users=[hearing.case.lawyer], kind="lawsuits.hearing", event=event,
               title=_("Hearing on %(when)s: case № %(number)s") % {
                   "when": timezone.localtime(hearing.starts_at).strftime("%d.%m.%Y %H:%M"),
                   "number": hearing.case.number},
               body=f"{hearing.case.court}{', ' + hearing.room if hearing.room else ''}",
               url=reverse("monitoring:lawsuits:case", args=[hearing.case_id]))
        sent += 1
    return sent
