"""The work breakdown: items created, changed, reported on and deleted."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.projects import binding
from krai.projects.models import Project, WorkItem
from krai.projects.validation import check, dates, inside_parent, money

MAX_DEPTH = 40
ITEM_FIELDS = ("kind", "title", "description", "owner_organisation", "responsible", "budget_planned", "pinned")


def _next_path(project: Project, parent: WorkItem | None) -> tuple[str, int]:
    siblings = WorkItem.objects.filter(project=project, parent=parent)
    last = siblings.aggregate(last=Max("path"))["last"]
    number = int(last.rstrip(".").split(".")[-1]) + 1 if last else 1
    prefix = parent.path if parent is not None else ""
    depth = parent.depth + 1 if parent is not None else 0
    if depth >= MAX_DEPTH:
        raise ValidationError({"parent": _("The breakdown may be at most %(n)s levels deep.") % {"n": MAX_DEPTH}},
                              code="too_deep")
    if number > 9999:
        raise ValidationError({"parent": _("An item may have at most 9999 children.")}, code="too_many")
    return f"{prefix}{number:04d}.", depth


def _clean_text(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("A title is required.")}, code="required")
    return title[:500]


@transaction.atomic
def item_create(*, actor, project: Project, parent: WorkItem | None = None, title: str, planned_start: date,
                planned_finish: date, kind: str = WorkItem.Kind.TASK, owner_organisation=None, responsible=None,
                budget_planned=None, description: str = "", pinned: bool = False,
                today: date | None = None) -> WorkItem:
    check(actor, "projects.edit_project", project, _("You may not change this project's plan."))
    if parent is not None and parent.project_id != project.pk:
        raise ValidationError({"parent": _("The parent belongs to another project.")}, code="invalid")
    if kind == WorkItem.Kind.CONTROL_POINT:
        planned_start = planned_finish  # a control point is a moment
    dates(planned_start, planned_finish)
    if parent is not None:
        parent = WorkItem.objects.select_for_update().get(pk=parent.pk)
        if parent.kind == WorkItem.Kind.CONTROL_POINT:
            raise ValidationError({"parent": _("A control point cannot have parts.")}, code="invalid")
    inside_parent(parent, planned_start, planned_finish)
    path, depth = _next_path(project, parent)
    item = WorkItem(project=project, parent=parent, path=path, depth=depth, kind=kind, title=_clean_text(title),
                    description=description or "", owner_organisation=owner_organisation, responsible=responsible,
                    planned_start=planned_start, planned_finish=planned_finish,
                    budget_planned=money(budget_planned, "budget_planned"), pinned=bool(pinned))
    item.full_clean(exclude=["project", "parent"])
    item.save()
    record_event(kind="projects.item_created", actor=actor, subject=item,
                 payload={"project": project.code, "wbs": item.wbs, "kind": kind})
    binding.sync(item, today=today)
    if parent is not None:
        binding.sync(parent, today=today)  # a task that now has parts leaves control: they are controlled instead
    return item


@transaction.atomic
def item_update(*, actor, item: WorkItem, today: date | None = None, **fields) -> WorkItem:
    """Change what an item is and who does it; dates move through ``schedule.reschedule``."""
    check(actor, "projects.edit_project", item.project, _("You may not change this project's plan."))
    item = WorkItem.objects.select_for_update().select_related("project").get(pk=item.pk)
    was = {}
    for name, value in fields.items():
        if name not in ITEM_FIELDS:
            raise TypeError(f"unknown field {name}")
        if name == "title":
            value = _clean_text(value)
        if name == "budget_planned":
            value = money(value, name)
        if getattr(item, name) != value:
            was[name] = str(getattr(item, name))
            setattr(item, name, value)
    if item.kind == WorkItem.Kind.CONTROL_POINT:
        if item.children.exists():
            raise ValidationError({"kind": _("An item with parts cannot be a control point.")}, code="invalid")
        item.planned_start = item.planned_finish
    item.full_clean(exclude=["project", "parent"])
    item.save()
    record_event(kind="projects.item_changed", actor=actor, subject=item, payload={"was": was, "wbs": item.wbs})
    binding.sync(item, today=today)
    return item


@transaction.atomic
def item_progress(*, actor, item: WorkItem, progress: int | None = None, actual_start: date | None = None,
                  actual_finish: date | None = None, budget_spent=None, note: str = "",
                  today: date | None = None) -> WorkItem:
    """The executor's or the manager's word on an item: progress, actual dates, money spent.

    Finishing a controlled item reports its assignment; when the actor edits the plan, the report is accepted
    at once, otherwise the issuer accepts it in the orders pages and the item is finished then.
    """
    check(actor, "projects.report_item", item, _("You may not report on this item."))
    item = WorkItem.objects.select_for_update().select_related("project").get(pk=item.pk)
    today = today or timezone.localdate()
    if item.children.exists():
        raise ValidationError({"progress": _("The progress of an item with parts is counted from them.")},
                              code="rolled_up")
    was = {"progress": item.progress, "actual_start": str(item.actual_start), "actual_finish": str(item.actual_finish),
           "budget_spent": str(item.budget_spent)}
    if progress is not None:
        if not isinstance(progress, int) or isinstance(progress, bool) or not 0 <= progress <= 100:
            raise ValidationError({"progress": _("Progress is a whole number from 0 to 100.")}, code="invalid")
        item.progress = progress
    if budget_spent is not None:
        item.budget_spent = money(budget_spent, "budget_spent")
    for name, value in (("actual_start", actual_start), ("actual_finish", actual_finish)):
        if value is not None and (not isinstance(value, date) or value > today):
            raise ValidationError({name: _("An actual date cannot be in the future.")}, code="future")
    if actual_start is not None:
        item.actual_start = actual_start
    finishing = actual_finish is not None and item.actual_finish is None
    if finishing:
        start = item.actual_start or actual_start
        if start is not None and actual_finish < start:
            raise ValidationError({"actual_finish": _("The finish cannot be earlier than the start.")}, code="order")
        item.actual_start = start or actual_finish
    editor = actor is None or actor.has_perm("projects.edit_project", item.project)
    current = binding.open_assignment(item)
    if finishing and current is not None and not editor:
        # the executor reports; the item is finished when the issuer accepts (item_done_from_control)
        from krai.orders import services as control
        item.progress = max(item.progress, 100 if progress is None else progress)
        item.save()
        control.control_report(actor=actor, assignment=current, text=note or _("Finished."), submitted_on=actual_finish)
    else:
        if finishing:
            item.actual_finish, item.progress = actual_finish, 100
        item.save()
        if finishing:
            binding.finish(item, on=actual_finish, text=note)
    record_event(kind="projects.item_reported", actor=actor, subject=item, payload={"was": was, "wbs": item.wbs})
    return item


@transaction.atomic
def item_done_from_control(*, assignment_id: int, completed_on: date) -> WorkItem | None:
    """The issuer accepted the report of an item's assignment: the item is finished on the report's date."""
    from krai.orders.models import Assignment

    assignment = Assignment.objects.filter(pk=assignment_id, kind=binding.KIND).first()
    if assignment is None:
        return None
    item = WorkItem.objects.select_for_update().filter(pk=assignment.subject_id).first()
    if item is None or item.actual_finish is not None:
        return item
    item.actual_finish, item.progress = completed_on, 100
    item.actual_start = item.actual_start or completed_on
    item.save(update_fields=["actual_finish", "actual_start", "progress", "updated_at"])
    record_event(kind="projects.item_finished", actor=None, subject=item,
                 payload={"assignment_id": assignment_id, "on": completed_on.isoformat()})
    return item


@transaction.atomic
def item_delete(*, actor, item: WorkItem) -> None:
    """Delete an item with its parts and links; their open assignments are cancelled."""
    check(actor, "projects.edit_project", item.project, _("You may not change this project's plan."))
    subtree = list(WorkItem.objects.select_related("project").filter(project=item.project,
                                                                    path__startswith=item.path))
    for part in subtree:
        binding.cancel(part, _("The project item was deleted."))
    record_event(kind="projects.item_deleted", actor=actor, subject=item.project,
                 payload={"item": item.pk, "wbs": item.wbs, "title": item.title, "parts": len(subtree) - 1})
    parent_id = item.parent_id
    item.delete()
    parent = WorkItem.objects.select_related("project").filter(pk=parent_id).first() if parent_id else None
    if parent is not None:
        binding.sync(parent)  # its last part gone, a task is on control itself again
