"""Writes of the expertise: experts of the registry invited by field (or by name) to review the draft by a
deadline, their structured reviews (one each, editable until the deadline), declines, hiding a review, and the
reminder before the deadline. Each write records its event in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.lawmaking import policy
from krai.lawmaking.models import Initiative, Invitation, Review, Stage
from krai.lawmaking.selectors.expertise import default_due
from krai.lawmaking.selectors.initiatives import current_version
from krai.lawmaking.services import stages
from krai.social.models import ExpertiseField
from krai.social.selectors.profiles import display_name, is_verified_expert
from krai.social.selectors.profiles import experts as registry_experts

__all__ = ["expert_invite", "expertise_start", "invitation_decline", "review_hide", "review_remind", "review_submit",
           "review_update"]

MAX_TEXT = 20_000
MAX_REASON = 500


def _ensure_manager(actor: Any, initiative: Initiative) -> None:
    policy.ensure_signed_in(actor)
    if not policy.manages(actor, initiative):
        raise PermissionDenied(_("Only coordinators and the staff of the responsible body manage the expertise."))


def _name(user: Any) -> str:
    return display_name(user)


def _clean_due(due: Any) -> date:
    today = timezone.localdate()
    if due is None:
        return default_due(today)
    if not isinstance(due, date):
        raise ValidationError({"due": _("Enter a valid date.")}, code="invalid")
    if due <= today:
        raise ValidationError({"due": _("The deadline for reviews must be in the future.")}, code="due_past")
    return due


def _check_expert(user: Any, field: str = "experts") -> None:
    if not is_verified_expert(user):
        raise ValidationError({field: _("%(name)s is not a verified expert of the registry.") % {"name": _name(user)}},
                              code="not_expert")


def _invite(initiative: Initiative, *, expert: Any, field: ExpertiseField | None, actor: Any, due: date) -> Invitation:
    invitation = Invitation.objects.create(initiative=initiative, expert=expert, field=field, invited_by=actor,
                                           due=due)
    record_event(kind="lawmaking.expert_invited", actor=actor, subject=invitation,
                 payload=stages.payload(initiative, invitation_id=invitation.pk, expert_id=expert.pk,
                                        field=field.code if field else None, due=due.isoformat()))
    return invitation


@transaction.atomic
def expertise_start(*, actor: Any, initiative: Initiative, due: date | None = None,
                    fields: Iterable[ExpertiseField] = (), experts: Iterable[Any] = ()) -> list[Invitation]:
    """Move the draft from its elaboration to the expertise: invite every verified expert of ``fields`` (the
    initiative's subjects by default) and the ``experts`` chosen by name, each to review by ``due``."""
    _ensure_manager(actor, initiative)
    initiative = stages.lock(initiative)
    stages.require_stage(initiative, Stage.ELABORATION,
                         message=_("The expertise starts from the draft's elaboration; the initiative is at "
                                   "“%(stage)s”.") % {"stage": initiative.get_stage_display()})
    version = current_version(initiative)
    if version is None:
        raise ValidationError(_("The draft has no text yet: write its first version before the expertise."),
                              code="no_version")
    due = _clean_due(due)
    chosen_fields = list(fields) or list(initiative.fields.all())
    if any(not isinstance(f, ExpertiseField) or not f.is_active for f in chosen_fields):
        raise ValidationError({"fields": _("Choose fields of expertise from the list.")}, code="invalid")
    people: dict[int, tuple[Any, ExpertiseField | None]] = {}
    for item in chosen_fields:
        for profile in registry_experts(field=item).select_related("user"):
            if profile.user.is_active:
                people.setdefault(profile.user_id, (profile.user, item))
    for user in experts:
        _check_expert(user)
        people.setdefault(user.pk, (user, None))
    if not people:
        raise ValidationError({"experts": _("No verified expert to invite: choose experts, or fields that have "
                                            "verified experts.")}, code="no_experts")
    stages.enter(initiative, Stage.EXPERTISE, actor=actor, due=due)
    invitations = [_invite(initiative, expert=user, field=item, actor=actor, due=due)
                   for user, item in people.values()]
    record_event(kind="lawmaking.expertise_started", actor=actor, subject=initiative,
                 payload=stages.payload(initiative, due=due.isoformat(), version_id=version.pk,
                                        fields=[f.code for f in chosen_fields],
                                        invitation_ids=[i.pk for i in invitations]))
    return invitations


@transaction.atomic
def expert_invite(*, actor: Any, initiative: Initiative, expert: Any,
                  field: ExpertiseField | None = None) -> Invitation:
    """Invite one more verified expert while the expertise goes on, to review by the same deadline."""
    _ensure_manager(actor, initiative)
    initiative = stages.lock(initiative)
    stages.require_stage(initiative, Stage.EXPERTISE,
                         message=_("Experts are invited only while the expertise goes on."))
    due = initiative.stage_due
    if due is None or due < timezone.localdate():
        raise ValidationError(_("The deadline for reviews has passed: no more experts can be invited."),
                              code="deadline_passed")
    _check_expert(expert, "expert")
    if field is not None and (not isinstance(field, ExpertiseField) or not field.is_active):
        raise ValidationError({"field": _("Choose a field of expertise from the list.")}, code="invalid")
    if Invitation.objects.filter(initiative=initiative, expert_id=expert.pk).exists():
        raise ValidationError({"expert": _("%(name)s is already invited.") % {"name": _name(expert)}},
                              code="duplicate")
    return _invite(initiative, expert=expert, field=field, actor=actor, due=due)


@transaction.atomic
def invitation_decline(*, actor: Any, invitation: Invitation, reason: str) -> Invitation:
    """The invited expert declines to review (saying why) while the expertise goes on."""
    policy.ensure_signed_in(actor)
    invitation = Invitation.objects.select_for_update().select_related("initiative").get(pk=invitation.pk)
    if invitation.expert_id != actor.pk:
        raise PermissionDenied(_("Only the invited expert may decline the invitation."))
    stages.require_stage(invitation.initiative, Stage.EXPERTISE,
                         message=_("The expertise is over: there is nothing to decline."))
    if invitation.status != Invitation.Status.INVITED:
        raise ValidationError(_("The invitation is already answered (%(status)s).")
                              % {"status": invitation.get_status_display()}, code="answered")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why you decline.")}, code="required")
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("At most %(n)s characters.") % {"n": MAX_REASON}}, code="too_long")
    invitation.status, invitation.decline_reason = Invitation.Status.DECLINED, reason
    invitation.save(update_fields=["status", "decline_reason"])
    record_event(kind="lawmaking.invitation_declined", actor=actor, subject=invitation,
                 payload=stages.payload(invitation.initiative, invitation_id=invitation.pk))
    return invitation


def _text(value: Any, field: str, *, required: bool) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")}, code="required")
    if len(value) > MAX_TEXT:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": MAX_TEXT}}, code="too_long")
    return value


def _clean_review(*, conclusion: Any, summary: Any, risks: Any, corruption_risks_found: Any,
                  corruption_findings: Any, proposals: Any) -> dict[str, Any]:
    if conclusion not in Review.Conclusion.values:
        raise ValidationError({"conclusion": _("Choose a conclusion from the list.")}, code="invalid")
    found = bool(corruption_risks_found)
    data = {"conclusion": conclusion, "summary": _text(summary, "summary", required=True),
            "risks": _text(risks, "risks", required=False), "corruption_risks_found": found,
            "corruption_findings": _text(corruption_findings, "corruption_findings", required=found),
            "proposals": _text(proposals, "proposals", required=False)}
    if not found:
        data["corruption_findings"] = ""
    return data


def _require_open_for_reviews(initiative: Initiative, due: date) -> None:
    stages.require_stage(initiative, Stage.EXPERTISE,
                         message=_("Reviews are accepted only while the expertise goes on; the initiative is at "
                                   "“%(stage)s”.") % {"stage": initiative.get_stage_display()})
    if timezone.localdate() > due:
        raise ValidationError(_("The deadline for reviews was %(date)s: a review can no longer be submitted or "
                                "changed.") % {"date": due.strftime("%d.%m.%Y")}, code="deadline_passed")


@transaction.atomic
def review_submit(*, actor: Any, initiative: Initiative, conclusion: str, summary: str, risks: str = "",
                  corruption_risks_found: bool = False, corruption_findings: str = "",
                  proposals: str = "") -> Review:
    """An invited, verified expert's review of the draft's current version, by the deadline; one per expert."""
    policy.ensure_signed_in(actor)
    initiative = stages.lock(initiative)
    invitation = Invitation.objects.select_for_update().filter(initiative=initiative, expert_id=actor.pk).first()
    if invitation is None:
        raise PermissionDenied(_("Only experts invited to this expertise may review the draft."))
    if not is_verified_expert(actor):
        raise PermissionDenied(_("Only a verified expert of the registry may review the draft."))
    _require_open_for_reviews(initiative, invitation.due)
    if Review.objects.filter(initiative=initiative, expert_id=actor.pk).exists():
        raise ValidationError(_("You have already submitted your review: change it instead of writing a second "
                                "one."), code="duplicate")
    if invitation.status == Invitation.Status.DECLINED:
        raise ValidationError(_("You declined this invitation."), code="declined")
    data = _clean_review(conclusion=conclusion, summary=summary, risks=risks,
                         corruption_risks_found=corruption_risks_found, corruption_findings=corruption_findings,
                         proposals=proposals)
    version = current_version(initiative)
    if version is None:
        raise ValidationError(_("The draft has no text to review."), code="no_version")
    review = Review.objects.create(initiative=initiative, version=version, expert=actor, field=invitation.field,
                                   **data)
    invitation.status = Invitation.Status.REVIEWED
    invitation.save(update_fields=["status"])
    record_event(kind="lawmaking.review_submitted", actor=actor, subject=review,
                 payload=stages.payload(initiative, review_id=review.pk, version_id=version.pk,
                                        conclusion=review.conclusion,
                                        corruption_risks_found=review.corruption_risks_found))
    return review


@transaction.atomic
def review_update(*, actor: Any, review: Review, conclusion: str, summary: str, risks: str = "",
                  corruption_risks_found: bool = False, corruption_findings: str = "",
                  proposals: str = "") -> Review:
    """The expert changes his own review before the deadline (it then reviews the current version)."""
    policy.ensure_signed_in(actor)
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.expert_id != actor.pk:
        raise PermissionDenied(_("Only its author may change a review."))
    if not is_verified_expert(actor):
        raise PermissionDenied(_("Only a verified expert of the registry may review the draft."))
    initiative = stages.lock(review.initiative)
    invitation = Invitation.objects.filter(initiative=initiative, expert_id=actor.pk).first()
    _require_open_for_reviews(initiative, invitation.due if invitation else (initiative.stage_due or date.min))
    data = _clean_review(conclusion=conclusion, summary=summary, risks=risks,
                         corruption_risks_found=corruption_risks_found, corruption_findings=corruption_findings,
                         proposals=proposals)
    changed = [name for name, value in data.items() if getattr(review, name) != value]
    version = current_version(initiative)
    if version is not None and version.pk != review.version_id:
        review.version = version
        changed.append("version")
    if not changed:
        return review
    for name, value in data.items():
        setattr(review, name, value)
    review.save(update_fields=changed)
    record_event(kind="lawmaking.review_updated", actor=actor, subject=review,
                 payload=stages.payload(initiative, review_id=review.pk, version_id=review.version_id,
                                        fields=changed))
    return review


@transaction.atomic
def review_hide(*, actor: Any, review: Review, reason: str) -> Review:
    """A coordinator hides a review from the public (the reason is kept; its author still sees it)."""
    policy.ensure_signed_in(actor)
    if not policy.is_coordinator(actor):
        raise PermissionDenied(_("Only coordinators of law-making may hide a review."))
    review = Review.objects.select_for_update().select_related("initiative").get(pk=review.pk)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": _("Say why the review is hidden.")}, code="required")
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": _("At most %(n)s characters.") % {"n": MAX_REASON}}, code="too_long")
    if review.hidden_at is not None:
        raise ValidationError(_("The review is already hidden."), code="hidden")
    review.hidden_at, review.hidden_reason = timezone.now(), reason
    review.save(update_fields=["hidden_at", "hidden_reason"])
    record_event(kind="lawmaking.review_hidden", actor=actor, subject=review,
                 payload=stages.payload(review.initiative, review_id=review.pk, reason=reason))
    return review


@transaction.atomic
def review_remind(*, invitation: Invitation) -> bool:
    """Remind an invited expert who has not reviewed yet that the deadline is near — once per invitation and
    deadline (the event is the record that it was sent; its subscriber tells the expert)."""
    from django.contrib.contenttypes.models import ContentType

    from krai.core.events.models import Event

    invitation = Invitation.objects.select_for_update().select_related("initiative").get(pk=invitation.pk)
    if invitation.status != Invitation.Status.INVITED or invitation.initiative.stage != Stage.EXPERTISE:
        return False
    sent = Event.objects.filter(kind="lawmaking.expert_reminded",
                                subject_type=ContentType.objects.get_for_model(Invitation),
                                subject_id=str(invitation.pk), payload__due=invitation.due.isoformat())
    if sent.exists():
        return False
    record_event(kind="lawmaking.expert_reminded", actor=None, subject=invitation,
                 payload=stages.payload(invitation.initiative, invitation_id=invitation.pk,
                                        expert_id=invitation.expert_id, due=invitation.due.isoformat()))
    return True
