"""What every area's API shares: one error format, one pagination."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def _fields_from(detail) -> dict | None:
    if isinstance(detail, dict):
        return {key: [str(v) for v in (value if isinstance(value, list) else [value])]
                for key, value in detail.items()}
    return None


def exception_handler(exc, context):
    """Render every API error as ``{"error": {"status", "code", "message", "fields"?}}``.

    Django's own ValidationError (raised by services) becomes a 400 like a serializer's, so a
    service can validate once for pages and API alike.
    """
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError({k: [str(m) for e in v for m in e.messages]
                                              for k, v in exc.error_dict.items()})
        else:
            exc = exceptions.ValidationError({"non_field_errors": exc.messages})
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, OverflowError | DataError):
        # a number or a date the database cannot hold (an id of 30 digits, year 0): the client's data, not a crash
        exc = exceptions.ValidationError({"non_field_errors": [_("A value is out of the range the system can "
                                                                 "store (a number or a date too large).")]})
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    fields = _fields_from(detail) if isinstance(exc, exceptions.ValidationError) else None
    if fields is not None:
        message = _("The data sent is not valid.")
        non_field = fields.get("non_field_errors")
        if non_field and len(fields) == 1:
            message = non_field[0]
    elif isinstance(detail, dict) and "detail" in detail:
        message = str(detail["detail"])
    elif isinstance(detail, list):
        message = "; ".join(str(item) for item in detail)
        fields = {"non_field_errors": [str(item) for item in detail]}
    else:
        message = str(detail)
    code = getattr(exc, "default_code", "error")
    if isinstance(exc, exceptions.APIException) and not isinstance(exc, exceptions.ValidationError):
        codes = exc.get_codes()
        if isinstance(codes, str):
            code = codes
    body = {"error": {"status": response.status_code, "code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    response.data = body
    return response


def error_response(message: str, *, code: str = "invalid", http_status: int = status.HTTP_400_BAD_REQUEST,
                   fields: dict | None = None) -> Response:
    body = {"error": {"status": http_status, "code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return Response(body, status=http_status)


def default_throttles() -> list:
    """The installation's default throttles (a registered system's own rate limit, ``krai.integration``), for the
    views that choose their own throttles: theirs come on top of these, never instead of them."""
    from rest_framework.settings import api_settings

    return [throttle() for throttle in api_settings.DEFAULT_THROTTLE_CLASSES]
