"""Writes of the verification part: a resident files a request about a site (missing from the registry, or a
registered object differing from its approvals), which becomes an assignment of the inspection body on the control
engine (kind ``construction``) with its deadline; the inspector records the visit, the findings and the decision
(an illegal construction is entered into its registry at once); a keeper cancels a duplicate. The request keeps
following its assignment (another body, a new deadline). Every result is published. The checks of the input are
in ``_verification_checks``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.construction import conf, policy
from krai.construction.models import (
    Decision,
    IllegalConstruction,
    Inspection,
    Location,
    RequestStatus,
    Source,
    VerificationRequest,
)
from krai.construction.services._verification_checks import (
    FINDINGS_MAX,
    _check_photos,
    _check_rate,
    _clean_request,
    _floors,
    _locked,
    _open_assignment,
    _require_open,
    _text,
    _visit_date,
)
from krai.construction.services.history import record_change, snapshot
from krai.core.events.services import record_event
from krai.core.files.services import attachment_create
from krai.orders import services as control
from krai.orders.models import Assignment, Status

__all__ = ["request_cancel", "request_file", "request_follow_assignment", "request_inspect"]

KIND = "construction"
ILLEGAL_FIELDS = ("address", "municipality", "description", "found_on", "status", "source", "object")


def _attach(actor: Any, target: Any, photos: Sequence[Any]) -> int:
    for photo in photos:
        try:
            attachment_create(actor=actor, target=target, upload=photo, allowed_kinds=("image",))
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from None
    return len(photos)


# --- filing -------------------------------------------------------------------------------------------

def request_file(*, actor: Any, reason: str, address: str, lat: Any, lon: Any, description: str,
                 observed_floors: Any = None, construction_object: Any = None,
                 photos: Sequence[Any] = ()) -> VerificationRequest:
    """A confirmed resident asks to verify a site; the inspection body (the object's own, or the configured one)
    owes the answer by the deadline of its control-engine assignment. Photos are kept all or none. Records
    ``construction.request_filed``."""
    policy.ensure_signed_in(actor)
    if not actor.has_perm("construction.request_verification"):
        raise PermissionDenied(_("Confirm your e-mail address to request a verification."))
    data = _clean_request(reason=reason, address=address, lat=lat, lon=lon, description=description,
                          observed_floors=observed_floors, construction_object=construction_object)
    photos = list(photos or ())
    _check_photos(photos)
    body = (data["object"].inspection_body if data["object"] and data["object"].inspection_body_id
            else conf.default_inspection_body())
    _check_rate(actor)
    with transaction.atomic():
        request = VerificationRequest.objects.create(author=actor, inspection_body=body, **data)
        assignment = control.control_open(
            actor=None, kind=KIND, subject=request, executor_organisation=body,
            title=_("Verify the construction site: %(address)s (request № %(n)s)")
            % {"address": request.address[:300], "n": request.pk},
            text=_("A resident asks to verify the site: %(reason)s.") % {"reason": request.get_reason_display()},
            working_days=conf.verification_working_days())
        request.due_date = assignment.deadline
        request.save(update_fields=["due_date", "updated_at"])
        count = _attach(actor, request, photos)
        record_event(kind="construction.request_filed", actor=actor, subject=request, payload={
            "request_id": request.pk, "reason": request.reason, "object_id": request.object_id,
            "municipality_id": request.municipality_id, "inspection_body_id": body.pk,
            "assignment_id": assignment.pk, "due_date": assignment.deadline.isoformat(), "photos": count})
    return request


# --- the inspection -----------------------------------------------------------------------------------

def _illegal_from(*, actor: Any, request: VerificationRequest, inspection: Inspection) -> IllegalConstruction:
    illegal = IllegalConstruction.objects.create(
        address=request.address, lat=request.lat, lon=request.lon, location=Location.GIVEN,
        municipality=request.municipality, description=inspection.findings, found_on=inspection.visited_on,
        source=Source.INSPECTION, verification=request, object=request.object,
        created_by=actor if getattr(actor, "pk", None) else None)
    record_change(actor=actor, target=illegal, before={}, after=snapshot(illegal, ILLEGAL_FIELDS),
                  note=_("Found by the inspection of verification request № %(n)s.") % {"n": request.pk})
    record_event(kind="construction.illegal_created", actor=actor, subject=illegal, payload={
        "illegal_id": illegal.pk, "source": illegal.source, "verification_id": request.pk,
        "object_id": illegal.object_id, "municipality_id": illegal.municipality_id,
        "found_on": illegal.found_on.isoformat()})
    return illegal


def _close_assignment(actor: Any, request: VerificationRequest, inspection: Inspection) -> Assignment | None:
    assignment = _open_assignment(request)
    if assignment is None:
        return None
    if assignment.status in (Status.ISSUED, Status.IN_PROGRESS):
        # the inspector signs the report when the engine lets him; a keeper from elsewhere reports as the system
        reporter = actor if actor.has_perm("orders.report_assignment", assignment) else None
        control.control_report(actor=reporter, assignment=assignment, submitted_on=inspection.visited_on,
                               text=_("Inspected on %(d)s: %(decision)s.\n%(findings)s") % {
                                   "d": inspection.visited_on.strftime("%d.%m.%Y"),
                                   "decision": inspection.get_decision_display(),
                                   "findings": inspection.findings[:18_000]})
    return control.control_accept(actor=None, assignment=assignment)


def request_inspect(*, actor: Any, request: VerificationRequest, visited_on: Any, findings: str, decision: str,
                    floors_found: Any = None, photos: Sequence[Any] = ()) -> Inspection:
    """The inspection body's staff record the visit, the findings and the decision with photos; the request is
    verified, its assignment reported and accepted, and an illegal construction entered into its registry when
    found. Records ``construction.request_inspected`` (and ``construction.illegal_created``)."""
    policy.ensure_inspector(actor, request)
    photos = list(photos or ())
    with transaction.atomic():
        request = _locked(request)
        _require_open(request)
        errors: dict[str, Any] = {}
        values: dict[str, Any] = {}
        for name, check in (
                ("visited_on", lambda: _visit_date(visited_on, request)),
                ("findings", lambda: _text(findings, "findings", required=_("Write what the inspection found."),
                                           maximum=FINDINGS_MAX)),
                ("floors_found", lambda: _floors(floors_found, "floors_found"))):
            try:
                values[name] = check()
            except ValidationError as error:
                errors.update(error.error_dict)
        if decision not in Decision.values:
            errors["decision"] = [ValidationError(_("Choose the decision."), code="invalid")]
        if errors:
            raise ValidationError(errors)
        _check_photos(photos)
        inspection = Inspection.objects.create(request=request, inspector=actor, decision=decision, **values)
        count = _attach(actor, inspection, photos)
        request.status, request.resolved_at = RequestStatus.RESOLVED, timezone.now()
        request.save(update_fields=["status", "resolved_at", "updated_at"])
        assignment = _close_assignment(actor, request, inspection)
        illegal = (_illegal_from(actor=actor, request=request, inspection=inspection)
                   if decision == Decision.ILLEGAL else None)
        record_event(kind="construction.request_inspected", actor=actor, subject=request, payload={
            "request_id": request.pk, "inspection_id": inspection.pk, "decision": decision,
            "visited_on": inspection.visited_on.isoformat(), "floors_found": inspection.floors_found,
            "object_id": request.object_id, "illegal_id": illegal.pk if illegal else None,
            "assignment_id": assignment.pk if assignment else None, "photos": count,
            "on_time": bool(request.due_date is None or inspection.visited_on <= request.due_date)})
    return inspection


# --- cancelling, following the assignment -------------------------------------------------------------

@transaction.atomic
def request_cancel(*, actor: Any, request: VerificationRequest, reason: str) -> VerificationRequest:
    """A keeper of the registry cancels a request (a duplicate, not about construction) with a reason that is
    published and sent to the author; its assignment is cancelled. Records ``construction.request_cancelled``."""
    policy.ensure_keeper(actor)
    request = _locked(request)
    _require_open(request)
    reason = _text(reason, "reason", required=_("Say why the request is cancelled: the author is told."),
                   maximum=2000)
    before = snapshot(request, ("status",))
    request.status = RequestStatus.CANCELLED
    request.save(update_fields=["status", "updated_at"])
    record_change(actor=actor, target=request, before=before, after=snapshot(request, ("status",)), note=reason)
    assignment = _open_assignment(request)
    if assignment is not None:
        control.control_cancel(actor=None, assignment=assignment, reason=reason)
    record_event(kind="construction.request_cancelled", actor=actor, subject=request, payload={
        "request_id": request.pk, "reason": reason, "assignment_id": assignment.pk if assignment else None})
    return request


@transaction.atomic
def request_follow_assignment(*, request: VerificationRequest, assignment: Assignment) -> VerificationRequest:
    """Keep an open request true to its assignment (the system, after ``control.reassigned`` or a new deadline):
    the executor organisation is its inspection body, the deadline its due date. Records
    ``construction.request_followed`` when something moved."""
    request = _locked(request)
    if request.status != RequestStatus.OPEN or assignment.subject_id != str(request.pk) or assignment.parent_id:
        return request
    fields = ("inspection_body", "due_date")
    before = snapshot(request, fields)
    request.inspection_body_id = assignment.executor_organisation_id
    request.due_date = assignment.deadline
    changes = record_change(actor=None, target=request, before=before, after=snapshot(request, fields))
    if changes:
        request.save(update_fields=["inspection_body", "due_date", "updated_at"])
        record_event(kind="construction.request_followed", actor=None, subject=request, payload={
            "request_id": request.pk, "assignment_id": assignment.pk, "changes": changes,
            "inspection_body_id": request.inspection_body_id, "due_date": request.due_date.isoformat()})
    return request
