"""Baselines: the plan saved under a name, to compare today's plan with."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.projects.models import Baseline, BaselineItem, Project, WorkItem
from krai.projects.validation import check

MAX_BASELINES = 50


@transaction.atomic
def baseline_save(*, actor, project: Project, name: str) -> Baseline:
    check(actor, "projects.edit_project", project, _("You may not change this project's plan."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the baseline.")}, code="required")
    if project.baselines.count() >= MAX_BASELINES:
        raise ValidationError(_("A project keeps at most %(n)s baselines; delete an old one first.")
                              % {"n": MAX_BASELINES}, code="too_many")
    person = actor if actor is not None and actor.is_authenticated else None
    baseline = Baseline.objects.create(project=project, name=name[:200], created_by=person)
    rows = WorkItem.objects.filter(project=project).values_list("id", "path", "title", "planned_start",
                                                                "planned_finish", "budget_planned")
    BaselineItem.objects.bulk_create(
        [BaselineItem(baseline=baseline, item_id=pk, wbs=".".join(str(int(p)) for p in path.split(".") if p),
                      title=title, planned_start=start, planned_finish=finish, budget_planned=budget)
         for pk, path, title, start, finish, budget in rows], batch_size=1000)
    record_event(kind="projects.baseline_saved", actor=actor, subject=project,
                 payload={"baseline": baseline.pk, "name": baseline.name, "items": len(rows)})
    return baseline


@transaction.atomic
def baseline_delete(*, actor, baseline: Baseline) -> None:
    check(actor, "projects.edit_project", baseline.project, _("You may not change this project's plan."))
    record_event(kind="projects.baseline_deleted", actor=actor, subject=baseline.project,
                 payload={"baseline": baseline.pk, "name": baseline.name})
    baseline.delete()
