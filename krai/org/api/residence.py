"""API of residence verification for the staff who decide: the queue, one request, verify or refuse.

Thin over ``krai.org.services.residence`` and the residence selectors, the same ones the workspace pages
use, so the queue is scoped exactly as the page's (``org.review_residences``, the reviewer's municipalities;
administrators all). The decisions live in org rather than accounts because they change the org record
(the user's verified home municipality): a token making them needs ``org:write``, as staff tokens managing
the structure do. Token scopes are checked by the token authentication for every view. The resident's side
(his status, asking) is ``krai.accounts.api.residence``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.core.api import Pagination
from krai.core.files.api import AttachmentSerializer
from krai.core.files.selectors import attachments_for
from krai.org import selectors, services
from krai.org.models import ResidenceRequest

REVIEW = "org.review_residences"
VERIFY = "org.verify_residencerequest"

ERRORS = {
    400: OpenApiResponse(description=_('Invalid input: {"error": {"status", "code", "message", "fields"}}')),
    401: OpenApiResponse(description=_("Not signed in, or the token is invalid, revoked or expired")),
    403: OpenApiResponse(description=_("Not allowed (e.g. a token without the needed scope)")),
    404: OpenApiResponse(description=_("Missing, or out of the caller's scope (the same answer)")),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


class ResidenceRequestOut(serializers.Serializer):
    """A request as its resident and the staff deciding on it see it (shared with the resident's API)."""

    id = serializers.IntegerField()
    user = serializers.IntegerField(source="user_id")
    municipality = serializers.IntegerField(source="municipality_id")
    municipality_name = serializers.CharField(source="municipality.name")
    status = serializers.ChoiceField(choices=ResidenceRequest.Status.choices)
    source = serializers.ChoiceField(choices=ResidenceRequest.Source.choices)
    provider = serializers.CharField()
    note = serializers.CharField()
    reason = serializers.CharField(help_text=_("Why it was refused; empty unless refused."))
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.IntegerField(source="decided_by_id", allow_null=True)
    documents = serializers.SerializerMethodField()

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_documents(self, request: ResidenceRequest) -> list[dict[str, Any]]:
        user = self.context["request"].user
        return AttachmentSerializer(attachments_for(user=user, target=request), many=True).data


class QueueQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=ResidenceRequest.Status.choices, default=ResidenceRequest.Status.PENDING)
    municipality = serializers.IntegerField(required=False, min_value=1)


class RefusalIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True,
                                   help_text=_("Why the residence is not verified; the resident reads it."))


class ReviewView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def get_authenticate_header(self, request: Request) -> str:
        return super().get_authenticate_header(request) or 'Bearer realm="api"'

    def decidable(self, request: Request, pk: int) -> ResidenceRequest:
        """A request the caller may decide on; 404 alike for missing, another municipality's and a citizen's."""
        if not request.user.has_perm(REVIEW):
            raise Http404
        item = selectors.residence_request_get(user=request.user, pk=pk)
        if not request.user.has_perm(VERIFY, item):
            raise Http404
        return item

    def out(self, item: ResidenceRequest) -> dict[str, Any]:
        return ResidenceRequestOut(item, context={"request": self.request}).data


class QueueView(ReviewView):
    """The requests the caller decides on, the oldest pending first (as the workspace's queue)."""

    @extend_schema(operation_id="residence_requests_list", parameters=[QueueQuery],
                   responses={200: ResidenceRequestOut(many=True), **errors(400, 401, 403)})
    def get(self, request: Request) -> Response:
        if not request.user.has_perm(REVIEW):
            raise exceptions.PermissionDenied(_("Only staff who verify residences see this queue."))
        query = QueueQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.residence_queue(user=request.user, status=query.validated_data["status"],
                                         municipality_id=query.validated_data.get("municipality"))
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(
            ResidenceRequestOut(page, many=True, context={"request": request}).data)


class DetailView(ReviewView):
    @extend_schema(operation_id="residence_requests_retrieve", responses={200: ResidenceRequestOut,
                                                                         **errors(401, 403, 404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(self.out(self.decidable(request, pk)))


class VerifyView(ReviewView):
    """Verify: the resident's home municipality becomes the requested one, verified."""

    @extend_schema(operation_id="residence_requests_verify", request=None,
                   responses={200: ResidenceRequestOut, **errors(400, 401, 403, 404)})
    def post(self, request: Request, pk: int) -> Response:
        return Response(self.out(services.residence_verify(actor=request.user, request=self.decidable(request, pk))))


class RefuseView(ReviewView):
    """Refuse with a reason (without one: 400 and nothing changes)."""

    @extend_schema(operation_id="residence_requests_refuse", request=RefusalIn,
                   responses={200: ResidenceRequestOut, **errors(400, 401, 403, 404)})
    def post(self, request: Request, pk: int) -> Response:
        body = RefusalIn(data=request.data)
        body.is_valid(raise_exception=True)
        item = self.decidable(request, pk)
        return Response(self.out(services.residence_refuse(actor=request.user, request=item,
                                                           reason=body.validated_data["reason"])))
