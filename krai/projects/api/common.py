"""What every view of the projects API shares: staff only, scoped look-ups (404 alike for missing and hidden),
the services' refusals kept with their messages, and a move that needs confirmation answered with 409."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.projects import planner, selectors
from krai.projects.models import Programme, Project, WorkItem
from krai.projects.services import NeedsConfirmation

ERRORS = {
    400: OpenApiResponse(description=gettext_lazy(
        'Invalid input: {"error": {"status", "code", "message", "fields"}}')),
    401: OpenApiResponse(description=gettext_lazy("Not signed in")),
    403: OpenApiResponse(description=gettext_lazy("Not allowed; the message says why")),
    404: OpenApiResponse(description=gettext_lazy("Missing, or not visible to the caller (the same answer)")),
    409: OpenApiResponse(description=gettext_lazy(
        'The change breaks a control point, a parent\'s dates or a fixed item: {"error": {…, "warnings": '
        '[…]}}; nothing was changed. Send it again with "confirm": true to apply it.')),
}

PLAN_DENIED = "You may not change this project's plan."  # the services' own message (msgid shared with them)


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


class MayViewProjects(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm("projects.view"))


def require(user, perm: str, obj, message: str) -> None:
    """The services check the same rule again; checking first refuses before the body is even read."""
    if not user.has_perm(perm, obj):
        raise exceptions.PermissionDenied(message)


def warnings_out(plan: planner.Plan) -> list[dict[str, Any]]:
    return [{"item": w.item_id, "code": w.code, "message": str(w.message)} for w in plan.warnings]


def confirmation_needed(plan: planner.Plan) -> Response:
    """409: what the change would break, in the one error format plus ``warnings``; nothing was written."""
    message = _("The change needs confirmation: %(warnings)s Send it again with \"confirm\": true to apply it.") % {
        "warnings": " ".join(str(w.message) for w in plan.warnings)}
    body = {"error": {"status": status.HTTP_409_CONFLICT, "code": "needs_confirmation", "message": message,
                      "warnings": warnings_out(plan), "shifted": len(plan.dates)}}
    return Response(body, status=status.HTTP_409_CONFLICT)


class ProjectsView(APIView):
    """Base of every view here: the caller is staff; service refusals keep their message."""

    permission_classes = [permissions.IsAuthenticated, MayViewProjects]

    def handle_exception(self, exc):
        if isinstance(exc, NeedsConfirmation):
            return confirmation_needed(exc.plan)
        if isinstance(exc, DjangoPermissionDenied) and str(exc):
            exc = exceptions.PermissionDenied(str(exc))
        return super().handle_exception(exc)

    def body(self, serializer_class, *, partial: bool = False) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def query(self, serializer_class) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def programme(self, code: str) -> Programme:
        return selectors.programme_get(user=self.request.user, code=code)

    def project(self, code: str) -> Project:
        return selectors.project_get(user=self.request.user, code=code)

    def item(self, project: Project, pk: int) -> WorkItem:
        return selectors.item_get(user=self.request.user, project=project, pk=pk)

    def may_edit(self, project: Project) -> None:
        """Refuse before reading the body, so one who may only look gets 403 whatever he sends."""
        require(self.request.user, "projects.edit_project", project, _(PLAN_DENIED))
