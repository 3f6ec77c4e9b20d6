"""API of the exchange log under /api/v1/integration/exchange/ (its readers: administrators and the Department of
Control; anyone else 403, a stranger 401): the messages with the page's filters, paged, the newest first, and one
message with its kept payload. A registered system reading through its own token sees only its own messages."""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.request import Request
from rest_framework.response import Response

from krai.core.api import Pagination
from krai.core.api_views import AreaView, errors
from krai.integration.api.serializers import (
    IntegrationMessageDetailOut,
    IntegrationMessageOut,
    IntegrationMessagePageOut,
    IntegrationMessageQuery,
)
from krai.integration.selectors import exchange as selectors


class MayReadLog(permissions.BasePermission):
    message = _("The exchange log is for administrators and the Department of Control.")

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(request.user and request.user.has_perm("integration.view_exchange"))


class LogView(AreaView):
    permission_classes = [permissions.IsAuthenticated, MayReadLog]


@extend_schema(tags=["integration"])
class MessageList(LogView):
    """Messages in and out by system, channel, direction, status, period (days or the last hours) and words."""

    @extend_schema(operation_id="integration_exchange_list", parameters=[IntegrationMessageQuery],
                   responses={200: IntegrationMessagePageOut, **errors(400, 401, 403)})
    def get(self, request: Request) -> Response:
        query = IntegrationMessageQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.messages(user=request.user, filters=query.filters())
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(IntegrationMessageOut(page, many=True).data)


@extend_schema(tags=["integration"])
class MessageDetail(LogView):
    """One message with every field and its payload (empty once removed: ``payload_purged_at`` says when)."""

    @extend_schema(operation_id="integration_exchange_retrieve",
                   responses={200: IntegrationMessageDetailOut, **errors(401, 403, 404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(IntegrationMessageDetailOut(selectors.message_get(user=request.user, pk=pk)).data)


urlpatterns = [
    path("integration/exchange/", MessageList.as_view(), name="integration-exchange-list"),
    path("integration/exchange/<int:pk>/", MessageDetail.as_view(), name="integration-exchange-detail"),
]
