"""The verification part's reactions to events and what it registers with the kernel: the author is told when
his request is verified (the decision, with the link) or cancelled (the reason); an open request follows its
control-engine assignment (``control.reassigned`` moves it to the new executor organisation, a new deadline moves
its due date); the part's erasure and "download my data" (``krai.construction.erasure``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from krai.construction.erasure import verification_erase_person, verification_export
from krai.construction.models import Inspection, VerificationRequest
from krai.construction.services import verification as services
from krai.core.events.registry import subscriber
from krai.core.notifications.services import notify
from krai.core.privacy import register_eraser, register_exporter
from krai.orders.models import Assignment

register_eraser("construction.verification", verification_erase_person)
register_exporter("construction.verification", verification_export)

TOLD = ["construction.request_inspected", "construction.request_cancelled"]
FOLLOWED = ["control.reassigned", "control.extended", "control.rescheduled"]
SUBJECT_TYPE = "construction.verificationrequest"


def _title(kind: str, request: VerificationRequest) -> str:
    if kind == "construction.request_cancelled":
        return _("Your verification request № %(n)s was cancelled") % {"n": request.pk}
    try:
        decision = request.inspection.get_decision_display()
    except Inspection.DoesNotExist:
        decision = request.get_status_display()
    return _("Your verification request № %(n)s is verified: %(decision)s") % {"n": request.pk,
                                                                              "decision": decision}


def _body(kind: str, request: VerificationRequest, payload: dict[str, Any]) -> str:
    if kind == "construction.request_cancelled":
        return str(payload.get("reason") or "")
    try:
        inspection = request.inspection
    except Inspection.DoesNotExist:
        return ""
    visit = _("Visited on %(d)s.") % {"d": inspection.visited_on.strftime("%d.%m.%Y")}
    return f"{visit}\n{inspection.findings[:2000]}"


@subscriber("construction.verification.notify", kinds=TOLD)
def tell_author(event: Any) -> None:
    request = (VerificationRequest.objects.select_related("author", "inspection")
               .filter(pk=event.subject_id).first())
    if request is None or request.author is None:
        return
    author = request.author
    if event.actor_id is not None and event.actor_id == author.pk:
        return  # he did it himself
    with override(getattr(author, "preferred_language", "") or settings.LANGUAGE_CODE):
        notify(users=[author], kind=event.kind, title=_title(event.kind, request),
               body=_body(event.kind, request, event.payload or {}), url=request.get_absolute_url(), event=event)


@subscriber("construction.verification.control", kinds=FOLLOWED)
def follow_assignment(event: Any) -> None:
    payload = event.payload or {}
    if payload.get("kind") != services.KIND or payload.get("subject_type") != SUBJECT_TYPE:
        return
    request = VerificationRequest.objects.filter(pk=payload.get("subject_id")).first()
    assignment = Assignment.objects.filter(pk=payload.get("assignment_id"), parent__isnull=True).first()
    if request is None or assignment is None:
        return
    services.request_follow_assignment(request=request, assignment=assignment)
