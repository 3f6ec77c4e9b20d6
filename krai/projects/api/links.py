"""Dependencies of a project's items: /api/v1/projects/projects/{code}/dependencies/ (list, create) and
…/dependencies/{id}/ (delete). A link may join an item of another project of the same programme."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from krai.projects import selectors, services
from krai.projects.api.common import ProjectsView, errors
from krai.projects.api.items import changes_of
from krai.projects.api.plan_serializers import ProjectDependencyCreatedOut, ProjectDependencyIn, ProjectDependencyOut
from krai.projects.models import Dependency, Project, WorkItem


class Dependencies(ProjectsView):
    def end(self, project: Project, pk: int, field: str) -> WorkItem:
        """An end of a new link: an item of a project of the programme that the caller sees."""
        found = (WorkItem.objects.select_related("project").filter(
            pk=pk, project__programme_id=project.programme_id,
            project__in=selectors.projects_for(self.request.user)).first())
        if found is None:
            raise ValidationError({field: _("No such item in the projects of this programme.")}, code="invalid")
        return found

    @extend_schema(operation_id="projects_dependencies_list",
                   responses={200: ProjectDependencyOut(many=True), **errors(401, 403, 404)},
                   summary="Links with at least one end in the project")
    def get(self, request, code: str):
        project = self.project(code)
        return Response(ProjectDependencyOut(selectors.links_of(project), many=True).data)

    @extend_schema(operation_id="projects_dependencies_create", request=ProjectDependencyIn,
                   responses={201: ProjectDependencyCreatedOut, **errors(400, 401, 403, 404, 409)},
                   summary="Link two items; the successor and what follows it shift if the link needs it")
    def post(self, request, code: str):
        project = self.project(code)
        self.may_edit(project)
        data = self.body(ProjectDependencyIn)
        predecessor = self.end(project, data.pop("predecessor"), "predecessor")
        successor = self.end(project, data.pop("successor"), "successor")
        if project.pk not in (predecessor.project_id, successor.project_id):
            raise ValidationError(_("At least one end of the link must be an item of this project."),
                                  code="invalid")
        link, plan = services.dependency_add(actor=request.user, predecessor=predecessor, successor=successor, **data)
        link = Dependency.objects.select_related("predecessor__project", "successor__project").get(pk=link.pk)
        return Response(ProjectDependencyCreatedOut(link, context={"shifted": changes_of(plan)}).data,
                        status=status.HTTP_201_CREATED)


class DependencyDetail(ProjectsView):
    @extend_schema(operation_id="projects_dependencies_destroy", request=None,
                   responses={204: None, **errors(401, 403, 404)},
                   summary="Remove a link (the dates stay where they are)")
    def delete(self, request, code: str, pk: int):
        project = self.project(code)
        link = next((link for link in selectors.links_of(project) if link.pk == pk), None)
        if link is None:
            raise Http404
        services.dependency_remove(actor=request.user, dependency=link)
        return Response(status=status.HTTP_204_NO_CONTENT)
