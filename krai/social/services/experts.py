"""Writes of the expert registry: applications with credentials and documents, their verification by staff
(the first verified credential makes a person a verified expert and gives him the structure's expert role, in
the same transaction), rejection with a note, and withdrawal of the status. Each decision is an event (the
audit trail) and is told to the person."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krai.core.events.services import record_event
from krai.core.files import services as files
from krai.org.models import Role, RoleAssignment, ScopeKind
from krai.social import policy
from krai.social.models import Credential, ExpertiseField, Profile
from krai.social.services.profiles import _profile_row, _tell

__all__ = ["credential_reject", "credential_verify", "expert_apply", "expert_revoke"]

DOCUMENT_KINDS = ("pdf", "image")


def _expert_role(user: Any, *, held: bool) -> None:
    """Give or take the structure's expert role (scope: himself), which the areas' rules know."""
    assignments = RoleAssignment.objects.filter(user_id=user.pk, role=Role.EXPERT, scope=ScopeKind.SELF)
    if held and not assignments.exists():
        RoleAssignment.objects.create(user_id=user.pk, role=Role.EXPERT, scope=ScopeKind.SELF)
    elif not held:
        assignments.delete()
    user.__dict__.pop("_krai_scope", None)


# --- the expert registry ---------------------------------------------------------------------------

def _clean_credential(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    kind = data.get("kind")
    title = " ".join(str(data.get("title") or "").split())
    issuer = " ".join(str(data.get("issuer") or "").split())
    year = data.get("year")
    if kind not in Credential.Kind.values:
        errors["kind"] = _("Choose a kind of credential from the list.")
    if not 1 <= len(title) <= 300:
        errors["title"] = _("Name the credential (up to 300 characters).")
    if len(issuer) > 300:
        errors["issuer"] = _("At most %(n)s characters.") % {"n": 300}
    if year not in (None, ""):
        try:
            year = int(year)
        except (TypeError, ValueError):
            year = -1
        if not 1940 <= year <= timezone.now().year:
            errors["year"] = _("Enter a year between 1940 and this year.")
    else:
        year = None
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "title": title, "issuer": issuer, "year": year}


@transaction.atomic
def expert_apply(*, actor: Any, fields: Iterable[ExpertiseField], credential: dict[str, Any] | None = None,
                 documents: Iterable[Any] = ()) -> Profile:
    """Apply to the expert registry (or add to an application): the fields of expertise, and a credential
    (``kind``, ``title``, ``issuer``, ``year``) with documents seen only by the person and the verifiers.

    The profile waits for verification (``pending``) unless he is a verified expert already.
    """
    policy.ensure_may_act(actor)
    chosen = list(fields)
    if not chosen or any(not f.is_active for f in chosen):
        raise ValidationError({"fields": _("Choose at least one field of expertise from the list.")})
    documents = list(documents)
    cleaned = _clean_credential(credential) if credential else None
    profile = _profile_row(actor)
    waiting = profile.credentials.filter(status__in=[Credential.Status.PENDING, Credential.Status.VERIFIED])
    if cleaned is None and (documents or not waiting.exists()):
        raise ValidationError({"title": _("Add a credential: a degree, a position, a membership or a "
                                          "certificate that proves your expertise.")})
    profile.expertise.set(chosen)
    added = None
    if cleaned is not None:
        added = Credential.objects.create(profile=profile, **cleaned)
        for document in documents:
            files.attachment_create(actor=actor, target=added, upload=document, allowed_kinds=DOCUMENT_KINDS)
    if profile.expert_status != Profile.ExpertStatus.VERIFIED and (added or waiting.exists()):
        profile.expert_status = Profile.ExpertStatus.PENDING
        profile.save(update_fields=["expert_status", "updated_at"])
    record_event(kind="social.expert_applied", actor=actor, subject=profile, payload={
        "fields": sorted(f.code for f in chosen), "credential": added.pk if added else None,
        "documents": len(documents), "status": profile.expert_status})
    return profile


def _require_verifier(actor: Any) -> None:
    if not policy.is_expert_verifier(actor):
        raise PermissionDenied(_("Experts are verified by the community's moderators."))


def _pending(credential: Credential, actor: Any) -> Credential:
    credential = Credential.objects.select_for_update().select_related("profile__user").get(pk=credential.pk)
    if credential.status != Credential.Status.PENDING:
        raise ValidationError(_("This credential has already been reviewed."), code="reviewed")
    if credential.profile_id == actor.pk:
        raise PermissionDenied(_("You cannot review your own credential."))
    return credential


@transaction.atomic
def credential_verify(*, actor: Any, credential: Credential, note: str = "") -> Credential:
    """Verify a credential; the first one makes the person a verified expert. He is told."""
    _require_verifier(actor)
    credential = _pending(credential, actor)
    now = timezone.now()
    credential.status, credential.reviewed_by, credential.reviewed_at = Credential.Status.VERIFIED, actor, now
    credential.review_note = str(note or "").strip()
    credential.save()
    profile = Profile.objects.select_for_update().get(pk=credential.profile_id)
    became = profile.expert_status != Profile.ExpertStatus.VERIFIED
    if became:
        profile.expert_status = Profile.ExpertStatus.VERIFIED
        profile.expert_verified_at, profile.expert_verified_by = now, actor
        profile.save()
        _expert_role(profile.user, held=True)
    event = record_event(kind="social.credential_verified", actor=actor, subject=credential,
                         payload={"profile": profile.pk, "expert_verified": became})
    _tell(profile.user, kind="social.credential_verified",
          title=gettext_lazy("Your credential is verified: %(title)s"), params={"title": credential.title},
          event=event, body=credential.review_note, url=reverse("social:expert_apply"))
    return credential


@transaction.atomic
def credential_reject(*, actor: Any, credential: Credential, note: str) -> Credential:
    """Reject a credential with a note the person reads; with nothing else left to verify his application
    goes back to where it was before."""
    _require_verifier(actor)
    note = str(note or "").strip()
    if not note:
        raise ValidationError({"note": _("Write why: the person reads it.")})
    credential = _pending(credential, actor)
    credential.status, credential.reviewed_by, credential.reviewed_at = (Credential.Status.REJECTED, actor,
                                                                         timezone.now())
    credential.review_note = note
    credential.save()
    profile = Profile.objects.select_for_update().get(pk=credential.profile_id)
    if profile.expert_status == Profile.ExpertStatus.PENDING \
            and not profile.credentials.filter(status=Credential.Status.PENDING).exists():
        profile.expert_status = (Profile.ExpertStatus.REVOKED if profile.expert_verified_at
                                 else Profile.ExpertStatus.NONE)
        profile.save(update_fields=["expert_status", "updated_at"])
    event = record_event(kind="social.credential_rejected", actor=actor, subject=credential,
                         payload={"profile": profile.pk, "status": profile.expert_status})
    _tell(profile.user, kind="social.credential_rejected",
          title=gettext_lazy("Your credential is not verified: %(title)s"), params={"title": credential.title},
          event=event, body=note, url=reverse("social:expert_apply"))
    return credential


@transaction.atomic
def expert_revoke(*, actor: Any, user: Any, reason: str) -> Profile:
    """Withdraw a verified expert's status, with the reason he reads."""
    _require_verifier(actor)
    reason = str(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write why: the person reads it.")})
    profile = Profile.objects.select_for_update().filter(pk=user.pk).first()
    if profile is None or profile.expert_status != Profile.ExpertStatus.VERIFIED:
        raise ValidationError(_("This person is not a verified expert."), code="not_expert")
    profile.expert_status = Profile.ExpertStatus.REVOKED
    profile.save(update_fields=["expert_status", "updated_at"])
    _expert_role(user, held=False)
    event = record_event(kind="social.expert_revoked", actor=actor, subject=profile, payload={"reason": reason})
    _tell(user, kind="social.expert_revoked", title=gettext_lazy("Your expert status is withdrawn"), params={},
          event=event, body=reason, url=reverse("social:expert_apply"))
    return profile
