"""The work breakdown of a project: /api/v1/projects/projects/{code}/items/ and …/items/{id}/, with the moves of
dates (…/dates/: the chain that follows shifts; 409 when the shift breaks something and is not confirmed) and the
executor's reports (…/progress/)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from krai.core.api import Pagination
from krai.projects import analysis, planner, selectors, services
from krai.projects.api.common import ProjectsView, errors, require, warnings_out
from krai.projects.api.plan_serializers import (
    ProjectDatesIn,
    ProjectItemIn,
    ProjectItemOut,
    ProjectItemPatchIn,
    ProjectProgressIn,
    ProjectRescheduleOut,
)
from krai.projects.models import Project, WorkItem

DATE_FIELDS = ("planned_start", "planned_finish")


def row_of(project: Project, pk: int) -> dict[str, Any]:
    """One item as the whole plan's analysis sees it (its progress and critical flag depend on the rest)."""
    result = analysis.analyse(project, items=selectors.plan(project))
    return ProjectItemOut(result.by_id[pk]).data


def changes_of(plan: planner.Plan, moved: WorkItem | None = None) -> list[dict[str, Any]]:
    """Every item whose dates the plan changed, in outline order, as stored now; ``moved`` and the parts it
    carried along are marked as moved by the request."""
    items = WorkItem.objects.filter(pk__in=list(plan.dates)).order_by("project_id", "path")

    def carried(item: WorkItem) -> bool:
        return moved is not None and (item.pk == moved.pk or (
            item.project_id == moved.project_id and item.path.startswith(moved.path) and item.pk not in plan.shifted))

    return [{"id": item.pk, "wbs": item.wbs, "title": item.title, "planned_start": item.planned_start,
             "planned_finish": item.planned_finish, "moved": carried(item),
             "shifted_days": plan.shifted.get(item.pk)} for item in items]


class Items(ProjectsView):
    @extend_schema(operation_id="projects_items_list", responses={200: ProjectItemOut(many=True),
                                                                   **errors(401, 403, 404)},
                   summary="The plan in outline order, with rolled-up progress, the critical path and float")
    def get(self, request, code: str):
        project = self.project(code)
        result = analysis.analyse(project, items=selectors.plan(project))
        paginator = Pagination()
        page = paginator.paginate_queryset(result.rows, request, view=self)
        return paginator.get_paginated_response(ProjectItemOut(page, many=True).data)

    @extend_schema(operation_id="projects_items_create", request=ProjectItemIn,
                   responses={201: ProjectItemOut, **errors(400, 401, 403, 404)},
                   summary="Add an item (under a parent, within its dates)")
    def post(self, request, code: str):
        project = self.project(code)
        self.may_edit(project)
        data = self.body(ProjectItemIn)
        parent_id = data.pop("parent", None)
        parent = None
        if parent_id is not None:
            parent = WorkItem.objects.filter(project=project, pk=parent_id).first()
            if parent is None:
                raise ValidationError({"parent": _("No such item in this project.")}, code="invalid")
        item = services.item_create(actor=request.user, project=project, parent=parent, **data)
        return Response(row_of(project, item.pk), status=status.HTTP_201_CREATED)


class ItemDetail(ProjectsView):
    @extend_schema(operation_id="projects_items_retrieve", responses={200: ProjectItemOut, **errors(401, 403, 404)},
                   summary="One item of the plan")
    def get(self, request, code: str, pk: int):
        project = self.project(code)
        return Response(row_of(project, self.item(project, pk).pk))

    @extend_schema(operation_id="projects_items_partial_update", request=ProjectItemPatchIn,
                   responses={200: ProjectItemOut, **errors(400, 401, 403, 404)},
                   summary="Change what an item is and who does it (dates move through …/dates/)")
    def patch(self, request, code: str, pk: int):
        project = self.project(code)
        item = self.item(project, pk)
        self.may_edit(project)
        if hasattr(request.data, "keys") and any(name in request.data for name in DATE_FIELDS):
            raise ValidationError({name: _("Dates move through …/dates/, which shifts what follows.")
                                   for name in DATE_FIELDS if name in request.data}, code="invalid")
        data = self.body(ProjectItemPatchIn, partial=True)
        services.item_update(actor=request.user, item=item, **data)
        return Response(row_of(project, item.pk))

    @extend_schema(operation_id="projects_items_destroy", request=None,
                   responses={204: None, **errors(401, 403, 404)}, summary="Delete an item with its parts and links")
    def delete(self, request, code: str, pk: int):
        project = self.project(code)
        item = self.item(project, pk)
        services.item_delete(actor=request.user, item=item)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ItemDates(ProjectsView):
    @extend_schema(operation_id="projects_items_dates", request=ProjectDatesIn,
                   responses={200: ProjectRescheduleOut, **errors(400, 401, 403, 404, 409)},
                   summary="Move an item's planned dates; what follows it shifts")
    def post(self, request, code: str, pk: int):
        project = self.project(code)
        item = self.item(project, pk)
        self.may_edit(project)
        data = self.body(ProjectDatesIn)
        plan = services.reschedule(actor=request.user, project=project,
                                   moves={item: (data["planned_start"], data["planned_finish"])},
                                   confirm=data["confirm"])
        return Response(ProjectRescheduleOut({"items": changes_of(plan, item), "warnings": warnings_out(plan)}).data)


class ItemProgress(ProjectsView):
    @extend_schema(operation_id="projects_items_progress", request=ProjectProgressIn,
                   responses={200: ProjectItemOut, **errors(400, 401, 403, 404)},
                   summary="Report on an item: progress, actual dates, money spent")
    def post(self, request, code: str, pk: int):
        project = self.project(code)
        item = self.item(project, pk)
        require(request.user, "projects.report_item", item, _("You may not report on this item."))
        services.item_progress(actor=request.user, item=item, **self.body(ProjectProgressIn))
        return Response(row_of(project, item.pk))
