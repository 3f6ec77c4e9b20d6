"""Projects: /api/v1/projects/projects/ (list filtered by programme, status, health; create) and
…/projects/{code}/ (get with the analysis summary; patch)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from krai.core.api import Pagination
from krai.projects import analysis, selectors, services
from krai.projects.api.common import ProjectsView, errors, require
from krai.projects.api.serializers import (
    ProjectDetailOut,
    ProjectIn,
    ProjectListQuery,
    ProjectOut,
    ProjectPatchIn,
)
from krai.projects.models import Project

NEXT_CONTROL_POINTS = 5


def summary_of(result: analysis.Analysis) -> dict[str, Any]:
    """The project's state in one read: what the card of the project shows above its plan."""
    upcoming = sorted((row for row in result.rows if row.item.is_milestone and not row.item.is_done),
                      key=lambda row: (row.item.planned_finish, row.item.path))[:NEXT_CONTROL_POINTS]
    return {
        "progress": result.progress, "budget_planned": result.budget_planned, "budget_spent": result.budget_spent,
        "health": result.health, "health_label": result.health_label, "reasons": [str(r) for r in result.reasons],
        "planned_finish": result.planned_finish, "items": len(result.rows),
        "critical": sum(1 for row in result.rows if row.critical and not row.has_parts and not row.item.is_done),
        "next_control_points": [{"id": row.item.pk, "wbs": row.item.wbs, "title": row.item.title,
                                 "planned_finish": row.item.planned_finish, "overdue": row.overdue}
                                for row in upcoming]}


def detail(project: Project) -> dict[str, Any]:
    project = Project.objects.select_related("programme", "owner_organisation", "manager", "curator").prefetch_related(
        "indicators").get(pk=project.pk)
    result = analysis.analyse(project)
    return ProjectDetailOut(project, context={"summary": summary_of(result),
                                              "analyses": {project.pk: result}}).data


class Projects(ProjectsView):
    @extend_schema(operation_id="projects_projects_list", parameters=[ProjectListQuery],
                   responses={200: ProjectOut(many=True), **errors(400, 401, 403)},
                   summary="Projects the caller sees, with their health and progress")
    def get(self, request):
        q = self.query(ProjectListQuery)
        projects = selectors.projects_for(request.user).select_related(
            "programme", "owner_organisation", "manager", "curator").order_by("programme__code", "code")
        if q.get("programme"):
            projects = projects.filter(programme__code=q["programme"])
        if q.get("status"):
            projects = projects.filter(status=q["status"])
        paginator = Pagination()
        if q.get("health"):
            # health is computed, not stored: every candidate is analysed, then the page is cut
            analyses = {p.pk: analysis.analyse(p) for p in projects}
            chosen = [p for p in projects if analyses[p.pk].health == q["health"]]
            page = paginator.paginate_queryset(chosen, request, view=self)
        else:
            page = paginator.paginate_queryset(projects, request, view=self)
            analyses = {p.pk: analysis.analyse(p) for p in page}
        return paginator.get_paginated_response(ProjectOut(page, many=True, context={"analyses": analyses}).data)

    @extend_schema(operation_id="projects_projects_create", request=ProjectIn,
                   responses={201: ProjectDetailOut, **errors(400, 401, 403, 404)},
                   summary="Create a project in a programme")
    def post(self, request):
        programme_code = request.data.get("programme") if hasattr(request.data, "get") else None
        if isinstance(programme_code, str) and programme_code:
            programme = self.programme(programme_code)
            require(request.user, "projects.manage_programme", programme,
                  _("You may not add projects to this programme."))
        data = self.body(ProjectIn)
        programme = self.programme(data.pop("programme"))
        indicators = data.pop("indicators", ())
        project = services.project_create(actor=request.user, programme=programme, indicators=indicators, **data)
        return Response(detail(project), status=status.HTTP_201_CREATED)


class ProjectDetail(ProjectsView):
    @extend_schema(operation_id="projects_projects_retrieve",
                   responses={200: ProjectDetailOut, **errors(401, 403, 404)},
                   summary="One project with its summary: progress, budget, health and why, next control points")
    def get(self, request, code: str):
        return Response(detail(self.project(code)))

    @extend_schema(operation_id="projects_projects_partial_update", request=ProjectPatchIn(partial=True),
                   responses={200: ProjectDetailOut, **errors(400, 401, 403, 404)},
                   summary="Change a project (only the fields sent)")
    def patch(self, request, code: str):
        project = self.project(code)
        require(request.user, "projects.edit_project", project, _("You may not change this project."))
        data = self.body(ProjectPatchIn, partial=True)
        indicators = data.pop("indicators", None)
        project = services.project_update(actor=request.user, project=project, indicators=indicators, **data)
        return Response(detail(project))
