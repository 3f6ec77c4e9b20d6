"""Programmes: /api/v1/projects/programmes/ (list, create) and …/programmes/{code}/ (get, patch)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from krai.core.api import Pagination
from krai.projects import selectors, services
from krai.projects.api.common import ProjectsView, errors, require
from krai.projects.api.serializers import ProjectProgrammeIn, ProjectProgrammeOut


class Programmes(ProjectsView):
    @extend_schema(operation_id="projects_programmes_list", responses={200: ProjectProgrammeOut(many=True),
                                                                      **errors(401, 403)},
                   summary="Programmes the caller sees")
    def get(self, request):
        programmes = selectors.programmes_for(request.user).select_related("owner_organisation", "curator")
        paginator = Pagination()
        page = paginator.paginate_queryset(programmes.order_by("level", "code"), request, view=self)
        return paginator.get_paginated_response(ProjectProgrammeOut(page, many=True).data)

    @extend_schema(operation_id="projects_programmes_create", request=ProjectProgrammeIn,
                   responses={201: ProjectProgrammeOut, **errors(400, 401, 403)}, summary="Create a programme")
    def post(self, request):
        require(request.user, "projects.create_programme", None, _("You may not create programmes."))
        programme = services.programme_create(actor=request.user, **self.body(ProjectProgrammeIn))
        return Response(ProjectProgrammeOut(programme).data, status=status.HTTP_201_CREATED)


class ProgrammeDetail(ProjectsView):
    @extend_schema(operation_id="projects_programmes_retrieve",
                   responses={200: ProjectProgrammeOut, **errors(401, 403, 404)}, summary="One programme")
    def get(self, request, code: str):
        return Response(ProjectProgrammeOut(self.programme(code)).data)

    @extend_schema(operation_id="projects_programmes_partial_update", request=ProjectProgrammeIn(partial=True),
                   responses={200: ProjectProgrammeOut, **errors(400, 401, 403, 404)},
                   summary="Change a programme (only the fields sent)")
    def patch(self, request, code: str):
        programme = self.programme(code)
        require(request.user, "projects.manage_programme", programme, _("You may not change this programme."))
        programme = services.programme_update(actor=request.user, programme=programme,
                                              **self.body(ProjectProgrammeIn, partial=True))
        return Response(ProjectProgrammeOut(programme).data)
