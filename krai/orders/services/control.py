"""The control engine: put anything on control, delegate it down, report, accept or return, extend, cancel.

Every function is keyword-only and atomic; with an ``actor`` it checks the actor's permission
(``orders.<verb>_assignment``), with ``actor=None`` it is the system acting for an area service that
already checked permission. Each writes a ``Transition`` (the legal history) and a ``control.*`` event
whose payload carries the assignment id, its kind, its subject, status and deadline.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.core.notifications.services import notify
from krai.core.workcalendar.selectors import add_working_days, previous_working_day
from krai.orders.models import OPEN_STATUSES, Assignment, Extension, Report, Status, Transition
from krai.orders.services._report_photos import _attach_photos, _check_photos

MAX_TEXT = 20_000
_quiet = contextvars.ContextVar("krai_orders_quiet", default=False)


@contextlib.contextmanager
def quiet():
    """Write without notifying anyone (the demo loader, the benchmark's generator, bulk imports)."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


# --- helpers ------------------------------------------------------------------------------------------

def _check(actor, perm: str, obj, message: str) -> None:
    if actor is None:
        return
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def _today(today: date | None) -> date:
    return today or timezone.localdate()


def _text(value: str, field: str, *, required: bool, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")}, code="required")
    if len(value) > limit:
        raise ValidationError({field: _("The text is too long (at most %(n)d characters).") % {"n": limit}},
                              code="too_long")
    return value


def _organisation(value, field: str, *, required: bool = True):
    from krai.org.models import Organisation

    if value is None:
        if required:
            raise ValidationError({field: _("Choose an organisation.")}, code="required")
        return None
    if not isinstance(value, Organisation) or not value.is_active:
        raise ValidationError({field: _("Choose an active organisation.")}, code="invalid")
    return value


def _person(value, field: str):
    if value is None:
        return None
    if not getattr(value, "is_active", False) or not getattr(value, "is_staff", False):
        raise ValidationError({field: _("The executor must be an active member of staff.")}, code="invalid")
    return value


def _body_id(organisation) -> int:
    head = organisation.path.split(".", 1)[0] if organisation.path else ""
    return int(head) if head.isdigit() else organisation.pk


def _place(assignment: Assignment, organisation, user) -> None:
    assignment.executor_organisation = organisation
    assignment.executor_user = user
    assignment.block_id = organisation.block_id
    assignment.body_id = _body_id(organisation)


def resolve_deadline(*, deadline: date | None, working_days: int | None, issued_on: date) -> date:
    """Exactly one of ``deadline`` / ``working_days``; a day off moves back to the previous working day."""
    if (deadline is None) == (working_days is None):
        raise ValidationError({"deadline": _("Give either a deadline or a number of working days, not both.")},
                              code="deadline_or_days")
    if working_days is not None:
        if not isinstance(working_days, int) or isinstance(working_days, bool) or not 0 <= working_days <= 3650:
            raise ValidationError({"working_days": _("The number of working days must be from 0 to 3650.")},
                                  code="invalid")
        return add_working_days(issued_on, working_days)
    if not isinstance(deadline, date):
        raise ValidationError({"deadline": _("Enter a valid date.")}, code="invalid")
    moved = previous_working_day(deadline)
    if moved < issued_on:
        raise ValidationError({"deadline": _("The deadline cannot be earlier than the day of issue.")},
                              code="deadline_past")
    return moved


def _moment(day: date | None):
    """When a change dated ``day`` happened: now for today, else midday of that day (imports, the demo)."""
    if day is None or day == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _transition(assignment: Assignment, *, actor, action: str, note: str = "", on: date | None = None) -> Transition:
    at = _moment(on)
    if on is not None:
        # a change dated in the past never goes before the assignment's last recorded change
        last = Transition.objects.filter(assignment=assignment).order_by("-at").values_list("at", flat=True).first()
        if last is not None and at < last:
            at = last + timedelta(microseconds=1)
    return Transition.objects.create(
        assignment=assignment, at=at,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        action=action, status=assignment.status, deadline=assignment.deadline,
        executor_organisation_id=assignment.executor_organisation_id, executor_user_id=assignment.executor_user_id,
        completed_on=assignment.completed_on, note=note)


def payload(assignment: Assignment, **extra) -> dict:
    data = {"assignment_id": assignment.pk, "kind": assignment.kind,
            "subject_type": f"{assignment.subject_type.app_label}.{assignment.subject_type.model}",
            "subject_id": assignment.subject_id, "status": assignment.status,
            "deadline": assignment.deadline.isoformat()}
    data.update(extra)
    return data


def _event(kind: str, assignment: Assignment, actor, **extra) -> None:
    record_event(kind=kind, actor=actor, subject=assignment, payload=payload(assignment, **extra))


def _tell(users, *, kind: str, title: str, assignment: Assignment, body: str = "") -> None:
    people = [u for u in users if u is not None]
    if people and not _quiet.get():
        notify(users=people, kind=kind, title=title, body=body, url=f"/workspace/orders/control/{assignment.pk}/")


def _lock(assignment: Assignment) -> Assignment:
    """Re-read the assignment under a row lock, so two decisions cannot both pass the status check."""
    return Assignment.objects.select_for_update(of=("self",)).select_related(
        "subject_type", "executor_organisation", "parent").get(pk=assignment.pk)


def _require_open(assignment: Assignment, *, allowed=OPEN_STATUSES) -> None:
    if assignment.status == Status.CANCELLED:
        raise ValidationError(_("The assignment is cancelled."), code="cancelled")
    if assignment.status == Status.DONE:
        raise ValidationError(_("The assignment is already executed and removed from control."), code="done")
    if assignment.status not in allowed:
        if assignment.status == Status.REPORTED:
            raise ValidationError(_("A report is awaiting the decision."), code="reported")
        raise ValidationError(_("No report is awaiting a decision."), code="not_reported")


# --- the engine ---------------------------------------------------------------------------------------

@transaction.atomic
def control_open(*, actor, kind: str, subject: models.Model, title: str, executor_organisation, executor_user=None,
                 controller_organisation=None, deadline: date | None = None, working_days: int | None = None,
                 text: str = "", issuer_organisation=None, issued_on: date | None = None,
                 part: str = "main", issuer=None) -> Assignment:
    """Put ``subject`` on control: a root assignment for ``executor_organisation`` by a deadline.

    ``issued_on`` (default today) lets an import or the demo record an assignment given in the past.
    ``issuer`` names the person who gave it when the system opens it for him (a project's manager).
    """
    kind = (kind or "").strip()
    if not kind or len(kind) > 40:
        raise ValidationError({"kind": _("A kind of 1–40 characters is required.")}, code="invalid")
    if subject is None or getattr(subject, "pk", None) is None:
        raise ValidationError({"subject": _("The subject must be saved first.")}, code="invalid")
    title = _text(title, "title", required=True, limit=500)
    text = _text(text, "text", required=False)
    executor_organisation = _organisation(executor_organisation, "executor_organisation")
    executor_user = _person(executor_user, "executor_user")
    controller_organisation = _organisation(controller_organisation, "controller_organisation", required=False)
    _check(actor, "orders.open_assignment", executor_organisation,
           _("You may not put this organisation's work on control."))
    issued_on = _today(issued_on)
    due = resolve_deadline(deadline=deadline, working_days=working_days, issued_on=issued_on)
    subject_type = ContentType.objects.get_for_model(subject)
    if Assignment.objects.filter(subject_type=subject_type, subject_id=str(subject.pk), parent__isnull=True,
                                 status__in=OPEN_STATUSES).exists():
        raise ValidationError(_("This is already on control."), code="already_open")
    person = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    if issuer is not None:
        person = _person(issuer, "issuer")
    assignment = Assignment(kind=kind, subject_type=subject_type, subject_id=str(subject.pk), title=title, text=text,
                            issuer=person, issuer_organisation=issuer_organisation,
                            controller_organisation=controller_organisation, issued_on=issued_on, deadline=due,
                            original_deadline=due, depth=0, status=Status.ISSUED)
    _place(assignment, executor_organisation, executor_user)
    assignment.save()
    Assignment.objects.filter(pk=assignment.pk).update(root=assignment)
    assignment.root_id = assignment.pk
    _transition(assignment, actor=actor, action=Transition.Action.OPENED, note=text[:500], on=issued_on)
    _event("control.opened", assignment, actor)
    _tell([executor_user], kind="orders.assigned", title=_("New assignment on control: %(t)s") % {"t": title},
          assignment=assignment)
    return assignment


def _child(*, actor, parent: Assignment, executor_organisation, executor_user, deadline: date, text: str,
           title: str | None = None, issued_on: date | None = None) -> Assignment:
    issued_on = _today(issued_on)
    due = previous_working_day(deadline)
    if due > parent.deadline:
        raise ValidationError({"deadline": _("The deadline cannot be later than the parent assignment's (%(d)s).")
                               % {"d": parent.deadline.strftime("%d.%m.%Y")}}, code="after_parent")
    if due < issued_on:
        raise ValidationError({"deadline": _("The deadline cannot be earlier than the day of issue.")},
                              code="deadline_past")
    person = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    child = Assignment(kind=parent.kind, subject_type_id=parent.subject_type_id, subject_id=parent.subject_id,
                       parent=parent, root_id=parent.root_id or parent.pk, depth=parent.depth + 1,
                       title=title or parent.title, text=text, issuer=person,
                       issuer_organisation=parent.executor_organisation,
                       controller_organisation=parent.controller_organisation, issued_on=issued_on, deadline=due,
                       original_deadline=due, status=Status.ISSUED)
    _place(child, executor_organisation, executor_user)
    child.save()
    return child


@transaction.atomic
def control_delegate(*, actor, assignment: Assignment, executor_organisation=None, executor_user=None,
                     deadline: date, text: str = "", issued_on: date | None = None) -> Assignment:
    """Pass ``assignment`` on to a unit or a person under its executor: a child with a deadline no later."""
    assignment = _lock(assignment)
    _check(actor, "orders.delegate_assignment", assignment, _("You may not delegate this assignment."))
    _require_open(assignment, allowed=(Status.ISSUED, Status.IN_PROGRESS))
    text = _text(text, "text", required=False)
    executor_user = _person(executor_user, "executor_user")
    if executor_organisation is None and executor_user is None:
        raise ValidationError({"executor_organisation": _("Choose a unit or a person to delegate to.")},
                              code="required")
    organisation = _organisation(executor_organisation or assignment.executor_organisation, "executor_organisation")
    if not organisation.path.startswith(assignment.executor_organisation.path):
        raise ValidationError({"executor_organisation": _("You can delegate only to units under the executor.")},
                              code="not_under")
    if not isinstance(deadline, date):
        raise ValidationError({"deadline": _("Enter a valid date.")}, code="invalid")
    child = _child(actor=actor, parent=assignment, executor_organisation=organisation, executor_user=executor_user,
                   deadline=deadline, text=text, issued_on=issued_on)
    if assignment.status == Status.ISSUED:
        assignment.status = Status.IN_PROGRESS
        assignment.save(update_fields=["status", "updated_at"])
        _transition(assignment, actor=actor, action=Transition.Action.STARTED, on=child.issued_on)
    _transition(child, actor=actor, action=Transition.Action.DELEGATED, note=text[:500], on=child.issued_on)
    _event("control.delegated", child, actor, parent_id=assignment.pk)
    _tell([executor_user], kind="orders.assigned", title=_("Assignment delegated to you: %(t)s") % {"t": child.title},
          assignment=child)
    return child


@transaction.atomic
def control_start(*, actor, assignment: Assignment) -> Assignment:
    """The executor takes the assignment into work (issued → in progress)."""
    assignment = _lock(assignment)
    _check(actor, "orders.start_assignment", assignment, _("You may not act for this executor."))
    _require_open(assignment, allowed=(Status.ISSUED,))
    assignment.status = Status.IN_PROGRESS
    assignment.save(update_fields=["status", "updated_at"])
    _transition(assignment, actor=actor, action=Transition.Action.STARTED)
    _event("control.started", assignment, actor)
    return assignment


@transaction.atomic
def control_report(*, actor, assignment: Assignment, text: str, submitted_on: date | None = None,
                   photos: Sequence[Any] = ()) -> Report:
    """The executor reports execution, with photos if he took some (images only, at most five, all or none:
    ``_report_photos``); the report goes up to the issuer for a decision."""
    assignment = _lock(assignment)
    _check(actor, "orders.report_assignment", assignment, _("You may not report on this assignment."))
    _require_open(assignment, allowed=(Status.ISSUED, Status.IN_PROGRESS))
    text = _text(text, "text", required=True)
    photos = list(photos or ())
    _check_photos(photos)
    person = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    report = Report.objects.create(assignment=assignment, author=person, text=text,
                                   submitted_on=_today(submitted_on))
    _attach_photos(actor, report, photos)
    assignment.status = Status.REPORTED
    assignment.save(update_fields=["status", "updated_at"])
    _transition(assignment, actor=actor, action=Transition.Action.REPORTED, note=text[:500], on=report.submitted_on)
    _event("control.reported", assignment, actor, report_id=report.pk, photos=len(photos))
    _tell([assignment.issuer], kind="orders.reported", title=_("Report submitted: %(t)s") % {"t": assignment.title},
          assignment=assignment)
    return report


@transaction.atomic
def control_accept(*, actor, assignment: Assignment, on: date | None = None) -> Assignment:
    """Remove the assignment from control as executed; the execution date is the report's date."""
    assignment = _lock(assignment)
    _check(actor, "orders.accept_assignment", assignment, _("Only the issuer or the controller may accept this."))
    _require_open(assignment, allowed=(Status.REPORTED,))
    report = assignment.reports.select_for_update().get(decision=Report.Decision.PENDING)
    now = _moment(on)
    person = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    report.decision, report.decided_by, report.decided_at = Report.Decision.ACCEPTED, person, now
    report.save(update_fields=["decision", "decided_by", "decided_at", "updated_at"])
    assignment.status, assignment.completed_on, assignment.closed_at = Status.DONE, report.submitted_on, now
    assignment.save(update_fields=["status", "completed_on", "closed_at", "updated_at"])
    _transition(assignment, actor=actor, action=Transition.Action.ACCEPTED, on=on)
    _event("control.accepted", assignment, actor, late=assignment.is_late)
    _tell([assignment.executor_user], kind="orders.accepted",
          title=_("Removed from control as executed: %(t)s") % {"t": assignment.title}, assignment=assignment)
    return assignment


@transaction.atomic
def control_return(*, actor, assignment: Assignment, reason: str, on: date | None = None) -> Assignment:
    """Return the report for rework with a reason; the assignment is back in progress, the deadline unchanged."""
    assignment = _lock(assignment)
    _check(actor, "orders.return_assignment", assignment, _("Only the issuer or the controller may return this."))
    _require_open(assignment, allowed=(Status.REPORTED,))
    reason = _text(reason, "reason", required=True)
    report = assignment.reports.select_for_update().get(decision=Report.Decision.PENDING)
    person = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    report.decision, report.decided_by, report.decided_at, report.reason = (
        Report.Decision.RETURNED, person, _moment(on), reason)
    report.save(update_fields=["decision", "decided_by", "decided_at", "reason", "updated_at"])
    assignment.status = Status.IN_PROGRESS
    assignment.save(update_fields=["status", "updated_at"])
    _transition(assignment, actor=actor, action=Transition.Action.RETURNED, note=reason[:500], on=on)
    _event("control.returned", assignment, actor, reason=reason[:500])
    _tell([assignment.executor_user], kind="orders.returned",
          title=_("Returned for rework: %(t)s") % {"t": assignment.title}, body=reason, assignment=assignment)
    return assignment


@transaction.atomic
def control_reassign(*, actor, assignment: Assignment, executor_organisation, executor_user=None,
                     reason: str) -> Assignment:
    """Give the assignment to another executor (the history keeps who had it)."""
    assignment = _lock(assignment)
    _check(actor, "orders.reassign_assignment", assignment, _("You may not reassign this assignment."))
    _require_open(assignment, allowed=(Status.ISSUED, Status.IN_PROGRESS))
    reason = _text(reason, "reason", required=True)
    organisation = _organisation(executor_organisation, "executor_organisation")
    executor_user = _person(executor_user, "executor_user")
    if assignment.parent_id and not organisation.path.startswith(assignment.parent.executor_organisation.path):
        raise ValidationError({"executor_organisation": _("You can delegate only to units under the executor.")},
                              code="not_under")
    if organisation.pk == assignment.executor_organisation_id and executor_user == assignment.executor_user:
        raise ValidationError({"executor_organisation": _("This is already the executor.")}, code="unchanged")
    _place(assignment, organisation, executor_user)
    assignment.save(update_fields=["executor_organisation", "executor_user", "block", "body", "updated_at"])
    _transition(assignment, actor=actor, action=Transition.Action.REASSIGNED, note=reason[:500])
    _event("control.reassigned", assignment, actor, executor_organisation_id=organisation.pk,
           executor_user_id=executor_user.pk if executor_user else None)
    _tell([executor_user], kind="orders.assigned", title=_("Assignment given to you: %(t)s") % {"t": assignment.title},
          assignment=assignment)
    return assignment


def _cancel_tree(assignment: Assignment, *, actor, reason: str) -> None:
    assignment.status, assignment.closed_at = Status.CANCELLED, timezone.now()
    assignment.save(update_fields=["status", "closed_at", "updated_at"])
    _transition(assignment, actor=actor, action=Transition.Action.CANCELLED, note=reason[:500])
    _event("control.cancelled", assignment, actor, reason=reason[:500])
    for child in assignment.children.select_for_update().select_related("subject_type").filter(
            status__in=OPEN_STATUSES):
        _cancel_tree(child, actor=actor, reason=reason)


@transaction.atomic
def control_cancel(*, actor, assignment: Assignment, reason: str) -> Assignment:
    """Cancel the assignment and everything delegated from it that is still open."""
    assignment = _lock(assignment)
    _check(actor, "orders.cancel_assignment", assignment, _("Only the issuer may cancel this."))
    _require_open(assignment)
    reason = _text(reason, "reason", required=True)
    Report.objects.filter(assignment=assignment, decision=Report.Decision.PENDING).update(
        decision=Report.Decision.WITHDRAWN)
    Extension.objects.filter(assignment=assignment, status=Extension.Status.REQUESTED).update(
        status=Extension.Status.REFUSED, answer=reason[:500], decided_at=timezone.now())
    _cancel_tree(assignment, actor=actor, reason=reason)
    return assignment


# --- extensions ---------------------------------------------------------------------------------------

def _new_deadline(assignment: Assignment, deadline, today: date) -> date:
    if not isinstance(deadline, date):
        raise ValidationError({"deadline": _("Enter a valid date.")}, code="invalid")
    due = previous_working_day(deadline)
    if due <= assignment.deadline:
        raise ValidationError({"deadline": _("The new deadline must be later than the current one.")},
                              code="not_later")
    if assignment.parent_id and due > assignment.parent.deadline:
        raise ValidationError({"deadline": _("The deadline cannot be later than the parent assignment's (%(d)s).")
                               % {"d": assignment.parent.deadline.strftime("%d.%m.%Y")}}, code="after_parent")
    return due


@transaction.atomic
def control_extension_request(*, actor, assignment: Assignment, deadline: date, reason: str,
                              today: date | None = None) -> Extension:
    """The executor asks for a later deadline with a reason; the issuer grants or refuses."""
    assignment = _lock(assignment)
    _check(actor, "orders.request_extension_assignment", assignment, _("You may not act for this executor."))
    _require_open(assignment, allowed=(Status.ISSUED, Status.IN_PROGRESS))
    reason = _text(reason, "reason", required=True)
    due = _new_deadline(assignment, deadline, _today(today))
    if Extension.objects.filter(assignment=assignment, status=Extension.Status.REQUESTED).exists():
        raise ValidationError(_("An extension request is already awaiting a decision."), code="already_requested")
    person = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    extension = Extension.objects.create(assignment=assignment, requested_by=person, reason=reason,
                                         requested_deadline=due, previous_deadline=assignment.deadline)
    _transition(assignment, actor=actor, action=Transition.Action.EXTENSION_REQUESTED, note=reason[:500], on=today)
    _event("control.extension_requested", assignment, actor, extension_id=extension.pk,
           requested_deadline=due.isoformat())
    _tell([assignment.issuer], kind="orders.extension",
          title=_("Extension requested: %(t)s") % {"t": assignment.title}, body=reason, assignment=assignment)
    return extension


def _extend(assignment: Assignment, *, actor, due: date, note: str, extension: Extension | None,
            on: date | None = None) -> None:
    previous = assignment.deadline
    assignment.deadline = due
    assignment.save(update_fields=["deadline", "updated_at"])
    _transition(assignment, actor=actor, action=Transition.Action.EXTENDED, note=note[:500], on=on)
    _event("control.extended", assignment, actor, previous_deadline=previous.isoformat(),
           original_deadline=assignment.original_deadline.isoformat(),
           extension_id=extension.pk if extension else None)


@transaction.atomic
def control_extension_decide(*, actor, extension: Extension, grant: bool, deadline: date | None = None,
                             answer: str = "", today: date | None = None) -> Extension:
    """Grant (with the requested or another later deadline; the original is kept) or refuse a request."""
    extension = Extension.objects.select_for_update().get(pk=extension.pk)
    assignment = _lock(extension.assignment)
    _check(actor, "orders.extend_assignment", assignment, _("Only the issuer may decide on an extension."))
    if extension.status != Extension.Status.REQUESTED:
        raise ValidationError(_("This request is already decided."), code="decided")
    _require_open(assignment)
    answer = _text(answer, "answer", required=not grant)
    person = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    extension.decided_by, extension.decided_at, extension.answer = person, _moment(today), answer
    if grant:
        due = _new_deadline(assignment, deadline or extension.requested_deadline, _today(today))
        extension.status, extension.granted_deadline = Extension.Status.GRANTED, due
        extension.save()
        _extend(assignment, actor=actor, due=due, note=answer or extension.reason, extension=extension, on=today)
    else:
        extension.status = Extension.Status.REFUSED
        extension.save()
        _transition(assignment, actor=actor, action=Transition.Action.EXTENSION_REFUSED, note=answer[:500], on=today)
        _event("control.extension_refused", assignment, actor, extension_id=extension.pk,
               requested_deadline=extension.requested_deadline.isoformat())
    _tell([extension.requested_by], kind="orders.extension",
          title=(_("Extension granted: %(t)s") if grant else _("Extension refused: %(t)s")) % {"t": assignment.title},
          body=answer, assignment=assignment)
    return extension


@transaction.atomic
def control_extend(*, actor, assignment: Assignment, deadline: date, reason: str,
                   today: date | None = None) -> Assignment:
    """The issuer moves the deadline without a request (the original deadline is kept)."""
    assignment = _lock(assignment)
    _check(actor, "orders.extend_assignment", assignment, _("Only the issuer may extend the deadline."))
    _require_open(assignment)
    reason = _text(reason, "reason", required=True)
    due = _new_deadline(assignment, deadline, _today(today))
    _extend(assignment, actor=actor, due=due, note=reason, extension=None, on=today)
    return assignment


@transaction.atomic
def control_reschedule(*, actor, assignment: Assignment, deadline: date, reason: str,
                       on: date | None = None) -> Assignment:
    """Move the deadline earlier or later because the plan it belongs to moved (a project's re-plan).

    Unlike an extension this may bring the deadline forward; delegated assignments due later than the new
    deadline are brought to it with it (a child is never due after its parent). The original deadline is kept,
    so lateness against the first promise stays visible.
    """
    assignment = _lock(assignment)
    _check(actor, "orders.extend_assignment", assignment, _("Only the issuer may move the deadline."))
    _require_open(assignment)
    reason = _text(reason, "reason", required=True)
    if not isinstance(deadline, date):
        raise ValidationError({"deadline": _("Enter a valid date.")}, code="invalid")
    due = previous_working_day(deadline)
    if due < assignment.issued_on:
        due = assignment.issued_on
    if assignment.parent_id and due > assignment.parent.deadline:
        raise ValidationError({"deadline": _("The deadline cannot be later than the parent assignment's (%(d)s).")
                               % {"d": assignment.parent.deadline.strftime("%d.%m.%Y")}}, code="after_parent")
    if due == assignment.deadline:
        return assignment
    previous = assignment.deadline
    assignment.deadline = due
    assignment.save(update_fields=["deadline", "updated_at"])
    _transition(assignment, actor=actor, action=Transition.Action.RESCHEDULED, note=reason[:500], on=on)
    _event("control.rescheduled", assignment, actor, previous_deadline=previous.isoformat(),
           original_deadline=assignment.original_deadline.isoformat())
    for child in assignment.children.filter(status__in=OPEN_STATUSES, deadline__gt=due):
        control_reschedule(actor=None, assignment=child, deadline=due, reason=reason, on=on)
    return assignment
