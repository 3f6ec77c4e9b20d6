"""Consolidation's API under /api/v1/integration/consolidation/: the push a source installation sends (signed,
no token: the Standard Webhooks signature with the source's shared secret is its authentication), and for
controllers and administrators the consolidated orders (paged, with the page's filters) and the sources with
their counts. The protocol is described in ``krai.integration.consolidation.protocol``.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.exceptions import RequestDataTooBig, ValidationError
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.response import Response

from krai.core.api import Pagination
from krai.core.api_views import AreaView, errors
from krai.core.jsonsafe import JSONParser
from krai.integration.consolidation import conf, protocol, selectors, services
from krai.integration.consolidation.api_serializers import (
    ConsolidatedOrderOut,
    ConsolidatedOrderPageOut,
    ConsolidatedOrderQuery,
    ConsolidationPushIn,
    ConsolidationPushOut,
    ConsolidationSourceListOut,
    ConsolidationSourceOut,
)
from krai.integration.models import Direction, ExchangeStatus
from krai.integration.services.exchange import record_exchange


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The body is too large."
    default_code = "too_large"


def _header(request: Any, name: str) -> str:
    return str(request.headers.get(name, "") or "")


def _read_body(request: Any) -> bytes:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > protocol.MAX_BODY:
        raise BodyTooLarge(_("The body is larger than %(n)d bytes.") % {"n": protocol.MAX_BODY})
    try:
        body = request._request.body
    except RequestDataTooBig:
        raise BodyTooLarge(_("The body is larger than %(n)d bytes.") % {"n": protocol.MAX_BODY}) from None
    if len(body) > protocol.MAX_BODY:
        raise BodyTooLarge(_("The body is larger than %(n)d bytes.") % {"n": protocol.MAX_BODY})
    return body


SIGNATURE_HEADERS = [
    OpenApiParameter(protocol.INSTALLATION_HEADER, str, OpenApiParameter.HEADER, required=True,
                     description="The pushing installation's code"),
    OpenApiParameter("webhook-id", str, OpenApiParameter.HEADER, required=True,
                     description="<installation>:<first event id>-<last event id>"),
    OpenApiParameter("webhook-timestamp", str, OpenApiParameter.HEADER, required=True,
                     description="Unix seconds; more than five minutes off is refused"),
    OpenApiParameter("webhook-signature", str, OpenApiParameter.HEADER, required=True,
                     description="v1,<base64 HMAC-SHA256 of id.timestamp.body> with the shared secret"),
]


@extend_schema(tags=["integration"])
class PushView(AreaView):
    """A source installation's batch of orders: verified first (unknown installation or bad signature: 401,
    nothing stored), then each order stored where its version is newer. Every push is in the exchange log."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    parser_classes = [JSONParser]  # documents the body; the view reads and verifies the raw bytes itself

    def get_authenticate_header(self, request: Any) -> str:
        return 'Webhook realm="consolidation"'

    @extend_schema(operation_id="integration_consolidation_push", request=ConsolidationPushIn,
                   parameters=SIGNATURE_HEADERS, auth=[],
                   responses={200: ConsolidationPushOut, 400: errors(400)[400],
                              401: OpenApiResponse(description="Unknown installation or bad signature"),
                              413: OpenApiResponse(description="The body is over 2 MB")})
    def post(self, request: Any) -> Response:
        started = time.monotonic()
        code = _header(request, protocol.INSTALLATION_HEADER)[:64]
        message_id = _header(request, "webhook-id")[:200]
        log = {"channel": protocol.CHANNEL, "direction": Direction.IN, "kind": protocol.KIND, "peer": code,
               "correlation_id": message_id, "content_type": "application/json", "started": started}
        try:
            body = _read_body(request)
            secret = conf.sources().get(code)
            if not secret:
                raise exceptions.AuthenticationFailed(_("This installation is not a known source."))
            signed = {name: _header(request, name) for name in ("webhook-id", "webhook-timestamp",
                                                                "webhook-signature")}
            if not protocol.verify(secret, body=body, headers=signed):
                raise exceptions.AuthenticationFailed(_("The signature does not match this installation's secret."))
            log["payload"] = body  # kept only once the source is known and the body is its own
            received = services.batch_receive(source_code=code, batch=protocol.parse(body))
        except exceptions.APIException as exc:
            _refused(log, code, exc.status_code, str(exc.detail))
            raise
        except ValidationError as exc:
            _refused(log, code, 400, "; ".join(exc.messages))
            raise
        answer = {"accepted": received.accepted, "ignored": received.ignored, "last_version": received.last_version}
        record_exchange(status=ExchangeStatus.OK, http_status=200, summary=_summary(code, answer), **log)
        return Response(ConsolidationPushOut(answer).data)


def _refused(log: dict[str, Any], code: str, http_status: int, error: str) -> None:
    record_exchange(status=ExchangeStatus.REFUSED, http_status=http_status, summary=_summary(code), error=error,
                    **log)


def _summary(code: str, answer: dict | None = None) -> str:
    if answer is None:
        return f"push from {code or '?'}"
    return f"push from {code}: accepted {answer['accepted']}, ignored {answer['ignored']}"


@extend_schema(tags=["integration"])
class OrderList(AreaView):
    """The consolidated orders (controllers and administrators), the earliest deadline first, paged."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="integration_consolidation_orders_list", parameters=[ConsolidatedOrderQuery],
                   responses={200: ConsolidatedOrderPageOut, **errors(400, 401, 403)})
    def get(self, request: Any) -> Response:
        query = ConsolidatedOrderQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        filters = selectors.OrderFilter(source=data.get("source", ""), status=data.get("status", ""),
                                        overdue=data.get("overdue"), q=data.get("q", ""))
        rows = selectors.consolidated_orders(user=request.user, filters=filters)
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(ConsolidatedOrderOut(page, many=True).data)


@extend_schema(tags=["integration"])
class SourceList(AreaView):
    """Every source installation with its last contact and its counts of orders, open ones and overdue ones."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="integration_consolidation_sources_list",
                   responses={200: ConsolidationSourceListOut, **errors(401, 403)})
    def get(self, request: Any) -> Response:
        rows = selectors.sources_with_counts(user=request.user)
        return Response({"results": ConsolidationSourceOut(rows, many=True).data})


urlpatterns = [
    path("integration/consolidation/push/", PushView.as_view(), name="consolidation-push"),
    path("integration/consolidation/orders/", OrderList.as_view(), name="consolidation-orders"),
    path("integration/consolidation/sources/", SourceList.as_view(), name="consolidation-sources"),
]
