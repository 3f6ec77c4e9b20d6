"""Writes of "Find out" about infrastructure works by the staff who manage them: entering and changing a work (its
history kept), the status moves with the actual dates, the plan moved with a reason (a later end is a slip),
documents and photos. Residents' subscriptions and ratings are in ``works_residents``, the daily look for works
slipping past their plan in ``works_slips``; the fields' checks they share in ``_works_checks``.

Each function checks who acts (``policy``), validates, writes and records its ``construction.work_*`` event in one
transaction; notifications follow from the events (``subscribers_works``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.construction import policy
from krai.construction.models import Work, WorkStatus
from krai.construction.services._works_checks import (
    REASON_MAX,
    _clean,
    _day,
    _lock,
    _payload,
    _plan_ordered,
    _sync,
    _text,
)
from krai.construction.services.history import record_change, snapshot
from krai.core.events.services import record_event
from krai.core.files.services import attachment_create

__all__ = ["work_attach", "work_complete", "work_create", "work_reschedule", "work_resume", "work_start",
           "work_suspend", "work_update"]

#: what staff enter and change with ``work_update`` (the planned dates move only with ``work_reschedule``)
EDITABLE = ("name", "kind", "address", "street", "lat", "lon", "geometry", "responsible_body", "contractor",
            "contractor_inn", "programme", "funding", "cost", "description")
ENTERED = (*EDITABLE, "planned_start", "planned_end")
#: what the card's history shows
HISTORY = (*ENTERED, "municipality", "status", "actual_start", "actual_end")
FILE_KINDS = {"document": ("pdf", "office"), "photo": ("image",)}


@transaction.atomic
def work_create(*, actor: Any, **fields: Any) -> Work:
    """Enter a work of a body in the actor's reach (keepers: any body)."""
    unknown = set(fields) - set(ENTERED)
    if unknown:
        raise TypeError(f"work_create() got unexpected fields {sorted(unknown)}")
    policy.ensure_signed_in(actor)
    if not policy.may_enter_works(actor):
        raise PermissionDenied(_("Only the staff of a body enter its works."))
    data = _clean(actor, {name: fields.get(name) for name in ENTERED}, relocate=True)
    _plan_ordered(data["planned_start"], data["planned_end"])
    work = Work.objects.create(**data, created_by=actor)
    record_event(kind="construction.work_created", actor=actor, subject=work, payload=_payload(work))
    return work


@transaction.atomic
def work_update(*, actor: Any, work: Work, note: str = "", **fields: Any) -> Work:
    """Change what staff entered (a new point places the work again; a cleared one, by its address); the change
    joins its history. Moving to another body needs that body in the actor's reach too."""
    unknown = set(fields) - set(EDITABLE) - {"planned_start", "planned_end"}
    if unknown:
        raise TypeError(f"work_update() got unexpected fields {sorted(unknown)}")
    policy.ensure_work_manager(actor, work)
    locked = _lock(work)
    for name in ("planned_start", "planned_end"):
        if name in fields and _day(fields[name], field=name) != getattr(locked, name):
            raise ValidationError({name: _("Move the planned dates with “Reschedule”, giving the reason.")})
        fields.pop(name, None)
    body = fields.get("responsible_body")
    if body is not None and str(getattr(body, "pk", body)) == str(locked.responsible_body_id):
        fields.pop("responsible_body")  # unchanged: kept even if the body has closed since
    note = _text(note, field="note", limit=REASON_MAX)
    # a new point places the work again (a cleared one: by the address); a corrected address alone keeps the point
    relocate = any(name in fields and fields[name] != getattr(locked, name) for name in ("lat", "lon"))
    if relocate:
        for name in ("address", "lat", "lon", "street"):
            fields.setdefault(name, getattr(locked, name))
    data = _clean(actor, fields, relocate=relocate)
    before = snapshot(locked, HISTORY)
    for name, value in data.items():
        setattr(locked, name, value)
    after = snapshot(locked, HISTORY)
    if before == after and not note:
        _sync(work, locked)
        return work
    locked.save()
    changes = record_change(actor=actor, target=locked, before=before, after=after, note=note)
    record_event(kind="construction.work_updated", actor=actor, subject=locked,
                 payload=_payload(locked, changes=changes, note=note))
    _sync(work, locked)
    return work


def _move(actor: Any, work: Work, *, allowed: tuple[str, ...], refused: str, kind: str, note: str = "",
          check: Any = None, **values: Any) -> Work:
    """One status move: the lock, the state check (and ``check(locked)``), the write, the history, the event."""
    policy.ensure_work_manager(actor, work)
    locked = _lock(work)
    if locked.status not in allowed:
        raise ValidationError(refused, code="state")
    if check is not None:
        check(locked)
    before = snapshot(locked, HISTORY)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save()
    changes = record_change(actor=actor, target=locked, before=before, after=snapshot(locked, HISTORY), note=note)
    record_event(kind=f"construction.work_{kind}", actor=actor, subject=locked,
                 payload=_payload(locked, changes=changes, note=note,
                                  **{k: v.isoformat() for k, v in values.items() if isinstance(v, date)}))
    _sync(work, locked)
    return work


def _actual_day(on: Any, *, field: str, not_before: date | None = None) -> date:
    day = _day(on, field=field, required=False) or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({field: _("An actual date cannot be in the future.")})
    if not_before is not None and day < not_before:
        raise ValidationError({field: _("The work cannot end before it started (%(date)s).")
                               % {"date": not_before.strftime("%d.%m.%Y")}})
    return day


@transaction.atomic
def work_start(*, actor: Any, work: Work, on: Any = None) -> Work:
    """The work started (today, or the day given — never in the future)."""
    day = _actual_day(on, field="on")
    return _move(actor, work, allowed=(WorkStatus.PLANNED,), refused=_("Only a planned work can start."),
                 kind="started", status=WorkStatus.IN_PROGRESS, actual_start=day)


@transaction.atomic
def work_suspend(*, actor: Any, work: Work, reason: str) -> Work:
    reason = _text(reason, field="reason", limit=REASON_MAX, required=_("Say why the work is suspended."))
    return _move(actor, work, allowed=(WorkStatus.IN_PROGRESS,), refused=_("Only a work in progress can be "
                 "suspended."), kind="suspended", note=reason, status=WorkStatus.SUSPENDED)


@transaction.atomic
def work_resume(*, actor: Any, work: Work, note: str = "") -> Work:
    note = _text(note, field="note", limit=REASON_MAX)
    return _move(actor, work, allowed=(WorkStatus.SUSPENDED,), refused=_("Only a suspended work can resume."),
                 kind="resumed", note=note, status=WorkStatus.IN_PROGRESS)


@transaction.atomic
def work_complete(*, actor: Any, work: Work, on: Any = None) -> Work:
    """The work is done (today, or the day given: not in the future, not before its actual start)."""
    day = _actual_day(on, field="on")
    return _move(actor, work, allowed=(WorkStatus.IN_PROGRESS, WorkStatus.SUSPENDED),
                 refused=_("Only a started work can be completed."), kind="completed",
                 check=lambda locked: _actual_day(day, field="on", not_before=locked.actual_start),
                 status=WorkStatus.COMPLETED, actual_end=day)


@transaction.atomic
def work_reschedule(*, actor: Any, work: Work, planned_start: Any, planned_end: Any, reason: str) -> Work:
    """Move the plan, saying why; a later end is a slip (``construction.work_slipped``: its subscribers hear)."""
    policy.ensure_work_manager(actor, work)
    start, end = _day(planned_start, field="planned_start"), _day(planned_end, field="planned_end")
    reason = _text(reason, field="reason", limit=REASON_MAX, required=_("Say why the plan moves."))
    _plan_ordered(start, end)
    locked = _lock(work)
    if locked.status == WorkStatus.COMPLETED:
        raise ValidationError(_("A completed work keeps its plan."), code="state")
    if (start, end) == (locked.planned_start, locked.planned_end):
        raise ValidationError(_("The new plan is the same as the present one."), code="same")
    old_end = locked.planned_end
    before = snapshot(locked, HISTORY)
    locked.planned_start, locked.planned_end = start, end
    locked.save()
    changes = record_change(actor=actor, target=locked, before=before, after=snapshot(locked, HISTORY), note=reason)
    record_event(kind="construction.work_updated", actor=actor, subject=locked,
                 payload=_payload(locked, changes=changes, note=reason))
    if end > old_end:
        record_event(kind="construction.work_slipped", actor=actor, subject=locked,
                     payload=_payload(locked, reason="rescheduled", old_end=old_end.isoformat(),
                                      new_end=end.isoformat(), days=(end - old_end).days, note=reason))
    _sync(work, locked)
    return work


@transaction.atomic
def work_attach(*, actor: Any, work: Work, upload: Any, kind: str = "document") -> Any:
    """A document (estimate, contract, act: PDF or office) or a photo (an image) of the work, kept by the kernel."""
    if kind not in FILE_KINDS:
        raise ValidationError({"kind": _("Choose a document or a photo.")})
    policy.ensure_work_manager(actor, work)
    attachment = attachment_create(actor=actor, target=work, upload=upload, allowed_kinds=FILE_KINDS[kind])
    record_event(kind="construction.work_file_added", actor=actor, subject=work,
                 payload=_payload(work, attachment_id=attachment.pk, file_kind=kind, name=attachment.original_name))
    return attachment
