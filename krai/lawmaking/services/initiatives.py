"""Writes of an initiative as such: proposing a concept and changing it while it waits, and the coordinators'
moderation (approve → the idea discussion, refuse → stopped, never published). The staff's later moves (the
discussion → the draft, stopping, the editor) are in ``services.moves``.

Every function checks who acts (``policy``), validates (a ``ValidationError`` naming the field), writes in one
transaction with its event; stage changes go through ``services.stages.enter`` only. The initiator is told of
approval, refusal and stopping by ``subscribers_initiatives`` (reacting to the events recorded here).

Setting (with its default): ``KRAI_LAWMAKING_PROPOSAL_RATE`` ("5/d": at most 5 concepts a day per person;
"/m", "/h", "/d"; honours ``RATELIMIT_ENABLE``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core import ratelimit
from krai.core.events.services import record_event
from krai.lawmaking import conf, policy
from krai.lawmaking.limits import RateLimited
from krai.lawmaking.models import Initiative, InitiatorKind, Level, Stage
from krai.lawmaking.services import stages
from krai.org.models import Municipality, Organisation
from krai.org.scopes import scope_for
from krai.social.models import ExpertiseField, Profile
from krai.social.selectors.profiles import is_verified_expert

__all__ = ["initiative_approve", "initiative_create", "initiative_refuse", "initiative_update"]

TITLE_MAX = Initiative._meta.get_field("title").max_length
TEXT_MAX = 20000  # the problem and the proposal: a concept, not the whole act (the draft comes later)
REASON_MAX = stages.REASON_MAX
FIELDS_MAX = 5
EDITABLE = ("title", "problem", "proposal", "level", "municipality", "responsible_body", "fields")


# --- checks ----------------------------------------------------------------------------------------

def _ensure_proposer(actor: Any) -> None:
    policy.ensure_signed_in(actor)
    if not getattr(actor, "email_confirmed", False):
        raise PermissionDenied(_("Confirm your e-mail address to propose an initiative."))


def _ensure_coordinator(actor: Any) -> None:
    policy.ensure_signed_in(actor)
    if not policy.is_coordinator(actor):
        raise PermissionDenied(_("Only the coordinators of law-making moderate concepts."))


def _text(name: str, value: Any, *, limit: int, required: bool = True, one_line: bool = False) -> str:
    value = str(value or "").replace("\r\n", "\n").strip()
    if one_line:
        value = " ".join(value.split())
    if required and not value:
        raise ValidationError({name: ValidationError(_("This field is required."), code="required")})
    if len(value) > limit:
        raise ValidationError({name: ValidationError(
            _("At most %(limit)s characters (this one has %(length)s).") % {"limit": limit, "length": len(value)},
            code="max_length")})
    return value


def _instance(model: type, value: Any) -> Any:
    """``value`` as a row of ``model`` (a row, or its id), active; ``None`` when there is none."""
    if value is None or value == "":
        return None
    if isinstance(value, model):
        pk = value.pk
    else:
        try:
            pk = int(value)
        except (TypeError, ValueError):
            return None
    return model.objects.filter(pk=pk, is_active=True).first()


def _clean_place(level: Any, municipality: Any, body: Any) -> tuple[str, Municipality | None, Organisation]:
    if level not in Level.values:
        raise ValidationError({"level": ValidationError(_("Choose the level: regional or municipal."),
                                                        code="invalid")})
    errors: dict[str, ValidationError] = {}
    place = _instance(Municipality, municipality)
    if level == Level.MUNICIPAL and place is None:
        errors["municipality"] = ValidationError(
            _("A municipal act needs its municipality: choose it from the list."), code="required")
    if level == Level.REGIONAL and municipality not in (None, ""):
        errors["municipality"] = ValidationError(
            _("A regional act applies to the whole region: leave the municipality empty."), code="invalid")
    organisation = _instance(Organisation, body)
    if organisation is None:
        errors["responsible_body"] = ValidationError(
            _("Choose the responsible body from the list of the region's bodies."), code="invalid")
    if errors:
        raise ValidationError(errors)
    return str(level), place, organisation


def _clean_fields(values: Iterable[Any]) -> list[ExpertiseField]:
    wanted = {getattr(value, "pk", value) for value in values or ()}
    if not wanted:
        return []
    if len(wanted) > FIELDS_MAX:
        raise ValidationError({"fields": ValidationError(
            _("Choose at most %(limit)s subjects.") % {"limit": FIELDS_MAX}, code="max_fields")})
    try:
        found = list(ExpertiseField.objects.filter(pk__in=wanted, is_active=True))
    except (TypeError, ValueError):
        found = []
    if len(found) != len(wanted):
        raise ValidationError({"fields": ValidationError(_("Choose subjects from the list."), code="invalid")})
    return found


def _initiator(actor: Any, body: Organisation) -> tuple[str, Organisation | None]:
    """Who proposes: a staff member for his body (the responsible body if he is in it, else his own
    organisation), a public organisation's account, a verified expert, or a resident."""
    if getattr(actor, "is_staff", False):
        paths = scope_for(actor).org_paths
        if any(body.path.startswith(path) for path in paths):
            return InitiatorKind.BODY, body
        if paths:
            own = Organisation.objects.filter(path=paths[0]).first()
            if own is not None:
                return InitiatorKind.BODY, own
    profile = Profile.objects.filter(user_id=actor.pk).only("kind", "organisation").first()
    if profile is not None and profile.kind == Profile.Kind.ORGANISATION:
        return InitiatorKind.ORGANISATION, profile.organisation
    if is_verified_expert(actor):
        return InitiatorKind.EXPERT, None
    return InitiatorKind.RESIDENT, None


def _check_rate(actor: Any) -> None:
    limit, seconds = ratelimit.rate(getattr(settings, "KRAI_LAWMAKING_PROPOSAL_RATE", "5/d"), "d")
    if not ratelimit.within("lawmaking:propose", actor.pk, limit, seconds):
        raise RateLimited(_("You have proposed too many initiatives today. Please try again tomorrow."),
                          code="rate_limited")


# --- the concept -----------------------------------------------------------------------------------

def initiative_create(*, actor: Any, title: Any, problem: Any, proposal: Any, level: Any, municipality: Any,
                      responsible_body: Any, fields: Iterable[Any] = ()) -> Initiative:
    """Propose a concept: it waits for the coordinators' moderation, seen only by its initiator and those who
    manage it. Records ``lawmaking.initiative_created``."""
    _ensure_proposer(actor)
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for name, value, limit, one_line in (("title", title, TITLE_MAX, True), ("problem", problem, TEXT_MAX, False),
                                         ("proposal", proposal, TEXT_MAX, False)):
        try:
            values[name] = _text(name, value, limit=limit, one_line=one_line)
        except ValidationError as exc:
            errors.update(exc.error_dict)
    try:
        level, place, body = _clean_place(level, municipality, responsible_body)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    try:
        subjects = _clean_fields(fields)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    _check_rate(actor)
    kind, on_behalf = _initiator(actor, body)
    with transaction.atomic():
        now = timezone.now()
        initiative = Initiative.objects.create(
            **values, level=level, municipality=place, responsible_body=body, initiator=actor, initiator_kind=kind,
            initiator_organisation=on_behalf, stage=Stage.CONCEPT, stage_started_at=now, support_threshold=0)
        initiative.fields.set(subjects)
        initiative.stage_entries.create(stage=Stage.CONCEPT, entered_at=now, actor=actor)
        record_event(kind="lawmaking.initiative_created", actor=actor, subject=initiative,
                     payload=stages.payload(initiative, initiator_kind=kind,
                                            municipality_id=initiative.municipality_id,
                                            field_ids=[f.pk for f in subjects]))
    return initiative


@transaction.atomic
def initiative_update(*, actor: Any, initiative: Initiative, **changes: Any) -> Initiative:
    """Change a concept while it waits for moderation (its initiator only). Fields: ``EDITABLE``; records
    ``lawmaking.initiative_updated`` with the names changed."""
    policy.ensure_signed_in(actor)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    row = stages.lock(initiative)
    if row.initiator_id != actor.pk:
        raise PermissionDenied(_("Only the initiator changes the concept."))
    stages.require_stage(row, Stage.CONCEPT, message=_("The concept can be changed only while it awaits "
                                                       "moderation."))
    errors: dict[str, Any] = {}
    updates: dict[str, Any] = {}
    for name, limit, one_line in (("title", TITLE_MAX, True), ("problem", TEXT_MAX, False),
                                  ("proposal", TEXT_MAX, False)):
        if name in changes:
            try:
                updates[name] = _text(name, changes[name], limit=limit, one_line=one_line)
            except ValidationError as exc:
                errors.update(exc.error_dict)
    if {"level", "municipality", "responsible_body"} & set(changes):
        level = changes.get("level", row.level)
        municipality = changes.get("municipality", row.municipality_id)
        if "level" in changes and changes["level"] == Level.REGIONAL and "municipality" not in changes:
            municipality = None  # switching to regional drops the municipality chosen before
        try:
            updates["level"], updates["municipality"], updates["responsible_body"] = _clean_place(
                level, municipality, changes.get("responsible_body", row.responsible_body_id))
        except ValidationError as exc:
            errors.update(exc.error_dict)
    subjects = None
    if "fields" in changes:
        try:
            subjects = _clean_fields(changes["fields"])
        except ValidationError as exc:
            errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    changed = [name for name, value in updates.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, updates[name])
    if "responsible_body" in changed and row.initiator_kind == InitiatorKind.BODY:
        row.initiator_kind, row.initiator_organisation = _initiator(actor, row.responsible_body)
    if subjects is not None and {f.pk for f in subjects} != set(row.fields.values_list("pk", flat=True)):
        row.fields.set(subjects)
        changed.append("fields")
    if changed:
        row.save()
        record_event(kind="lawmaking.initiative_updated", actor=actor, subject=row,
                     payload=stages.payload(row, changed=changed))
    return row


# --- moderation ------------------------------------------------------------------------------------

@transaction.atomic
def initiative_approve(*, actor: Any, initiative: Initiative, note: str = "") -> Initiative:
    """Publish a concept: the idea discussion opens for ``conf.discussion_days()`` with the support threshold of
    the settings. Records ``lawmaking.initiative_approved`` (and the stage change)."""
    _ensure_coordinator(actor)
    row = stages.lock(initiative)
    stages.require_stage(row, Stage.CONCEPT, message=_("Only a concept awaiting moderation can be approved."))
    note = str(note or "").strip()[:REASON_MAX]
    row.published_at = timezone.now()
    row.support_threshold = conf.support_threshold()
    row.save(update_fields=["published_at", "support_threshold", "updated_at"])
    due = timezone.localdate() + timedelta(days=conf.discussion_days())
    stages.enter(row, Stage.DISCUSSION, actor=actor, due=due, note=note)
    record_event(kind="lawmaking.initiative_approved", actor=actor, subject=row,
                 payload=stages.payload(row, note=note[:500]))
    return row


@transaction.atomic
def initiative_refuse(*, actor: Any, initiative: Initiative, reason: Any) -> Initiative:
    """Refuse a concept at moderation: it stops, never published, and the initiator reads why. Records
    ``lawmaking.initiative_refused``."""
    _ensure_coordinator(actor)
    reason = stages.clean_reason(reason)
    row = stages.lock(initiative)
    stages.require_stage(row, Stage.CONCEPT, message=_("Only a concept awaiting moderation can be refused."))
    stages.enter(row, Stage.STOPPED, actor=actor, note=reason)
    record_event(kind="lawmaking.initiative_refused", actor=actor, subject=row,
                 payload=stages.payload(row, reason=reason[:500]))
    return row
