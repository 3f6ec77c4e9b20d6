"""What the projects put in a person's planner (``krai.core.agenda``): the planned finish of the work items he is
responsible for — tasks, stages, results, and control points as milestones — in the projects he may read that
are not closed. The key is ``projects:item:<id>`` whatever the item's kind, so it stays when the kind changes.

An item on control (``krai.projects.binding``: a task or a control point with an executor body) is an assignment
of the control engine with him as its executor, and the orders area already shows its deadline; such an item is
left out here so that the day does not list it twice. Two or three queries, however many items.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import pgettext

from krai.core.agenda import AgendaItem, window_days
from krai.orders.models import Assignment, Status
from krai.projects.models import Project, WorkItem
from krai.projects.selectors import projects_for

AREA = "projects"


def _status(item: WorkItem) -> str:
    if item.actual_finish is not None:
        return pgettext("project item", "finished")
    if item.actual_start is not None or item.progress:
        return pgettext("project item", "in progress, %(percent)s%%") % {"percent": item.progress}
    return pgettext("project item", "not started")


def items(user, start: datetime, end: datetime) -> list[AgendaItem]:
    """The work items ``user`` is responsible for whose planned finish falls between ``start`` and ``end``."""
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff or end <= start:
        return []
    first, last = window_days(start, end)
    on_control = Assignment.objects.filter(
        subject_type=ContentType.objects.get_for_model(WorkItem), subject_id=Cast(OuterRef("pk"), CharField()),
        executor_user_id=user.pk).exclude(status=Status.CANCELLED)
    rows = (WorkItem.objects.filter(responsible_id=user.pk, project__in=projects_for(user),
                                    planned_finish__gte=first, planned_finish__lte=last)
            .exclude(project__status=Project.Status.CLOSED).exclude(Exists(on_control))
            .select_related("project").order_by("planned_finish", "project_id", "path"))
    today = timezone.localdate()
    found: list[AgendaItem] = []
    for item in rows:
        kind = "milestone" if item.is_milestone else item.kind
        found.append(AgendaItem(
            key=f"{AREA}:item:{item.pk}", area=AREA, kind=kind, title=item.title, start=item.planned_finish,
            url=item.get_absolute_url(), overdue=item.actual_finish is None and item.planned_finish < today,
            status=_status(item), detail=f"{item.project.code} · {item.wbs}"))
    return found
