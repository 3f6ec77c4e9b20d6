"""What the participation API views share: refusals with their reasons, conflicts as 409, input parsing."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, status
from rest_framework.serializers import Serializer
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

#: service refusals that mean "this is already done": 409, with the code kept for clients
CONFLICTS = {"already_voted", "already_supported", "already_open"}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This is already done.")
    default_code = "conflict"


ERRORS = {
    400: OpenApiResponse(description=_('Invalid input: {"error": {"status", "code", "message", "fields"}}')),
    401: OpenApiResponse(description=_("Not signed in")),
    403: OpenApiResponse(description=_("Not allowed; the message says what is missing (a confirmed e-mail…)")),
    404: OpenApiResponse(description=_("Missing, or not visible to the caller (the same answer)")),
    409: OpenApiResponse(description=_("Already done: a second vote, a second support")),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


class ParticipationView(APIView):
    """An API view over the participation services: their refusals keep their messages."""

    def get_authenticate_header(self, request) -> str:
        return super().get_authenticate_header(request) or 'Token realm="api"'

    def handle_exception(self, exc):
        if isinstance(exc, DjangoPermissionDenied) and str(exc):
            user = getattr(self.request, "user", None)
            if user is None or not user.is_authenticated:
                exc = exceptions.NotAuthenticated(str(exc))
            else:
                exc = exceptions.PermissionDenied(str(exc))
        elif isinstance(exc, DjangoValidationError) and not hasattr(exc, "error_dict") \
                and getattr(exc, "code", None) in CONFLICTS:
            exc = Conflict(detail=exc.messages[0], code=exc.code)
        return super().handle_exception(exc)

    def body(self, serializer_class: type[Serializer], *, partial: bool = False) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def query(self, serializer_class: type[Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class PublicWrite(ParticipationView):
    """A resident's write (a vote, a rating, an idea): rate-limited by the ``public_write`` throttle."""

    throttle_classes = [*api_settings.DEFAULT_THROTTLE_CLASSES, ScopedRateThrottle]
    throttle_scope = "public_write"
