"""Document flow's API under /api/v1/integration/docflow/:

* ``POST packages/`` — a registered system sends a MEDO-style package (the body is the XML, ``application/xml``)
  with its **system token** (scopes ``write`` and ``integration:write``; the system is the token user's
  ``external_system``): 201 with the orders made, 200 for a package whose uid was already accepted (the first
  result), 400 with the errors (line, element, reason) in the API's error format;
* ``GET packages/`` and ``GET packages/<id>/`` — the packages' status (a system sees its own; the Department of
  Control and administrators every one);
* ``GET orders.csv`` / ``orders.xlsx`` — the orders that came through the exchange with their control status, as
  the reader may see them.
"""

from __future__ import annotations

from typing import Any

from django.urls import path, re_path
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.parsers import BaseParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from krai.core.api import Pagination, error_response
from krai.core.api_views import AreaView, errors
from krai.integration.docflow import selectors
from krai.integration.docflow.models import PackageChannel
from krai.integration.docflow.services.packages import package_import
from krai.integration.docflow.views import export_table


class XmlParser(BaseParser):
    """The request's body as it came (bytes): the package is parsed, hardened, by ``medo``."""

    media_type = "application/xml"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict | None = None) -> bytes:
        return stream.read() if stream is not None else b""


class TextXmlParser(XmlParser):
    media_type = "text/xml"


class _FileRenderer(BaseRenderer):
    """A download's bytes as they are; an error (a dict) as JSON."""

    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: dict | None = None) -> bytes:
        import json

        return data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()


class CsvRenderer(_FileRenderer):
    media_type = "text/csv"
    format = "csv"


class XlsxRenderer(_FileRenderer):
    media_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    format = "xlsx"


# --- serializers -----------------------------------------------------------------------------------------------


class DocflowOrderOut(serializers.Serializer):
    item = serializers.CharField(source="number", help_text="The item's number in the package")
    order_id = serializers.IntegerField(source="order.pk")
    number = serializers.CharField(source="order.number", help_text="The order's registration number in Krai")
    title = serializers.CharField(source="order.title")
    executor = serializers.SerializerMethodField()
    deadline = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField(
        help_text="The control status: issued, in_progress, reported, done, cancelled (draft before issue)")

    def get_executor(self, item: Any) -> str:
        return str(item.order.lead_organisation)

    def get_deadline(self, item: Any) -> str | None:
        control = item.order.assignment
        day = control.deadline if control is not None else item.deadline
        return day.isoformat() if day else None

    def get_status(self, item: Any) -> str:
        control = item.order.assignment
        return control.status if control is not None else "draft"


class DocflowProblemOut(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True)
    element = serializers.CharField()
    message = serializers.CharField()


class DocflowPackageOut(serializers.Serializer):
    id = serializers.IntegerField()
    uid = serializers.CharField()
    system = serializers.CharField(source="system.code")
    channel = serializers.CharField(help_text="The way in: medo (HTTP), folder, upload or table")
    status = serializers.CharField(help_text="accepted or refused")
    received_at = serializers.DateTimeField()
    document_number = serializers.CharField()
    document_date = serializers.DateField(allow_null=True)
    errors = DocflowProblemOut(many=True)
    orders = DocflowOrderOut(many=True, source="items.all")


class DocflowPackagesQuery(serializers.Serializer):
    uid = serializers.CharField(required=False, max_length=100)
    status = serializers.RegexField(r"^(accepted|refused)$", required=False, help_text="accepted or refused")


def _packages(user: Any) -> Any:
    return selectors.packages_for(user).prefetch_related("items__order__lead_organisation", "items__order__assignment")


# --- views -----------------------------------------------------------------------------------------------------


@extend_schema(tags=["integration"])
class PackageList(AreaView):
    """Packages received (a system: its own); POST sends a package with the system's token."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [XmlParser, TextXmlParser]

    @extend_schema(operation_id="docflow_packages_list", parameters=[DocflowPackagesQuery],
                   responses={200: DocflowPackageOut(many=True), **errors(400, 401, 403)})
    def get(self, request: Any) -> Response:
        query = DocflowPackagesQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = _packages(request.user)
        if query.validated_data.get("uid"):
            rows = rows.filter(uid=query.validated_data["uid"])
        if query.validated_data.get("status"):
            rows = rows.filter(status=query.validated_data["status"])
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(DocflowPackageOut(page, many=True).data)

    @extend_schema(operation_id="docflow_packages_create",
                   request={"application/xml": OpenApiTypes.BINARY, "text/xml": OpenApiTypes.BINARY},
                   responses={201: DocflowPackageOut,
                              200: OpenApiResponse(DocflowPackageOut,
                                                   description="Already accepted: the first result"),
                              **errors(400, 401, 403)})
    def post(self, request: Any) -> Response:
        system = selectors.system_of(request.user)
        if system is None:
            raise exceptions.PermissionDenied(_("Only a registered system's token may send packages."))
        body = request.data if isinstance(request.data, bytes) else b""
        result = package_import(actor=request.user, system=system, content=body, channel=PackageChannel.MEDO,
                                peer=request.META.get("REMOTE_ADDR", ""))
        if not result.accepted:
            response = error_response(_("The package is refused; nothing was imported."), code="package_refused",
                                      fields={"package": [p.text() for p in result.problems]})
            response.data["error"]["package"] = result.package.pk
            return response
        package = _packages(request.user).get(pk=result.package.pk)
        return Response(DocflowPackageOut(package).data,
                        status=status.HTTP_200_OK if result.repeated else status.HTTP_201_CREATED)


@extend_schema(tags=["integration"])
class PackageDetail(AreaView):
    """One package's status, its items and the orders they became."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="docflow_packages_retrieve", responses={200: DocflowPackageOut, **errors(401, 404)})
    def get(self, request: Any, pk: int) -> Response:
        selectors.package_get(request.user, pk)
        return Response(DocflowPackageOut(_packages(request.user).get(pk=pk)).data)


@extend_schema(tags=["integration"])
class OrdersExport(AreaView):
    """The orders that came through the exchange, with their control status (number, title, executor, deadline,
    status, closed on, overdue), as the reader may see them."""

    permission_classes = [permissions.IsAuthenticated]
    renderer_classes = [JSONRenderer, CsvRenderer, XlsxRenderer]

    @extend_schema(operation_id="docflow_orders_export",
                   responses={(200, "text/csv"): OpenApiTypes.BINARY,
                              (200, XlsxRenderer.media_type): OpenApiTypes.BINARY, **errors(401, 403)})
    def get(self, request: Any, fmt: str) -> Any:
        if selectors.system_of(request.user) is None and not selectors.reads_section(request.user):
            raise exceptions.PermissionDenied(_("The export is for registered systems and the Department of Control."))
        return export_table(request.user, fmt)


urlpatterns = [
    path("integration/docflow/packages/", PackageList.as_view(), name="docflow-packages"),
    path("integration/docflow/packages/<int:pk>/", PackageDetail.as_view(), name="docflow-package"),
    re_path(r"^integration/docflow/orders\.(?P<fmt>csv|xlsx)$", OrdersExport.as_view(), name="docflow-orders-export"),
]
