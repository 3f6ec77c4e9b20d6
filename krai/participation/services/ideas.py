"""Writes of ideas campaigns: campaigns (staff), ideas and support (residents), moderation and answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.events.services import record_event
from krai.orders.services import control_open
from krai.participation.models import Campaign, Idea, IdeaSupport
from krai.participation.services._common import require, require_confirmed_resident

MAX_IDEA = 5000


def _clean_campaign(*, actor, title: str, topic: str, starts_on: dt.date, ends_on: dt.date, organisation,
                    municipality) -> None:
    errors: dict[str, Any] = {}
    if not (title or "").strip():
        errors["title"] = _("A campaign needs a title.")
    if not (topic or "").strip():
        errors["topic"] = _("Name the topic of the campaign.")
    if not starts_on or not ends_on or ends_on < starts_on:
        errors["ends_on"] = _("The campaign must end on or after the day it starts.")
    if organisation is not None and not actor.has_perm("org.view_organisation_internal", organisation):
        errors["organisation"] = _("You may run campaigns only for organisations within your scope.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def campaign_create(*, actor, title: str, topic: str, starts_on: dt.date, ends_on: dt.date, description: str = "",
                    municipality=None, organisation=None) -> Campaign:
    """Open a call for ideas on a topic, for the region or a municipality, between two dates."""
    require(actor, "participation.add_campaign", message=_("Only the organisers of a body may run campaigns."))
    _clean_campaign(actor=actor, title=title, topic=topic, starts_on=starts_on, ends_on=ends_on,
                    organisation=organisation, municipality=municipality)
    campaign = Campaign.objects.create(title=title.strip()[:300], topic=topic.strip()[:200],
                                       description=(description or "").strip(), municipality=municipality,
                                       organisation=organisation, starts_on=starts_on, ends_on=ends_on,
                                       created_by=actor)
    record_event(kind="participation.campaign_created", actor=actor, subject=campaign,
                 payload={"title": campaign.title, "starts_on": starts_on, "ends_on": ends_on})
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, **fields: Any) -> Campaign:
    """Change a campaign's texts or dates."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    require(actor, "participation.change_campaign", campaign, message=_("You do not run this campaign."))
    allowed = {"title", "topic", "description", "starts_on", "ends_on"}
    if set(fields) - allowed:
        raise ValidationError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(set(fields) - allowed))})
    merged = {name: fields.get(name, getattr(campaign, name)) for name in allowed}
    _clean_campaign(actor=actor, title=merged["title"], topic=merged["topic"], starts_on=merged["starts_on"],
                    ends_on=merged["ends_on"], organisation=None, municipality=None)
    for name, value in fields.items():
        setattr(campaign, name, value.strip() if isinstance(value, str) else value)
    campaign.save()
    record_event(kind="participation.campaign_updated", actor=actor, subject=campaign, payload=sorted(fields))
    return campaign


@transaction.atomic
def idea_suggest(*, actor, campaign: Campaign, title: str, body: str) -> Idea:
    """Suggest an idea in an open campaign; it shows to others once a moderator publishes it."""
    require_confirmed_resident(actor, verb=_("suggest an idea"))
    require(actor, "participation.suggest_idea", campaign)
    if not campaign.is_open():
        raise ValidationError(_("This campaign takes ideas from %(start)s to %(end)s.")
                              % {"start": campaign.starts_on.strftime("%d.%m.%Y"),
                                 "end": campaign.ends_on.strftime("%d.%m.%Y")}, code="closed")
    errors: dict[str, Any] = {}
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        errors["title"] = _("Give your idea a title.")
    elif len(title) > 200:
        errors["title"] = _("At most %(n)s characters.") % {"n": 200}
    if not body:
        errors["body"] = _("Describe your idea.")
    elif len(body) > MAX_IDEA:
        errors["body"] = _("At most %(n)s characters.") % {"n": MAX_IDEA}
    if errors:
        raise ValidationError(errors)
    idea = Idea.objects.create(campaign=campaign, author=actor, title=title, body=body)
    record_event(kind="participation.idea_suggested", actor=actor, subject=idea, payload={"campaign": campaign.pk})
    return idea


@transaction.atomic
def idea_support(*, actor, idea: Idea) -> IdeaSupport:
    """Support a published idea (once per resident; the database refuses a second)."""
    require_confirmed_resident(actor, verb=_("support an idea"))
    require(actor, "participation.support_idea", idea)
    idea = Idea.objects.select_related("campaign").get(pk=idea.pk)
    if idea.moderation != Idea.Moderation.PUBLISHED:
        raise ValidationError(_("Only a published idea can be supported."))
    if idea.author_id == actor.pk:
        raise ValidationError(_("Your own idea has your support already."))
    try:
        with transaction.atomic():
            support = IdeaSupport.objects.create(idea=idea, user=actor)
    except IntegrityError:
        raise ValidationError(_("You already support this idea."), code="already_supported") from None
    record_event(kind="participation.idea_supported", actor=actor, subject=idea, payload={})
    return support


@transaction.atomic
def idea_unsupport(*, actor, idea: Idea) -> None:
    require_confirmed_resident(actor, verb=_("support an idea"))
    deleted, _rows = IdeaSupport.objects.filter(idea=idea, user=actor).delete()
    if not deleted:
        raise ValidationError(_("You do not support this idea."))
    record_event(kind="participation.idea_support_withdrawn", actor=actor, subject=idea, payload={})


@transaction.atomic
def idea_moderate(*, actor, idea: Idea, decision: str, reason: str = "") -> Idea:
    """Publish a pending idea, or reject it with a reason the author sees."""
    idea = Idea.objects.select_for_update().select_related("campaign").get(pk=idea.pk)
    require(actor, "participation.moderate_idea", idea, message=_("You do not moderate this campaign."))
    reason = (reason or "").strip()
    if decision not in (Idea.Moderation.PUBLISHED, Idea.Moderation.REJECTED):
        raise ValidationError({"decision": _("Publish or reject.")})
    if decision == Idea.Moderation.REJECTED and not reason:
        raise ValidationError({"reason": _("Say why the idea is rejected: the author sees the reason.")})
    if idea.moderation == decision:
        raise ValidationError(_("The idea is already %(state)s.") % {"state": idea.get_moderation_display()})
    idea.moderation = decision
    idea.moderation_reason = reason if decision == Idea.Moderation.REJECTED else ""
    idea.moderated_by, idea.moderated_at = actor, timezone.now()
    idea.save()
    record_event(kind="participation.idea_moderated", actor=actor, subject=idea,
                 payload={"decision": decision, "reason": idea.moderation_reason})
    return idea


ANSWER_STATUSES = (Idea.Status.ACCEPTED, Idea.Status.IN_WORK, Idea.Status.IMPLEMENTED, Idea.Status.REJECTED)


@transaction.atomic
def idea_answer(*, actor, idea: Idea, status: str, answer: str) -> Idea:
    """Give a published idea its status with the official answer (a rejection must say why)."""
    idea = Idea.objects.select_for_update().select_related("campaign").get(pk=idea.pk)
    require(actor, "participation.answer_idea", idea, message=_("You do not answer this campaign's ideas."))
    answer = (answer or "").strip()
    if idea.moderation != Idea.Moderation.PUBLISHED:
        raise ValidationError(_("Only a published idea gets an answer."))
    if status not in ANSWER_STATUSES:
        raise ValidationError({"status": _("Choose accepted, in work, implemented or rejected.")})
    if not answer:
        raise ValidationError({"answer": _("Write the answer: for a rejection, the reason.")
                               if status == Idea.Status.REJECTED else _("Write the answer.")})
    previous = idea.status
    idea.status, idea.answer = status, answer
    idea.answered_by, idea.answered_at = actor, timezone.now()
    idea.save()
    record_event(kind="participation.idea_answered", actor=actor, subject=idea,
                 payload={"status": status, "previous": previous})
    return idea


#: the kind of the control engine's assignments opened from ideas
ORDER_KIND = "participation.idea"


@transaction.atomic
def idea_to_order(*, actor, idea: Idea, executor_organisation, deadline: dt.date | None = None,
                  working_days: int | None = None, text: str = "") -> Idea:
    """Turn an accepted idea into an order of the control engine: an assignment for ``executor_organisation``
    by a deadline (a date, or a number of working days). The idea goes "in work" and keeps the assignment's id.

    Refused for an idea that is not published, is rejected or implemented, or already has its order; the
    engine itself refuses an executor outside the actor's reach.
    """
    idea = Idea.objects.select_for_update().select_related("campaign").get(pk=idea.pk)
    require(actor, "participation.answer_idea", idea, message=_("You do not answer this campaign's ideas."))
    if idea.moderation != Idea.Moderation.PUBLISHED:
        raise ValidationError(_("Only a published idea can become an order."), code="not_published")
    if idea.status in (Idea.Status.REJECTED, Idea.Status.IMPLEMENTED):
        raise ValidationError(_("A rejected or implemented idea does not become an order."), code="closed")
    if idea.order_reference:
        raise ValidationError(_("This idea is already an order of the control engine."), code="already_open")
    if executor_organisation is None:
        raise ValidationError({"executor_organisation": _("Choose the organisation that will carry it out.")})
    body = (text or "").strip() or idea.body
    assignment = control_open(actor=actor, kind=ORDER_KIND, subject=idea, title=idea.title[:500],
                              executor_organisation=executor_organisation, deadline=deadline,
                              working_days=working_days, text=body,
                              issuer_organisation=idea.campaign.organisation)
    previous = idea.status
    idea.order_reference = str(assignment.pk)
    if idea.status in (Idea.Status.NEW, Idea.Status.ACCEPTED):
        idea.status = Idea.Status.IN_WORK
        if not idea.answer:
            idea.answer = str(_("The idea is taken into work: an order is given to %(org)s.")
                              % {"org": executor_organisation})
            idea.answered_by, idea.answered_at = actor, timezone.now()
    idea.save()
    record_event(kind="participation.idea_ordered", actor=actor, subject=idea,
                 payload={"assignment": assignment.pk, "executor_organisation": executor_organisation.pk,
                          "previous": previous})
    return idea
