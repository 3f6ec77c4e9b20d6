"""API of the resident's side of residence verification: where his residence stands, his requests, asking.

Thin over ``krai.org.services.residence_request`` and the residence selectors, as the profile's residence
page is: the same validation (the municipality, an image or PDF document, a note of at most 500 characters),
the same errors in the caller's language. Asking is a multipart upload; a token needs ``accounts:write``.
The staff's side (queue, decisions) is ``krai.org.api.residence``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.accounts.authentication import TokenScopes
from krai.org import selectors as org_selectors
from krai.org import services as org_services
from krai.org.api.residence import ResidenceRequestOut, errors
from krai.org.selectors import municipality_list

#: how many of his requests the status shows, newest first (the page shows as many)
RECENT = 20


class ResidenceStatusOut(serializers.Serializer):
    residence_verified = serializers.BooleanField()
    home_municipality = serializers.IntegerField(allow_null=True)
    pending = serializers.BooleanField(help_text=_("A request is awaiting verification."))
    requests = ResidenceRequestOut(many=True, help_text=_("His requests, newest first."))


class ResidenceAskIn(serializers.Serializer):
    municipality = serializers.PrimaryKeyRelatedField(queryset=municipality_list(),
                                                      help_text=_("The municipality you live in."))
    document = serializers.FileField(help_text=_("A scan or a photo (PDF, JPEG, PNG) of a document showing your "
                                                 "registered address."))
    note = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class ResidenceView(APIView):
    """The caller's residence: GET where it stands and his requests; POST asks (again) with a document."""

    permission_classes = [permissions.IsAuthenticated, TokenScopes]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    def get_authenticate_header(self, request: Request) -> str:
        return super().get_authenticate_header(request) or 'Bearer realm="api"'

    @extend_schema(operation_id="me_residence_retrieve", responses={200: ResidenceStatusOut, **errors(401, 403)})
    def get(self, request: Request) -> Response:
        user = request.user
        requests = list(org_selectors.residence_requests_of(user=user)[:RECENT])
        return Response(ResidenceStatusOut({
            "residence_verified": user.residence_verified, "home_municipality": user.home_municipality_id,
            "pending": any(r.status == r.Status.PENDING for r in requests), "requests": requests,
        }, context={"request": request}).data)

    @extend_schema(operation_id="me_residence_ask", request={"multipart/form-data": ResidenceAskIn},
                   responses={201: ResidenceRequestOut, **errors(400, 401, 403)})
    def post(self, request: Request) -> Response:
        body = ResidenceAskIn(data=request.data)
        body.is_valid(raise_exception=True)
        item = org_services.residence_request(actor=request.user, **body.validated_data)
        return Response(ResidenceRequestOut(item, context={"request": request}).data, status=status.HTTP_201_CREATED)
