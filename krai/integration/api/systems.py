"""API of the registered systems under /api/v1/integration/systems/ (administrators only: anyone else 403, a
stranger 401): the list (paged) and registering one, a system and its change (``is_active`` deactivates or
reactivates it), its tokens and issuing one (the key in that answer only); and /api/v1/integration/me/, where a
system's token asks which system it is, its rate limit and its scopes. The same services and selectors as the
pages."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from krai.accounts.models import ApiToken
from krai.core.api import Pagination
from krai.core.api_views import AreaView, errors
from krai.integration.api.serializers import (
    IntegrationMeOut,
    IntegrationSystemIn,
    IntegrationSystemOut,
    IntegrationSystemPageOut,
    IntegrationSystemPatchIn,
    IntegrationSystemQuery,
    IntegrationTokenIn,
    IntegrationTokenIssuedOut,
    IntegrationTokenOut,
)
from krai.integration.rates import effective_rate
from krai.integration.selectors import systems as selectors
from krai.integration.services import systems as services


class MayManageSystems(permissions.BasePermission):
    message = _("Only an administrator registers and changes external systems.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return selectors.may_manage(request.user)


class SystemsView(AreaView):
    permission_classes = [permissions.IsAuthenticated, MayManageSystems]


def _out(system: Any) -> dict[str, Any]:
    return IntegrationSystemOut(system).data


@extend_schema(tags=["integration"])
class SystemList(SystemsView):
    """Registered systems by name (filters: words, kind, active), paged; POST registers one with its service account
    acting in one role within one scope."""

    @extend_schema(operation_id="integration_systems_list", parameters=[IntegrationSystemQuery],
                   responses={200: IntegrationSystemPageOut, **errors(400, 401, 403)})
    def get(self, request: Request) -> Response:
        query = IntegrationSystemQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        rows = selectors.system_list(user=request.user, q=data.get("q", ""), kind=data.get("kind", ""),
                                     active=data.get("active"))
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(IntegrationSystemOut(page, many=True).data)

    @extend_schema(operation_id="integration_systems_create", request=IntegrationSystemIn,
                   responses={201: IntegrationSystemOut, **errors(400, 401, 403)})
    def post(self, request: Request) -> Response:
        system = services.system_register(actor=request.user, **self.body(IntegrationSystemIn))
        return Response(_out(system), status=status.HTTP_201_CREATED)


@extend_schema(tags=["integration"])
class SystemDetail(SystemsView):
    """One system with the role its account acts in; PATCH changes what is given (a new access replaces the role;
    ``is_active`` false deactivates, true reactivates)."""

    @extend_schema(operation_id="integration_systems_retrieve",
                   responses={200: IntegrationSystemOut, **errors(401, 403, 404)})
    def get(self, request: Request, code: str) -> Response:
        return Response(_out(selectors.system_get(user=request.user, code=code)))

    @extend_schema(operation_id="integration_systems_partial_update", request=IntegrationSystemPatchIn,
                   responses={200: IntegrationSystemOut, **errors(400, 401, 403, 404)})
    def patch(self, request: Request, code: str) -> Response:
        system = selectors.system_get(user=request.user, code=code)
        data = self.body(IntegrationSystemPatchIn, partial=True)
        active = data.pop("is_active", None)
        with transaction.atomic():  # a refusal of the second step leaves the first undone
            if active is True and not system.is_active:
                system = services.system_reactivate(actor=request.user, system=system)
            if data:
                system = services.system_update(actor=request.user, system=system, **data)
            if active is False and system.is_active:
                system = services.system_deactivate(actor=request.user, system=system)
        return Response(_out(selectors.system_get(user=request.user, code=code)))


@extend_schema(tags=["integration"])
class SystemTokens(SystemsView):
    """The system's tokens, the newest first (never their keys); POST issues one: the key is in that answer only."""

    @extend_schema(operation_id="integration_systems_tokens_list",
                   responses={200: IntegrationTokenOut(many=True), **errors(401, 403, 404)})
    def get(self, request: Request, code: str) -> Response:
        system = selectors.system_get(user=request.user, code=code)
        return Response(IntegrationTokenOut(selectors.system_tokens(system), many=True).data)

    @extend_schema(operation_id="integration_systems_tokens_create", request=IntegrationTokenIn,
                   responses={201: IntegrationTokenIssuedOut, **errors(400, 401, 403, 404)})
    def post(self, request: Request, code: str) -> Response:
        system = selectors.system_get(user=request.user, code=code)
        issued = services.system_token_issue(actor=request.user, system=system, **self.body(IntegrationTokenIn))
        body = {**IntegrationTokenOut(issued.token).data, "key": issued.key}
        response = Response(body, status=status.HTTP_201_CREATED)
        response["Cache-Control"] = "no-store"
        return response


@extend_schema(tags=["integration"])
class Me(AreaView):
    """Which system the token belongs to, the rate limit its requests count against, the token's scopes and the role
    its account acts in. Only for a system's token (anything else: 404)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="integration_me", responses={200: IntegrationMeOut, **errors(401, 404)})
    def get(self, request: Request) -> Response:
        token = request.auth
        system = selectors.system_of(request.user) if isinstance(token, ApiToken) else None
        if system is None:
            raise NotFound(_("This is not a registered system's token."))
        return Response(IntegrationMeOut({
            "code": system.code, "name": system.name, "kind": system.kind, "rate": effective_rate(system.rate_limit),
            "scopes": token.scopes, "token": token.display, "token_expires_at": token.expires_at,
            "access": selectors.system_access(system)}).data)


urlpatterns = [
    path("integration/systems/", SystemList.as_view(), name="integration-systems-list"),
    path("integration/systems/<slug:code>/", SystemDetail.as_view(), name="integration-systems-detail"),
    path("integration/systems/<slug:code>/tokens/", SystemTokens.as_view(), name="integration-systems-tokens"),
    path("integration/me/", Me.as_view(), name="integration-me"),
]
