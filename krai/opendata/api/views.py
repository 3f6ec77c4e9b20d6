"""The open-data REST API under /api/v1/opendata/: the catalogue, passports, uploads and the data itself."""

from __future__ import annotations

import functools
from xml.sax.saxutils import escape

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import parsers, permissions, serializers, status
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.core.api import Pagination, error_response
from krai.opendata import quality, selectors, services
from krai.opendata.api import rows
from krai.opendata.datastore import QueryError
from krai.opendata.ingest import TYPES, UploadRejected
from krai.opendata.models import Dataset, DatasetVersion, Frequency
from krai.org.models import Organisation


class FieldOut(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.ChoiceField(choices=TYPES)
    title = serializers.CharField(required=False)
    title_en = serializers.CharField(required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    required = serializers.BooleanField(required=False)


class VersionOut(serializers.ModelSerializer):
    name = serializers.CharField(source="data_name")

    class Meta:
        model = DatasetVersion
        fields = ["number", "name", "created", "valid", "provenance", "source_format", "encoding", "row_count",
                  "checksum", "structure_created", "is_current"]


class DatasetOut(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    kind = serializers.CharField(read_only=True, help_text="uploaded | live")
    status = serializers.CharField(read_only=True, help_text="draft | published")
    fields = serializers.SerializerMethodField(method_name="structure_of")
    rows = serializers.SerializerMethodField()

    class Meta:
        model = Dataset
        fields = ["identifier", "title", "description", "owner", "owner_name", "kind", "status", "responsible_name",
                  "responsible_phone", "responsible_email", "keywords", "subject", "frequency", "licence", "spatial",
                  "temporal_start", "temporal_end", "documentation_url", "created", "modified", "next_update",
                  "provenance", "quality", "fields", "rows"]

    @extend_schema_field(FieldOut(many=True))
    def structure_of(self, dataset) -> list[dict]:
        return dataset.fields

    def get_rows(self, dataset) -> int | None:
        version = dataset.current_version
        return version.row_count if version else None


class DatasetDetailOut(DatasetOut):
    versions = VersionOut(many=True, read_only=True)

    class Meta(DatasetOut.Meta):
        fields = [*DatasetOut.Meta.fields, "versions"]


class DatasetIn(serializers.Serializer):
    owner = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    identifier = serializers.CharField(required=False, allow_blank=True, max_length=100)
    code = serializers.CharField(required=False, allow_blank=True, max_length=80)
    title = serializers.CharField(max_length=500)
    description = serializers.CharField(required=False, allow_blank=True)
    structure = serializers.JSONField()
    responsible_name = serializers.CharField(required=False, allow_blank=True, max_length=300)
    responsible_phone = serializers.CharField(required=False, allow_blank=True, max_length=64)
    responsible_email = serializers.EmailField(required=False, allow_blank=True)
    keywords = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    subject = serializers.CharField(required=False, allow_blank=True, max_length=100)
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False)
    licence = serializers.CharField(required=False, allow_blank=True, max_length=200)
    spatial = serializers.CharField(required=False, allow_blank=True, max_length=300)
    temporal_start = serializers.DateField(required=False, allow_null=True)
    temporal_end = serializers.DateField(required=False, allow_null=True)
    documentation_url = serializers.URLField(required=False, allow_blank=True)
    status = serializers.CharField(required=False, help_text="draft | published")


class DatasetPatch(DatasetIn):
    owner = None
    identifier = None
    code = None
    title = serializers.CharField(max_length=500, required=False)
    structure = serializers.JSONField(required=False)
    next_update = serializers.DateField(required=False, allow_null=True)


class UploadIn(serializers.Serializer):
    file = serializers.FileField()
    provenance = serializers.CharField(required=False, allow_blank=True, max_length=500)
    valid = serializers.DateField(required=False, allow_null=True)


class CriterionOut(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    met = serializers.BooleanField()
    fix = serializers.CharField()


class QualityOut(serializers.Serializer):
    score = serializers.IntegerField()
    criteria = CriterionOut(many=True)


class RowsOut(serializers.Serializer):
    fields = FieldOut(many=True)
    rows = serializers.ListField(child=serializers.DictField())
    total = serializers.IntegerField(allow_null=True)
    next_cursor = serializers.CharField(allow_null=True)
    next = serializers.CharField(allow_null=True)


class RowsXMLRenderer(BaseRenderer):
    """``<data><row><field>…</field></row></data>``, the shape of CKAN's XML dump."""

    media_type = "application/xml"
    format = "xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, dict) or "rows" not in data:
            inner = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in (data or {}).get("error", {}).items()
                            if isinstance(k, str) and k.isidentifier())
            return f'<?xml version="1.0" encoding="UTF-8"?>\n<error>{inner}</error>\n'.encode()
        parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<data']
        if data.get("total") is not None:
            parts.append(f' total="{int(data["total"])}"')
        if data.get("next_cursor"):
            parts.append(f' next_cursor="{escape(data["next_cursor"])}"')
        parts.append(">\n")
        for row in data["rows"]:
            parts.append("<row>")
            for key, value in row.items():
                if value is None:
                    parts.append(f"<{key}/>")
                else:
                    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
                    parts.append(f"<{key}>{escape(text)}</{key}>")
            parts.append("</row>\n")
        parts.append("</data>\n")
        return "".join(parts).encode()


def _rejected(exc: UploadRejected):
    code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE if exc.code == "too_large" else status.HTTP_400_BAD_REQUEST
    response = error_response(exc.message, code=exc.code, http_status=code)
    response.data["error"]["rows"] = [e.as_dict() for e in exc.errors]
    response.data["error"]["error_count"] = exc.error_count
    return response


ERRORS = {400: OpenApiResponse(description="Invalid input or query: {\"error\": {...}}"),
          404: OpenApiResponse(description="Missing, or not visible (the same answer)")}


@extend_schema(tags=["opendata"])
class DatasetList(APIView):
    """The catalogue of datasets (published, plus drafts a publisher may change)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[OpenApiParameter("q", str), OpenApiParameter("owner", str),
                               OpenApiParameter("subject", str), OpenApiParameter("frequency", str),
                               OpenApiParameter("format", str), OpenApiParameter("keyword", str)],
                   responses=DatasetOut(many=True))
    def get(self, request):
        p = request.query_params
        qs = selectors.catalogue_filter(selectors.datasets_visible_to(request.user), q=p.get("q", ""),
                                        owner=p.get("owner", ""), subject=p.get("subject", ""),
                                        fmt=p.get("format", "") if p.get("format") in ("csv", "json", "xlsx") else "",
                                        frequency=p.get("frequency", ""), keyword=p.get("keyword", ""))
        paginator = Pagination()
        page = paginator.paginate_queryset(qs.order_by("title", "pk"), request, view=self)
        return paginator.get_paginated_response(DatasetOut(page, many=True).data)

    @extend_schema(request=DatasetIn, responses={201: DatasetDetailOut, **ERRORS})
    def post(self, request):
        if not request.user.is_authenticated:
            return error_response("Authentication required", code="not_authenticated", http_status=401)
        data = DatasetIn(data=request.data)
        data.is_valid(raise_exception=True)
        dataset = services.dataset_create(actor=request.user, **data.validated_data)
        return Response(DatasetDetailOut(dataset).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["opendata"])
class DatasetDetail(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: DatasetDetailOut, **ERRORS})
    def get(self, request, identifier: str):
        return Response(DatasetDetailOut(selectors.dataset_get_for_user(user=request.user,
                                                                        identifier=identifier)).data)

    @extend_schema(request=DatasetPatch, responses={200: DatasetDetailOut, **ERRORS})
    def patch(self, request, identifier: str):
        dataset = selectors.dataset_get_for_user(user=request.user, identifier=identifier)
        data = DatasetPatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        dataset = services.dataset_update(actor=request.user, dataset=dataset, **data.validated_data)
        return Response(DatasetDetailOut(dataset).data)


@extend_schema(tags=["opendata"])
class VersionList(APIView):
    permission_classes = [permissions.AllowAny]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    @extend_schema(responses={200: VersionOut(many=True), **ERRORS})
    def get(self, request, identifier: str):
        dataset = selectors.dataset_get_for_user(user=request.user, identifier=identifier)
        return Response(VersionOut(dataset.versions.order_by("-number"), many=True).data)

    @extend_schema(request={"multipart/form-data": UploadIn},
                   responses={201: VersionOut, 400: ERRORS[400], 404: ERRORS[404],
                              413: OpenApiResponse(description="The file is over the size limit")})
    def post(self, request, identifier: str):
        dataset = selectors.dataset_get_for_user(user=request.user, identifier=identifier)
        data = UploadIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            version = services.version_upload(actor=request.user, dataset=dataset, upload=data.validated_data["file"],
                                              provenance=data.validated_data.get("provenance", ""),
                                              valid=data.validated_data.get("valid"))
        except UploadRejected as exc:
            return _rejected(exc)
        return Response(VersionOut(version).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["opendata"])
class DatasetQuality(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: QualityOut, **ERRORS})
    def get(self, request, identifier: str):
        dataset = selectors.dataset_get_for_user(user=request.user, identifier=identifier)
        if not request.user.has_perm("opendata.change_dataset", dataset):
            return error_response("Not allowed", code="permission_denied", http_status=403)
        items = quality.criteria(dataset)
        return Response(QualityOut({"score": quality.score(dataset),
                                    "criteria": [c.__dict__ for c in items]}).data)


ROW_PARAMETERS = [
    OpenApiParameter("q", str, description="Words that every row must contain (text columns)"),
    OpenApiParameter("sort", str, description="A field, '-field' for descending (keyset pages follow one field)"),
    OpenApiParameter("fields", str, description="Comma-separated fields to return"),
    OpenApiParameter("limit", int, description="Rows per page (default 100, at most 1000)"),
    OpenApiParameter("cursor", str, description="The next_cursor of the previous page"),
    OpenApiParameter("total", bool, description="Count all matching rows (cached for a minute)"),
    OpenApiParameter("format", str, enum=["json", "xml"]),
    OpenApiParameter("<field>", str, description="Filter: <field>=v or <field>__<op>=v with op in eq, ne, lt, lte, "
                                                 "gt, gte, contains, startswith, in (comma list), isnull"),
]


@extend_schema(tags=["opendata"])
class DatasetRows(APIView):
    """Rows of the current version: filters with operators, q, sort, fields, keyset pages, optional total."""

    permission_classes = [permissions.AllowAny]
    renderer_classes = [JSONRenderer, RowsXMLRenderer]

    @extend_schema(parameters=ROW_PARAMETERS, responses={(200, "application/json"): RowsOut,
                                                         (200, "application/xml"): OpenApiTypes.STR, **ERRORS})
    def get(self, request, identifier: str):
        table = selectors.published_table(identifier)
        if table is None:  # a draft its publisher may read, or the same 404 for missing and hidden
            table = selectors.datastore_table(selectors.dataset_get_for_user(user=request.user, identifier=identifier))
        params = request.query_params
        try:
            page = table.page(selectors.query_from_params(params), include_total=rows.include_total(params))
        except (QueryError, DjangoValidationError) as exc:
            return error_response(str(exc.args[0] if exc.args else exc), code="invalid_query")
        body = rows.rows_body(request, params, page)
        if request.accepted_renderer.format == "xml":
            return Response(body)
        return rows.json_response(body)

    @classmethod
    def as_view(cls, **initkwargs):
        """DRF's view behind ``rows.fast_rows``: JSON pages of published datasets skip DRF's request cycle."""
        view = super().as_view(**initkwargs)
        allowed = [m.upper() for m in cls.http_method_names if hasattr(cls, m) or (m == "head" and hasattr(cls, "get"))]
        headers = {"Allow": ", ".join(allowed), "Vary": "Accept"}  # as DRF's view answers (Django adds head to get)

        def rows_view(request, *args, **kwargs):
            return rows.fast_rows(request, kwargs["identifier"], headers=headers) or view(request, *args, **kwargs)

        functools.update_wrapper(rows_view, view)  # .cls, .initkwargs, csrf_exempt: the schema and Django see DRF's
        return rows_view
