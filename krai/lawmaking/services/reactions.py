"""Writes of the government's reaction: the draft goes from the expertise to the responsible body, whose answer
is owed by a deadline as an assignment of the control engine (kind ``lawmaking``); the body's staff give the
reaction — adopted, adopted with changes, sent to the legislature, rejected with reasons — with the final act,
which reports and closes the assignment and the initiative."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.lawmaking import conf, policy
from krai.lawmaking.models import Initiative, Reaction, Stage
from krai.lawmaking.services import stages
from krai.orders import selectors as control_selectors
from krai.orders import services as control
from krai.orders.models import Assignment, Status

__all__ = ["reaction_give", "reaction_request"]

KIND = "lawmaking"
MAX_TEXT = 20_000
ACT_DECISIONS = (Reaction.Decision.ADOPTED, Reaction.Decision.ADOPTED_CHANGED)
REASONED_DECISIONS = (Reaction.Decision.REJECTED, Reaction.Decision.ADOPTED_CHANGED)


@transaction.atomic
def reaction_request(*, actor: Any, initiative: Initiative) -> Assignment:
    """Send the draft for the government's reaction (EXPERTISE → REACTION): the responsible body owes its answer
    in the configured working days, on control. ``actor=None`` is the expertise-deadline job."""
    if actor is not None:
        policy.ensure_signed_in(actor)
        if not policy.manages(actor, initiative):
            raise PermissionDenied(_("Only coordinators and the staff of the responsible body may send the draft "
                                     "for the reaction."))
    initiative = stages.lock(initiative)
    stages.require_stage(initiative, Stage.EXPERTISE,
                         message=_("The draft goes for the reaction from its expertise; the initiative is at "
                                   "“%(stage)s”.") % {"stage": initiative.get_stage_display()})
    assignment = control.control_open(
        actor=None, kind=KIND, subject=initiative,
        title=_("Reaction to the draft “%(title)s”") % {"title": initiative.title[:400]},
        text=_("Answer the draft act: adopt it, adopt it with changes, send it to the legislature, or reject it "
               "with reasons."),
        executor_organisation=initiative.responsible_body, working_days=conf.reaction_working_days())
    stages.enter(initiative, Stage.REACTION, actor=actor, due=assignment.deadline)
    record_event(kind="lawmaking.reaction_requested", actor=actor, subject=initiative,
                 payload=stages.payload(initiative, assignment_id=assignment.pk,
                                        due=assignment.deadline.isoformat()))
    return assignment


def _text(value: Any, field: str, limit: int) -> str:
    value = str(value or "").strip()
    if len(value) > limit:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": limit}}, code="too_long")
    return value


def _clean(*, decision: Any, reasons: Any, act_title: Any, act_number: Any, act_date: Any,
           act_url: Any) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if decision not in Reaction.Decision.values:
        raise ValidationError({"decision": _("Choose a decision from the list.")}, code="invalid")
    data = {"decision": decision, "reasons": _text(reasons, "reasons", MAX_TEXT),
            "act_title": _text(act_title, "act_title", 500), "act_number": _text(act_number, "act_number", 100),
            "act_url": _text(act_url, "act_url", 500), "act_date": act_date}
    if decision in REASONED_DECISIONS and not data["reasons"]:
        errors["reasons"] = (_("Give the reasons for rejecting the draft.") if decision == Reaction.Decision.REJECTED
                             else _("Say what was changed and why."))
    if decision in ACT_DECISIONS:
        if not data["act_number"]:
            errors["act_number"] = _("Give the number of the adopted act.")
        if act_date is None:
            errors["act_date"] = _("Give the date of the adopted act.")
    if act_date is not None:
        if not isinstance(act_date, date):
            errors["act_date"] = _("Enter a valid date.")
        elif act_date > timezone.localdate():
            errors["act_date"] = _("The act's date cannot be in the future.")
    if data["act_url"]:
        try:
            URLValidator(schemes=["http", "https"])(data["act_url"])
        except ValidationError:
            errors["act_url"] = _("Enter a link starting with http:// or https://.")
    if errors:
        raise ValidationError(errors)
    return data


def _summary(reaction_data: dict[str, Any]) -> str:
    label = Reaction.Decision(reaction_data["decision"]).label
    parts = [str(label)]
    if reaction_data["act_number"]:
        parts.append(_("Act № %(n)s") % {"n": reaction_data["act_number"]})
    if reaction_data["reasons"]:
        parts.append(reaction_data["reasons"])
    return "\n".join(parts)


@transaction.atomic
def reaction_give(*, actor: Any, initiative: Initiative, decision: str, reasons: str = "", act_title: str = "",
                  act_number: str = "", act_date: date | None = None, act_url: str = "") -> Reaction:
    """The responsible body's answer to the draft; only its own staff (who may report on its assignment) give
    it. Reports and closes the assignment, closes the initiative, and everyone who took part is told."""
    policy.ensure_signed_in(actor)
    initiative = stages.lock(initiative)
    stages.require_stage(initiative, Stage.REACTION,
                         message=_("A reaction is given only when the draft awaits it; the initiative is at "
                                   "“%(stage)s”.") % {"stage": initiative.get_stage_display()})
    assignment = control_selectors.control_for_subject(initiative)
    body = initiative.responsible_body
    if not policy.of_responsible_body(actor, initiative) or assignment is None \
            or not actor.has_perm("orders.report_assignment", assignment):
        raise PermissionDenied(_("Only the staff of the responsible body, %(body)s, may give the reaction to this "
                                 "draft.") % {"body": body.name})
    if assignment.status not in (Status.ISSUED, Status.IN_PROGRESS, Status.REPORTED):
        raise ValidationError(_("The reaction's assignment is no longer on control."), code="closed")
    data = _clean(decision=decision, reasons=reasons, act_title=act_title, act_number=act_number,
                  act_date=act_date, act_url=act_url)
    if assignment.status != Status.REPORTED:
        control.control_report(actor=actor, assignment=assignment, text=_summary(data))
    assignment = control.control_accept(actor=None, assignment=assignment)
    reaction = Reaction.objects.create(initiative=initiative, body=body, decided_by=actor, due=assignment.deadline,
                                       **data)
    stages.enter(initiative, Stage.CLOSED, actor=actor)
    record_event(kind="lawmaking.reaction_given", actor=actor, subject=initiative,
                 payload=stages.payload(initiative, reaction_id=reaction.pk, decision=reaction.decision,
                                        assignment_id=assignment.pk, due=assignment.deadline.isoformat(),
                                        on_time=reaction.on_time, act_number=reaction.act_number))
    return reaction
