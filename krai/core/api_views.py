"""What the areas' API views share: the documented error answers, the services' refusals kept with their
messages (a rate limit answers 429, a refusal to an anonymous caller 401), a body read through a serializer, and
writes throttled like every public write of Krai (reads are not)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from krai.core.api import default_throttles
from krai.core.ratelimit import RateLimited

ERRORS = {
    400: OpenApiResponse(description='Invalid input: {"error": {"status", "code", "message", "fields"}}'),
    401: OpenApiResponse(description="Not signed in"),
    403: OpenApiResponse(description="Not allowed; the message says why"),
    404: OpenApiResponse(description="Missing, or not visible to the caller (the same answer)"),
    429: OpenApiResponse(description="Too many writes in a short time"),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error answers of an operation."""
    return {code: ERRORS[code] for code in codes}


class AreaView(APIView):
    """Reads for everyone, writes for the signed-in; the services' refusals keep their messages."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, RateLimited):
            exc = exceptions.Throttled(detail=exc.messages[0])
        elif isinstance(exc, DjangoPermissionDenied) and str(exc):
            user = getattr(self.request, "user", None)
            exc = (exceptions.PermissionDenied(str(exc)) if user is not None and user.is_authenticated
                   else exceptions.NotAuthenticated(str(exc)))
        return super().handle_exception(exc)

    def body(self, serializer_class: type[serializers.Serializer], *, partial: bool = False) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class AreaWriteView(AreaView):
    """Writes throttled like every public write of Krai (reads are not)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public_write"

    def get_throttles(self) -> list[Any]:
        own = super().get_throttles() if self.request.method not in permissions.SAFE_METHODS else []
        return [*default_throttles(), *own]
