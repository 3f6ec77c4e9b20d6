"""Webhooks' API under /api/v1/integration/webhooks/ (administrators; anyone else 403, a missing row 404): the
endpoints (list, create, read with the secret, change, delete; rotate the secret, ping, replay), the deliveries
(filtered, paged, one with its attempts) and a replay of chosen dead deliveries. The same services and selectors as
the pages. Writes made with a token need the scopes ``write`` and ``integration:write`` (derived from this module).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response

from krai.core.api import Pagination
from krai.core.api_views import AreaWriteView, errors
from krai.integration.models import ExternalSystem
from krai.integration.webhooks import selectors
from krai.integration.webhooks.models import Endpoint
from krai.integration.webhooks.serializers import (
    WebhookDeliveriesReplayIn,
    WebhookDeliveryDetailOut,
    WebhookDeliveryOut,
    WebhookDeliveryPageOut,
    WebhookDeliveryQuery,
    WebhookEndpointIn,
    WebhookEndpointOut,
    WebhookEndpointPageOut,
    WebhookPingOut,
    WebhookReplayIn,
    WebhookReplayOut,
)
from krai.integration.webhooks.services import endpoints as services
from krai.integration.webhooks.services import replay
from krai.org.models import Block, Municipality, Organisation

TAGS = ["integration"]
TARGETS = {"organisation": Organisation, "municipality": Municipality, "block": Block}


def _objects(data: dict[str, Any]) -> dict[str, Any]:
    """The body's codes and ids as rows; an unknown one is refused by its field."""
    out = dict(data)
    if "system" in out:
        system = ExternalSystem.objects.filter(code=out["system"]).first()
        if system is None:
            raise ValidationError({"system": _("No registered system has this code.")}, code="unknown")
        out["system"] = system
    for name, model in TARGETS.items():
        if out.get(name) is not None:
            row = model.objects.filter(pk=out[name]).first()
            if row is None:
                raise ValidationError({name: _("Not found.")}, code="unknown")
            out[name] = row
    return out


def _out(user: Any, endpoint: Endpoint) -> dict[str, Any]:
    return WebhookEndpointOut(selectors.endpoint_get(user, endpoint.pk)).data


class _View(AreaWriteView):
    permission_classes = [permissions.IsAuthenticated]


@extend_schema(tags=TAGS)
class EndpointList(_View):
    """Every webhook endpoint (administrators); POST subscribes a registered system."""

    @extend_schema(operation_id="integration_webhooks_endpoints_list",
                   responses={200: WebhookEndpointPageOut, **errors(401, 403)})
    def get(self, request: Any) -> Response:
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.endpoint_list(request.user), request, view=self)
        return paginator.get_paginated_response(WebhookEndpointOut(page, many=True).data)

    @extend_schema(operation_id="integration_webhooks_endpoints_create", request=WebhookEndpointIn,
                   responses={201: WebhookEndpointOut, **errors(400, 401, 403, 429)})
    def post(self, request: Any) -> Response:
        selectors.systems(request.user)  # refuses anyone but an administrator before reading the body
        endpoint = services.endpoint_create(actor=request.user, **_objects(self.body(WebhookEndpointIn)))
        return Response(_out(request.user, endpoint), status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class EndpointDetail(_View):
    """One endpoint with its secret; PATCH changes it (``is_active: false`` disables it), DELETE removes it with
    its deliveries."""

    @extend_schema(operation_id="integration_webhooks_endpoints_retrieve",
                   responses={200: WebhookEndpointOut, **errors(401, 403, 404)})
    def get(self, request: Any, pk: int) -> Response:
        return Response(WebhookEndpointOut(selectors.endpoint_get(request.user, pk)).data)

    @extend_schema(operation_id="integration_webhooks_endpoints_partial_update", request=WebhookEndpointIn,
                   responses={200: WebhookEndpointOut, **errors(400, 401, 403, 404, 429)})
    def patch(self, request: Any, pk: int) -> Response:
        endpoint = selectors.endpoint_get(request.user, pk)
        data = _objects(self.body(WebhookEndpointIn, partial=True))
        services.endpoint_update(actor=request.user, endpoint=endpoint, **data)
        return Response(_out(request.user, endpoint))

    @extend_schema(operation_id="integration_webhooks_endpoints_destroy", request=None,
                   responses={204: OpenApiResponse(description="Deleted"), **errors(401, 403, 404, 429)})
    def delete(self, request: Any, pk: int) -> Response:
        services.endpoint_delete(actor=request.user, endpoint=selectors.endpoint_get(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=TAGS)
class EndpointRotate(_View):
    """A new signing secret; the previous one still signs beside it for 24 hours."""

    @extend_schema(operation_id="integration_webhooks_endpoints_rotate_secret", request=None,
                   responses={200: WebhookEndpointOut, **errors(401, 403, 404, 429)})
    def post(self, request: Any, pk: int) -> Response:
        endpoint = selectors.endpoint_get(request.user, pk)
        services.endpoint_rotate_secret(actor=request.user, endpoint=endpoint)
        return Response(_out(request.user, endpoint))


@extend_schema(tags=TAGS)
class EndpointPing(_View):
    """Send a ``webhook.test`` message now; the answer says how the system answered."""

    @extend_schema(operation_id="integration_webhooks_endpoints_ping", request=None,
                   responses={200: WebhookPingOut, **errors(401, 403, 404, 429)})
    def post(self, request: Any, pk: int) -> Response:
        result = services.endpoint_ping(actor=request.user, endpoint=selectors.endpoint_get(request.user, pk))
        return Response(WebhookPingOut(result).data)


@extend_schema(tags=TAGS)
class EndpointReplay(_View):
    """Replay the endpoint's dead deliveries (``dead: true``) or everything since a moment (``since``, delivered
    ones too: the receiver deduplicates by ``webhook-id``)."""

    @extend_schema(operation_id="integration_webhooks_endpoints_replay", request=WebhookReplayIn,
                   responses={200: WebhookReplayOut, **errors(400, 401, 403, 404, 429)})
    def post(self, request: Any, pk: int) -> Response:
        endpoint = selectors.endpoint_get(request.user, pk)
        data = self.body(WebhookReplayIn)
        if data.get("dead"):
            count = replay.endpoint_replay_dead(actor=request.user, endpoint=endpoint)
        else:
            count = replay.endpoint_replay_since(actor=request.user, endpoint=endpoint, since=data["since"])
        return Response({"replayed": count})


@extend_schema(tags=TAGS)
class DeliveryList(_View):
    """Deliveries by endpoint, status (``dead``: the dead letters), kind and the event's dates, the latest first."""

    @extend_schema(operation_id="integration_webhooks_deliveries_list", parameters=[WebhookDeliveryQuery],
                   responses={200: WebhookDeliveryPageOut, **errors(400, 401, 403)})
    def get(self, request: Any) -> Response:
        query = WebhookDeliveryQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        endpoint = selectors.endpoint_get(request.user, data["endpoint"]) if data.get("endpoint") else None
        filters = selectors.DeadFilter(endpoint=endpoint, kind=data.get("kind", ""), since=data.get("since"),
                                       until=data.get("until"))
        rows = selectors.deliveries(request.user, filters, status=data.get("status", ""))
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(WebhookDeliveryOut(page, many=True).data)


@extend_schema(tags=TAGS)
class DeliveryDetail(_View):
    """One delivery with each attempt (from the exchange log)."""

    @extend_schema(operation_id="integration_webhooks_deliveries_retrieve",
                   responses={200: WebhookDeliveryDetailOut, **errors(401, 403, 404)})
    def get(self, request: Any, pk: int) -> Response:
        row = selectors.delivery_get(request.user, pk)
        row.attempts_log = list(selectors.attempts_of(request.user, row)[:100])
        return Response(WebhookDeliveryDetailOut(row).data)


@extend_schema(tags=TAGS)
class DeliveriesReplay(_View):
    """Replay the chosen dead deliveries (others named are left alone)."""

    @extend_schema(operation_id="integration_webhooks_deliveries_replay", request=WebhookDeliveriesReplayIn,
                   responses={200: WebhookReplayOut, **errors(400, 401, 403, 429)})
    def post(self, request: Any) -> Response:
        selectors.systems(request.user)  # administrators only
        data = self.body(WebhookDeliveriesReplayIn)
        return Response({"replayed": replay.deliveries_replay(actor=request.user, deliveries=data["deliveries"])})


W = "integration/webhooks/"

urlpatterns = [
    path(W + "endpoints/", EndpointList.as_view(), name="integration-webhooks-endpoints"),
    path(W + "endpoints/<int:pk>/", EndpointDetail.as_view(), name="integration-webhooks-endpoint"),
    path(W + "endpoints/<int:pk>/rotate-secret/", EndpointRotate.as_view(), name="integration-webhooks-rotate"),
    path(W + "endpoints/<int:pk>/ping/", EndpointPing.as_view(), name="integration-webhooks-ping"),
    path(W + "endpoints/<int:pk>/replay/", EndpointReplay.as_view(), name="integration-webhooks-replay"),
    path(W + "deliveries/", DeliveryList.as_view(), name="integration-webhooks-deliveries"),
    path(W + "deliveries/replay/", DeliveriesReplay.as_view(), name="integration-webhooks-deliveries-replay"),
    path(W + "deliveries/<int:pk>/", DeliveryDetail.as_view(), name="integration-webhooks-delivery"),
]
