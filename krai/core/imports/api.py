"""API of the import kernel: preview a file, confirm its mapping, or import in one step; read kept records.

    POST /api/v1/imports/<kind>/preview/   file, options (JSON object) → 201 the record with the proposed mapping
    POST /api/v1/imports/<id>/confirm/     mapping (JSON object, optional) → 200 stored / 400 errors by row
    POST /api/v1/imports/<kind>/           file, options, mapping → preview and confirm at once
    GET  /api/v1/imports/, /api/v1/imports/<id>/

A token needs ``imports:write`` and the scope of the area the rows go to (the importer's ``token_scope``).
"""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.core import jsonsafe
from krai.core.api import error_response
from krai.core.imports import registry, selectors, services
from krai.core.imports.models import ImportRecord
from krai.core.imports.schema import ImportRejected


class RecordOut(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.email", default=None)

    class Meta:
        model = ImportRecord
        fields = ["id", "kind", "options", "actor", "file_name", "source_format", "encoding", "size", "checksum",
                  "header", "sample", "mapping", "status", "row_count", "error_count", "errors", "message",
                  "summary", "created_at", "finished_at"]


class ImportIn(serializers.Serializer):
    file = serializers.FileField()
    options = serializers.CharField(required=False, default="{}", help_text="A JSON object, e.g. {\"dataset\": \"…\"}")
    mapping = serializers.CharField(required=False, default="", help_text="A JSON object {column: header}")


class ConfirmIn(serializers.Serializer):
    mapping = serializers.JSONField(required=False, help_text="{column: header text}; omit to keep the proposal")


def _json_object(text: str, field: str) -> dict | None:
    if not text:
        return None
    try:
        value = jsonsafe.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise serializers.ValidationError({field: ["A JSON object is expected."]})
    return {str(k): str(v) for k, v in value.items()}


def rejected_response(exc: ImportRejected, record: ImportRecord | None = None) -> Response:
    code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE if exc.code == "too_large" else status.HTTP_400_BAD_REQUEST
    response = error_response(exc.message, code=exc.code, http_status=code)
    response.data["error"]["rows"] = [e.as_dict() for e in exc.errors]
    response.data["error"]["error_count"] = exc.error_count
    if record is not None:
        response.data["error"]["import"] = record.pk
    return response


class _KindScoped(APIView):
    """Adds the scope of the area an importer writes to, once the kind is known."""

    def initial(self, request, *args, **kwargs) -> None:
        importer = registry.get(kwargs.get("kind", "")) if "kind" in kwargs else None
        if importer is None and "pk" in kwargs:
            record = ImportRecord.objects.filter(pk=kwargs["pk"]).only("kind").first()
            importer = registry.get(record.kind) if record else None
        scope = getattr(importer, "token_scope", "")
        self.required_scopes = {"POST": [scope]} if scope else {}
        super().initial(request, *args, **kwargs)


@extend_schema(tags=["imports"], request={"multipart/form-data": ImportIn}, responses={
    201: RecordOut, 400: OpenApiResponse(description="The file or a row is bad; nothing stored")})
class ImportRun(_KindScoped):
    """Import a file in one step with the proposed (or given) mapping: every row stored, or none."""

    parser_classes = [MultiPartParser, FormParser]
    permission_classes = [permissions.IsAuthenticated]
    preview_only = False

    def post(self, request, kind: str):
        data = ImportIn(data=request.data)
        data.is_valid(raise_exception=True)
        options = _json_object(data.validated_data["options"], "options") or {}
        mapping = _json_object(data.validated_data["mapping"], "mapping")
        upload = data.validated_data["file"]
        try:
            record = services.preview(actor=request.user, kind=kind, upload=upload, options=options,
                                      name=upload.name)
        except ImportRejected as exc:
            return rejected_response(exc)
        if not self.preview_only:
            try:
                services.confirm(actor=request.user, record=record, mapping=mapping)
            except ImportRejected as exc:
                return rejected_response(exc, record)
        return Response(RecordOut(record).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["imports"], request={"multipart/form-data": ImportIn}, responses={201: RecordOut})
class ImportPreview(ImportRun):
    """Read a file and propose how its columns map onto the import's; nothing is stored yet."""

    preview_only = True


@extend_schema(tags=["imports"], request=ConfirmIn, responses={
    200: RecordOut, 400: OpenApiResponse(description="A row is bad; nothing stored")})
class ImportConfirm(_KindScoped):
    """Confirm (or correct) the mapping of a previewed import and store its rows, all or none."""

    parser_classes = [JSONParser, FormParser, MultiPartParser]
    permission_classes = [permissions.IsAuthenticated]

    def post(self, request, pk: int):
        record = selectors.record_get(user=request.user, pk=pk)
        data = ConfirmIn(data=request.data)
        data.is_valid(raise_exception=True)
        mapping = data.validated_data.get("mapping")
        if isinstance(mapping, str):
            mapping = _json_object(mapping, "mapping")
        elif mapping is not None and not isinstance(mapping, dict):
            raise serializers.ValidationError({"mapping": ["A JSON object is expected."]})
        try:
            services.confirm(actor=request.user, record=record, mapping=mapping)
        except ImportRejected as exc:
            return rejected_response(exc, record)
        return Response(RecordOut(record).data)


@extend_schema(tags=["imports"])
class ImportList(generics.ListAPIView):
    """Imports I ran (administrators and controllers: everyone's), newest first."""

    serializer_class = RecordOut
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        return selectors.records_for(user=self.request.user, kind=self.request.query_params.get("kind", ""))


@extend_schema(tags=["imports"])
class ImportDetail(generics.RetrieveAPIView):
    """One kept import with its errors by row and column."""

    serializer_class = RecordOut
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self):
        return selectors.record_get(user=self.request.user, pk=self.kwargs["pk"])


urlpatterns = [
    path("imports/", ImportList.as_view(), name="imports-list"),
    path("imports/<int:pk>/", ImportDetail.as_view(), name="imports-detail"),
    path("imports/<int:pk>/confirm/", ImportConfirm.as_view(), name="imports-confirm"),
    path("imports/<str:kind>/preview/", ImportPreview.as_view(), name="imports-preview"),
    path("imports/<str:kind>/", ImportRun.as_view(), name="imports-run"),
]
