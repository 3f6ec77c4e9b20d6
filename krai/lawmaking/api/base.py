"""What every law-making API view shares: the documented error answers, the services' refusals kept with their
messages (a rate limit answers 429), throttled writes, and the initiative by its id for the caller (404 for a
missing and a hidden one alike)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from krai.lawmaking.limits import RateLimited
from krai.lawmaking.models import Initiative
from krai.lawmaking.selectors.initiatives import initiative_for

ERRORS = {
    400: OpenApiResponse(description='Invalid input: {"error": {"status", "code", "message", "fields"}}'),
    401: OpenApiResponse(description="Not signed in"),
    403: OpenApiResponse(description="Not allowed; the message says why"),
    404: OpenApiResponse(description="Missing, or not visible to the caller (the same answer)"),
    429: OpenApiResponse(description="Too many writes in a short time"),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


class LawmakingView(APIView):
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

    def initiative(self, pk: int) -> Initiative:
        return initiative_for(self.request.user, pk)


class LawmakingWriteView(LawmakingView):
    """Writes throttled like every public write of Krai (reads are not)."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "public_write"

    def get_throttles(self) -> list[Any]:
        return super().get_throttles() if self.request.method not in permissions.SAFE_METHODS else []
