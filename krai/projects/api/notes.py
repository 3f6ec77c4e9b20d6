"""Risks and status reports of a project: /api/v1/projects/projects/{code}/risks/ (list, add), …/risks/{id}/
(change, close) and …/reports/ (list, add)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from krai.core.api import Pagination
from krai.projects import services
from krai.projects.api.common import ProjectsView, errors
from krai.projects.api.plan_serializers import ProjectReportIn, ProjectReportOut, ProjectRiskIn, ProjectRiskOut


class Risks(ProjectsView):
    @extend_schema(operation_id="projects_risks_list", responses={200: ProjectRiskOut(many=True),
                                                                   **errors(401, 403, 404)},
                   summary="The project's risks, open ones first")
    def get(self, request, code: str):
        project = self.project(code)
        return Response(ProjectRiskOut(project.risks.select_related("created_by"), many=True).data)

    @extend_schema(operation_id="projects_risks_create", request=ProjectRiskIn,
                   responses={201: ProjectRiskOut, **errors(400, 401, 403, 404)}, summary="Add a risk")
    def post(self, request, code: str):
        project = self.project(code)
        self.may_edit(project)
        data = self.body(ProjectRiskIn)
        is_open = data.pop("is_open", True)
        risk = services.risk_add(actor=request.user, project=project, **data)
        if not is_open:
            risk = services.risk_update(actor=request.user, risk=risk, is_open=False)
        return Response(ProjectRiskOut(risk).data, status=status.HTTP_201_CREATED)


class RiskDetail(ProjectsView):
    @extend_schema(operation_id="projects_risks_partial_update", request=ProjectRiskIn(partial=True),
                   responses={200: ProjectRiskOut, **errors(400, 401, 403, 404)},
                   summary="Change a risk (is_open: false closes it)")
    def patch(self, request, code: str, pk: int):
        project = self.project(code)
        risk = project.risks.filter(pk=pk).first()
        if risk is None:
            raise Http404
        self.may_edit(project)
        risk = services.risk_update(actor=request.user, risk=risk, **self.body(ProjectRiskIn, partial=True))
        return Response(ProjectRiskOut(risk).data)


class Reports(ProjectsView):
    @extend_schema(operation_id="projects_reports_list", responses={200: ProjectReportOut(many=True),
                                                                     **errors(401, 403, 404)},
                   summary="The project manager's status reports, newest first")
    def get(self, request, code: str):
        project = self.project(code)
        paginator = Pagination()
        page = paginator.paginate_queryset(project.reports.select_related("author"), request, view=self)
        return paginator.get_paginated_response(ProjectReportOut(page, many=True).data)

    @extend_schema(operation_id="projects_reports_create", request=ProjectReportIn,
                   responses={201: ProjectReportOut, **errors(400, 401, 403, 404)}, summary="Add a status report")
    def post(self, request, code: str):
        project = self.project(code)
        self.may_edit(project)
        report = services.status_report_add(actor=request.user, project=project, **self.body(ProjectReportIn))
        return Response(ProjectReportOut(report).data, status=status.HTTP_201_CREATED)
