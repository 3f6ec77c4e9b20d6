"""Baselines of a project: /api/v1/projects/projects/{code}/baselines/ (list, save), …/baselines/{id}/ (delete)
and …/baselines/{id}/slippage/ (today's plan against the saved one, item by item, in calendar days)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from krai.projects import analysis, selectors, services
from krai.projects.api.common import ProjectsView, errors
from krai.projects.api.plan_serializers import (
    ProjectBaselineIn,
    ProjectBaselineOut,
    ProjectSlippageOut,
    ProjectSlippageQuery,
)
from krai.projects.models import Baseline, Project


class BaselineView(ProjectsView):
    def baseline(self, project: Project, pk: int) -> Baseline:
        found = selectors.baselines_of(project).filter(pk=pk).first()
        if found is None:
            raise Http404
        return found


class Baselines(BaselineView):
    @extend_schema(operation_id="projects_baselines_list",
                   responses={200: ProjectBaselineOut(many=True), **errors(401, 403, 404)},
                   summary="Saved baselines, newest first")
    def get(self, request, code: str):
        project = self.project(code)
        return Response(ProjectBaselineOut(selectors.baselines_of(project), many=True).data)

    @extend_schema(operation_id="projects_baselines_create", request=ProjectBaselineIn,
                   responses={201: ProjectBaselineOut, **errors(400, 401, 403, 404)},
                   summary="Save today's plan as a baseline")
    def post(self, request, code: str):
        project = self.project(code)
        self.may_edit(project)
        baseline = services.baseline_save(actor=request.user, project=project, **self.body(ProjectBaselineIn))
        return Response(ProjectBaselineOut(baseline).data, status=status.HTTP_201_CREATED)


class BaselineDetail(BaselineView):
    @extend_schema(operation_id="projects_baselines_destroy", request=None,
                   responses={204: None, **errors(401, 403, 404)}, summary="Delete a baseline")
    def delete(self, request, code: str, pk: int):
        project = self.project(code)
        services.baseline_delete(actor=request.user, baseline=self.baseline(project, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class Slippage(BaselineView):
    @extend_schema(operation_id="projects_baselines_slippage", parameters=[ProjectSlippageQuery],
                   responses={200: ProjectSlippageOut, **errors(400, 401, 403, 404)},
                   summary="Today's plan against a baseline: per item, the days its start and finish moved")
    def get(self, request, code: str, pk: int):
        project = self.project(code)
        baseline = self.baseline(project, pk)
        only_changed = self.query(ProjectSlippageQuery)["changed"]
        slips = analysis.slippage(analysis.analyse(project, items=selectors.plan(project)), baseline)
        counts = {name: sum(1 for s in slips if s.status == name) for name in ("moved", "added", "removed")}
        shown = [s for s in slips if s.status != "same"] if only_changed else slips
        return Response(ProjectSlippageOut({
            "baseline": baseline, **counts, "finish_days_max": max((s.finish_days for s in slips), default=0),
            "items": shown}).data)
