"""Verifying where a resident lives: asked with a document, decided by staff, or asserted by an identity provider.

A profile's home municipality is what the resident typed; ``residence_verified`` says someone answerable
checked it. Polls and priority votes limited to a municipality read only a verified residence, so these
three writes are the only ways to become verified (an edit of the profile's municipality drops it,
``krai.accounts.services.profile_update``). Every decision is an event (the audit trail) and a
notification to the resident.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.events.services import record_event
from krai.core.files.services import attachment_create
from krai.core.notifications.services import notify
from krai.org.models import Municipality, ResidenceRequest, User

#: a residence document is a scan or a photo: an extract of registration, a passport's registration page
DOCUMENT_KINDS = ("image", "pdf")
NOTE_MAX = 500


def _tell(request: ResidenceRequest, event: Any, title: Any, body: str = "") -> None:
    notify(users=[request.user], kind="org.residence", title=str(title), body=body,
           url=reverse("accounts:residence"), event=event)


@transaction.atomic
def residence_request(*, actor: Any, municipality: Municipality | None, document: Any,
                      note: str = "") -> ResidenceRequest:
    """A resident asks to have his residence in ``municipality`` verified, with a document (image or PDF).

    The profile stays as it is until staff verify; a request still waiting is replaced by the new one.
    """
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise PermissionDenied(_("Sign in to ask for the verification of your residence."))
    if not getattr(actor, "email_confirmed", False):
        raise PermissionDenied(_("Confirm your e-mail address first."))
    errors: dict[str, list[Any]] = {}
    if municipality is None:
        errors["municipality"] = [_("Choose the municipality you live in.")]
    elif not municipality.is_active:
        errors["municipality"] = [_("This municipality is no longer active.")]
    if not document:
        errors["document"] = [_("Attach a document that shows where you live (a scan or a photo).")]
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = [_("At most %(n)d characters.") % {"n": NOTE_MAX}]
    if errors:
        raise ValidationError(errors)
    user = User.objects.select_for_update().get(pk=actor.pk)
    replaced = list(ResidenceRequest.objects.select_for_update()
                    .filter(user=user, status=ResidenceRequest.Status.PENDING).values_list("pk", flat=True))
    ResidenceRequest.objects.filter(pk__in=replaced).update(status=ResidenceRequest.Status.WITHDRAWN,
                                                             decided_at=timezone.now())
    request = ResidenceRequest.objects.create(user=user, municipality=municipality, note=note)
    try:
        attachment_create(actor=actor, target=request, upload=document, allowed_kinds=DOCUMENT_KINDS)
    except ValidationError as exc:
        raise ValidationError({"document": exc.messages}) from None
    record_event(kind="org.residence_requested", actor=actor, subject=request,
                 payload={"municipality": municipality.pk, "replaced": replaced})
    return request


def _decidable(actor: Any, request: ResidenceRequest) -> ResidenceRequest:
    request = ResidenceRequest.objects.select_for_update().select_related("user", "municipality").get(pk=request.pk)
    if actor is None or not actor.has_perm("org.verify_residencerequest", request):
        raise PermissionDenied(_("Only the municipality's administration, the Department of Control or an "
                                 "administrator may decide on a residence."))
    if request.user_id == actor.pk:
        raise PermissionDenied(_("Nobody verifies his own residence."))
    if request.status != ResidenceRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided (%(status)s).")
                              % {"status": request.get_status_display()}, code="decided")
    return request


@transaction.atomic
def residence_verify(*, actor: Any, request: ResidenceRequest) -> ResidenceRequest:
    """Staff confirm the document: the resident's home municipality becomes the requested one, verified."""
    request = _decidable(actor, request)
    user = User.objects.select_for_update().get(pk=request.user_id)
    before = user.home_municipality_id
    user.home_municipality_id, user.residence_verified = request.municipality_id, True
    user.save(update_fields=["home_municipality", "residence_verified"])
    request.status, request.decided_at, request.decided_by = ResidenceRequest.Status.VERIFIED, timezone.now(), actor
    request.save(update_fields=["status", "decided_at", "decided_by"])
    event = record_event(kind="org.residence_verified", actor=actor, subject=request,
                         payload={"user": user.pk, "municipality": request.municipality_id,
                                  "home_municipality": [before, request.municipality_id]})
    _tell(request, event, _("Your residence in %(name)s is verified") % {"name": request.municipality.name})
    return request


@transaction.atomic
def residence_refuse(*, actor: Any, request: ResidenceRequest, reason: str) -> ResidenceRequest:
    """Staff refuse the request, saying why (the resident reads the reason and may ask again)."""
    request = _decidable(actor, request)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why the residence is not verified: the resident reads it.")]})
    request.status, request.reason = ResidenceRequest.Status.REFUSED, reason
    request.decided_at, request.decided_by = timezone.now(), actor
    request.save(update_fields=["status", "reason", "decided_at", "decided_by"])
    event = record_event(kind="org.residence_refused", actor=actor, subject=request,
                         payload={"user": request.user_id, "municipality": request.municipality_id})
    _tell(request, event, _("Your residence is not verified"), body=reason)
    return request


@transaction.atomic
def residence_assert_by_provider(*, user: Any, provider: str, municipality: Municipality) -> ResidenceRequest | None:
    """An identity provider asserted where ``user`` lives (OpenID Connect claim): that counts as verified.

    Called at each login through the provider; nothing is written when it already says so.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.residence_verified and user.home_municipality_id == municipality.pk:
        return None
    if not municipality.is_active:
        return None
    before = user.home_municipality_id
    user.home_municipality, user.residence_verified = municipality, True
    user.save(update_fields=["home_municipality", "residence_verified"])
    ResidenceRequest.objects.filter(user=user, status=ResidenceRequest.Status.PENDING).update(
        status=ResidenceRequest.Status.WITHDRAWN, decided_at=timezone.now())
    request = ResidenceRequest.objects.create(
        user=user, municipality=municipality, status=ResidenceRequest.Status.VERIFIED,
        source=ResidenceRequest.Source.PROVIDER, provider=provider[:100], decided_at=timezone.now())
    record_event(kind="org.residence_asserted", actor=None, subject=request,
                 payload={"user": user.pk, "provider": provider, "home_municipality": [before, municipality.pk]})
    return request
