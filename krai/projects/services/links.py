"""Dependencies between items: added (refused if they would loop), removed."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.projects import planner, scheduling
from krai.projects.models import Dependency, Project, WorkItem
from krai.projects.services.schedule import NeedsConfirmation, _cycle_error, _write
from krai.projects.validation import check


def _label(item: WorkItem) -> str:
    return f"{item.wbs} {item.title}"


@transaction.atomic
def dependency_add(*, actor, predecessor: WorkItem, successor: WorkItem, type: str = Dependency.Type.FS,
                   lag: int = 0, confirm: bool = False, today: date | None = None) -> tuple[Dependency, planner.Plan]:
    """Link two items of one programme; the successor (and what follows it) moves if the link needs it."""
    project: Project = successor.project
    check(actor, "projects.edit_project", project, _("You may not change this project's plan."))
    if predecessor.project.programme_id != project.programme_id:
        raise ValidationError(_("Both items must belong to projects of the same programme."), code="programme")
    if predecessor.pk == successor.pk:
        raise ValidationError(_("An item cannot depend on itself."), code="cycle")
    if type not in Dependency.Type.values:
        raise ValidationError({"type": _("Choose a type of dependency.")}, code="invalid")
    if not isinstance(lag, int) or isinstance(lag, bool) or not -250 <= lag <= 250:
        raise ValidationError({"lag": _("The lag is a whole number of working days from -250 to 250.")},
                              code="invalid")
    if predecessor.project_id == successor.project_id and (
            successor.path.startswith(predecessor.path) or predecessor.path.startswith(successor.path)):
        raise ValidationError(_("An item cannot depend on its own part or on the item it is part of."),
                              code="ancestor")
    if Dependency.objects.filter(predecessor=predecessor, successor=successor).exists():
        raise ValidationError(_("These items are already linked."), code="duplicate")
    Project.objects.select_for_update().filter(programme_id=project.programme_id).values_list("pk", flat=True).first()
    loaded = planner.load(project.programme_id)
    if scheduling.reaches(loaded.graph, successor.pk, predecessor.pk):
        raise _cycle_error(scheduling.CycleError([predecessor.pk, successor.pk]), loaded)
    loaded.graph.add(scheduling.Link(predecessor.pk, successor.pk, type, lag))
    try:
        plan = planner.propose(loaded, {}, walk_from=frozenset({predecessor.pk}))
    except scheduling.CycleError as error:
        raise _cycle_error(error, loaded) from error
    if plan.warnings and not confirm:
        raise NeedsConfirmation(plan)
    link = Dependency.objects.create(programme_id=project.programme_id, predecessor=predecessor,
                                     successor=successor, type=type, lag=lag)
    _write(plan, today=today)
    record_event(kind="projects.dependency_added", actor=actor, subject=project, payload={
        "predecessor": _label(predecessor), "successor": _label(successor), "type": type, "lag": lag,
        "shifted": len(plan.dates)})
    return link, plan


@transaction.atomic
def dependency_remove(*, actor, dependency: Dependency) -> None:
    project = dependency.successor.project
    check(actor, "projects.edit_project", project, _("You may not change this project's plan."))
    record_event(kind="projects.dependency_removed", actor=actor, subject=project, payload={
        "predecessor": _label(dependency.predecessor), "successor": _label(dependency.successor),
        "type": dependency.type, "lag": dependency.lag})
    dependency.delete()
