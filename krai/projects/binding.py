"""The binding of a project's controlled items to the control engine.

A task or a control point with an executor organisation, in a project in progress and not finished, is an
open assignment of kind ``project.item`` (deadline: its planned finish; issuer: the project's manager, who
accepts the executor's report in the orders pages). The item's changes follow it there: new dates reschedule
it, a new executor reassigns it, deletion or finishing closes it. The way back — the issuer accepting the
report — is ``items.item_done_from_control`` (a subscriber of ``control.accepted``).
"""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.bulksql import chunks
from krai.core.workcalendar.selectors import previous_working_day
from krai.orders import services as control
from krai.orders.models import OPEN_STATUSES, Assignment, Status
from krai.orders.selectors import control_for_subject
from krai.projects.models import Project, WorkItem

KIND = "project.item"


def should_be_controlled(item: WorkItem) -> bool:
    # an item with parts is finished through them (its progress is theirs), so it is not on control itself
    return (item.kind in WorkItem.CONTROLLED and item.owner_organisation_id is not None
            and item.actual_finish is None and item.project.status == Project.Status.ACTIVE
            and not item.children.exists())


def title_of(item: WorkItem) -> str:
    return f"{item.project.code} · {item.wbs} {item.title}"[:500]


def open_assignment(item: WorkItem) -> Assignment | None:
    found = control_for_subject(item)
    return found if found is not None and found.status not in (Status.DONE, Status.CANCELLED) else None


def sync(item: WorkItem, *, today: date | None = None) -> Assignment | None:
    """Bring the item's assignment in line with the item (open, reschedule, reassign or cancel it)."""
    today = today or timezone.localdate()
    current = open_assignment(item)
    if not should_be_controlled(item):
        if current is not None and item.actual_finish is None:
            control.control_cancel(actor=None, assignment=current,
                                   reason=_("The project item is no longer on control."))
        return None
    if current is None:
        project = item.project
        return control.control_open(
            actor=None, kind=KIND, subject=item, title=title_of(item), executor_organisation=item.owner_organisation,
            executor_user=item.responsible, controller_organisation=project.owner_organisation,
            issuer_organisation=project.owner_organisation, issuer=project.manager,
            deadline=item.planned_finish,
            issued_on=min(today, previous_working_day(item.planned_start)), text=item.description)
    if (current.executor_organisation_id != item.owner_organisation_id
            or current.executor_user_id != item.responsible_id):
        control.control_reassign(actor=None, assignment=current, executor_organisation=item.owner_organisation,
                                 executor_user=item.responsible, reason=_("The project item's executor changed."))
    if current.deadline != item.planned_finish:
        control.control_reschedule(actor=None, assignment=current, deadline=item.planned_finish,
                                   reason=_("The project's plan moved."))
    return current


def cancel(item: WorkItem, reason: str) -> None:
    current = open_assignment(item)
    if current is not None:
        control.control_cancel(actor=None, assignment=current, reason=reason)


def finish(item: WorkItem, *, on: date, text: str) -> None:
    """The plan's editor marked the item finished: report and accept its assignment as the system."""
    current = open_assignment(item)
    if current is None:
        return
    if current.status != Status.REPORTED:
        control.control_report(actor=None, assignment=current, text=text or _("Finished."), submitted_on=on)
    control.control_accept(actor=None, assignment=current, on=on)


def reschedule_many(finishes: dict[int, date]) -> int:
    """After a re-plan: move the open assignments of the controlled items among ``finishes`` (item id → its new
    planned finish) in one set-based write (``control_reschedule_many``). Answers how many moved."""
    item_type = ContentType.objects.get_for_model(WorkItem)
    deadlines: dict[int, date] = {}
    for chunk in chunks([str(pk) for pk in finishes]):
        for assignment_id, subject_id in Assignment.objects.filter(
                subject_type=item_type, subject_id__in=chunk, parent__isnull=True,
                status__in=OPEN_STATUSES).values_list("pk", "subject_id"):
            deadlines[assignment_id] = finishes[int(subject_id)]
    return control.control_reschedule_many(actor=None, deadlines=deadlines, reason=_("The project's plan moved."))
