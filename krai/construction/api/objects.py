"""API of the public registry of constructions under /api/v1/construction/: the list (the page's filters, paged) and
one object with its documents and photos, for everyone; entering and changing an object, moving its stage (a
PATCH of ``stage``, with ``note``) and attaching files (multipart), for the registry's keepers; an object's history
of changes; and the map's GeoJSON, ``GET /api/v1/construction/objects.geojson`` (the same filters, plus ``bbox``).
The same services and selectors as the pages.

Writes made with a token need the scopes ``write`` and ``construction:write`` (derived from this module).
"""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from krai.construction.models import ConstructionObject, ObjectKind, ObjectStage
from krai.construction.selectors import objects as selectors
from krai.construction.services import objects as services
from krai.core.api import Pagination
from krai.core.api_views import AreaView, AreaWriteView, errors

ID = {"min_value": 1, "max_value": 2**31 - 1}


# --- serializers -----------------------------------------------------------------------------------

class ConstructionObjectFileOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    size = serializers.IntegerField(help_text="Bytes")
    mime_type = serializers.CharField()
    uploaded = serializers.DateTimeField(source="created_at")
    url = serializers.SerializerMethodField(help_text="The file, through the kernel's /files/<id>/")

    def get_url(self, attachment: Any) -> str:
        return reverse("files:download", args=[attachment.pk])


class ConstructionObjectOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=ObjectKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    stage = serializers.ChoiceField(choices=ObjectStage.choices)
    stage_label = serializers.CharField(source="get_stage_display")
    address = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    polygon = serializers.JSONField(allow_null=True, help_text="The plot's outline: a GeoJSON Polygon or MultiPolygon")
    municipality = serializers.IntegerField(source="municipality_id", allow_null=True)
    municipality_name = serializers.SerializerMethodField()
    cadastral_number = serializers.CharField()
    developer = serializers.CharField()
    developer_inn = serializers.CharField()
    permit_number = serializers.CharField()
    permit_date = serializers.DateField(allow_null=True)
    permit_authority = serializers.CharField()
    permit_valid_until = serializers.DateField(allow_null=True)
    permit_expired = serializers.SerializerMethodField(
        help_text="The permit's validity has ended and the object is not commissioned")
    approved_floors = serializers.IntegerField(allow_null=True)
    approved_area = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True,
                                             help_text="Square metres")
    purpose = serializers.CharField()
    description = serializers.CharField()
    inspection_body = serializers.IntegerField(source="inspection_body_id", allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    url = serializers.CharField(source="get_absolute_url")

    def get_municipality_name(self, obj: ConstructionObject) -> str | None:
        return obj.municipality.name if obj.municipality_id else None

    def get_permit_expired(self, obj: ConstructionObject) -> bool:
        return selectors.permit_expired(obj)


class ConstructionObjectDetailOut(ConstructionObjectOut):
    documents = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    def _files(self, obj: ConstructionObject) -> tuple[list[Any], list[Any]]:
        if "files" not in self.context:
            self.context["files"] = selectors.object_files(obj, user=self.context.get("user"))
        return self.context["files"]

    @extend_schema_field(ConstructionObjectFileOut(many=True))
    def get_documents(self, obj: ConstructionObject) -> list[dict[str, Any]]:
        return ConstructionObjectFileOut(self._files(obj)[0], many=True).data

    @extend_schema_field(ConstructionObjectFileOut(many=True))
    def get_photos(self, obj: ConstructionObject) -> list[dict[str, Any]]:
        return ConstructionObjectFileOut(self._files(obj)[1], many=True).data


class ConstructionObjectQuery(serializers.Serializer):
    municipality = serializers.IntegerField(required=False, **ID)
    kind = serializers.ChoiceField(required=False, choices=ObjectKind.choices)
    stage = serializers.ChoiceField(required=False, choices=ObjectStage.choices)
    q = serializers.CharField(required=False, max_length=200, allow_blank=True,
                              help_text="Words of the name, the address, the developer, the purpose, the numbers")
    developer = serializers.CharField(required=False, max_length=200, allow_blank=True,
                                      help_text="The developer's name or INN")
    permit = serializers.CharField(required=False, max_length=200, allow_blank=True,
                                   help_text="The permit's number or issuing body")
    address = serializers.CharField(required=False, max_length=200, allow_blank=True)
    cadastral = serializers.CharField(required=False, max_length=40, allow_blank=True,
                                      help_text="The cadastral number, or its beginning")
    expired = serializers.BooleanField(required=False, default=False,
                                       help_text="Only objects whose permit has expired (not commissioned)")


class ConstructionObjectMapQuery(ConstructionObjectQuery):
    bbox = serializers.CharField(required=False, max_length=100,
                                 help_text="west,south,east,north in degrees: only points inside it")

    def validate_bbox(self, value: str) -> tuple[float, float, float, float] | None:
        if not value:
            return None
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError:
            raise serializers.ValidationError("Give four numbers: west,south,east,north.") from None
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise serializers.ValidationError("Give west ≤ east and south ≤ north, within the Earth's degrees.")
        return west, south, east, north


class ConstructionObjectIn(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=ObjectKind.choices, required=False)
    stage = serializers.ChoiceField(choices=ObjectStage.choices, required=False)
    address = serializers.CharField(max_length=300)
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lon = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    polygon = serializers.JSONField(required=False, allow_null=True,
                                    help_text="A GeoJSON Polygon or MultiPolygon (longitude first); its centroid is "
                                              "the point when no point is given")
    municipality = serializers.IntegerField(required=False, allow_null=True, **ID,
                                            help_text="Found by the point when not given")
    cadastral_number = serializers.CharField(required=False, allow_blank=True, max_length=40,
                                             help_text="NN:NN:NNNNNNN:N…")
    developer = serializers.CharField(required=False, allow_blank=True, max_length=300)
    developer_inn = serializers.CharField(required=False, allow_blank=True, max_length=12,
                                          help_text="10 or 12 digits")
    permit_number = serializers.CharField(required=False, allow_blank=True, max_length=64)
    permit_date = serializers.DateField(required=False, allow_null=True)
    permit_authority = serializers.CharField(required=False, allow_blank=True, max_length=300)
    permit_valid_until = serializers.DateField(required=False, allow_null=True)
    approved_floors = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=200)
    approved_area = serializers.DecimalField(required=False, allow_null=True, max_digits=12, decimal_places=2,
                                             help_text="Square metres, more than 0")
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    inspection_body = serializers.IntegerField(required=False, allow_null=True, **ID)


class ConstructionObjectPatchIn(ConstructionObjectIn):
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                 help_text="Why it changes (kept in the public history; required to take a "
                                           "commissioned object back)")


class ConstructionObjectFileIn(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=[("document", "document"), ("photo", "photo")], default="document",
                                   help_text="document: PDF, office file or a scan; photo: an image")


class ConstructionObjectChangeItemOut(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class ConstructionObjectChangeOut(serializers.Serializer):
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_name", help_text="The community's name of who changed it")
    note = serializers.CharField()
    changes = ConstructionObjectChangeItemOut(many=True, source="items")


# --- views -----------------------------------------------------------------------------------------

def _filters(request: Any, query_class: type[serializers.Serializer] = ConstructionObjectQuery) -> dict[str, Any]:
    query = query_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return dict(query.validated_data)


def _detail(request: Any, obj: ConstructionObject) -> dict[str, Any]:
    return ConstructionObjectDetailOut(obj, context={"user": request.user}).data


@extend_schema(tags=["construction"])
class ObjectList(AreaWriteView):
    """The registry's objects by the page's filters, by name, paged; POST enters one (the registry's keepers)."""

    @extend_schema(operation_id="construction_objects_list", parameters=[ConstructionObjectQuery],
                   responses={200: ConstructionObjectOut(many=True), **errors(400)})
    def get(self, request: Any) -> Response:
        rows = selectors.object_list(_filters(request))
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(ConstructionObjectOut(page, many=True).data)

    @extend_schema(operation_id="construction_objects_create", request=ConstructionObjectIn,
                   responses={201: ConstructionObjectDetailOut, **errors(400, 401, 403, 429)})
    def post(self, request: Any) -> Response:
        obj = services.object_create(actor=request.user, **self.body(ConstructionObjectIn))
        return Response(_detail(request, obj), status=status.HTTP_201_CREATED)


@extend_schema(tags=["construction"])
class ObjectDetail(AreaWriteView):
    """One object with its documents and photos; PATCH changes the fields given (a keeper), ``stage`` included."""

    @extend_schema(operation_id="construction_objects_retrieve",
                   responses={200: ConstructionObjectDetailOut, **errors(404)})
    def get(self, request: Any, pk: int) -> Response:
        return Response(_detail(request, selectors.object_get(pk)))

    @extend_schema(operation_id="construction_objects_partial_update", request=ConstructionObjectPatchIn(partial=True),
                   responses={200: ConstructionObjectDetailOut, **errors(400, 401, 403, 404, 429)})
    def patch(self, request: Any, pk: int) -> Response:
        obj = selectors.object_get(pk)
        changes = self.body(ConstructionObjectPatchIn, partial=True)
        note = changes.pop("note", "")
        obj = services.object_update(actor=request.user, construction_object=obj, note=note, **changes)
        return Response(_detail(request, obj))


@extend_schema(tags=["construction"])
class ObjectHistory(AreaView):
    """The object's history of changes, newest first, paged."""

    @extend_schema(operation_id="construction_objects_history",
                   responses={200: ConstructionObjectChangeOut(many=True), **errors(404)})
    def get(self, request: Any, pk: int) -> Response:
        rows = selectors.history_rows(selectors.object_get(pk))
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(ConstructionObjectChangeOut(page, many=True).data)


@extend_schema(tags=["construction"])
class ObjectFiles(AreaWriteView):
    """Attach a document or a photo to the object (multipart; the registry's keepers)."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(operation_id="construction_objects_files_create",
                   request={"multipart/form-data": ConstructionObjectFileIn},
                   responses={201: ConstructionObjectFileOut, **errors(400, 401, 403, 404, 429)})
    def post(self, request: Any, pk: int) -> Response:
        obj = selectors.object_get(pk)
        data = self.body(ConstructionObjectFileIn)
        attachment = services.object_attach(actor=request.user, construction_object=obj, upload=data["file"],
                                            kind=data["kind"])
        return Response(ConstructionObjectFileOut(attachment).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["construction"])
class ObjectsGeoJSON(AreaView):
    """The filtered objects as a GeoJSON FeatureCollection: a Point per placed object (``properties.shape`` "point")
    and a Polygon or MultiPolygon per outline (``shape`` "outline"); properties: id, name, address, kind, stage,
    their labels, url."""

    @extend_schema(operation_id="construction_objects_geojson", parameters=[ConstructionObjectMapQuery],
                   responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="A GeoJSON FeatureCollection"),
                              **errors(400)})
    def get(self, request: Any) -> Response:
        filters = _filters(request, ConstructionObjectMapQuery)
        bbox = filters.pop("bbox", None)
        return Response(selectors.objects_geojson(filters, bbox=bbox))


urlpatterns = [
    path("construction/objects/", ObjectList.as_view(), name="construction-objects"),
    path("construction/objects.geojson", ObjectsGeoJSON.as_view(), name="construction-objects-geojson"),
    path("construction/objects/<int:pk>/", ObjectDetail.as_view(), name="construction-objects-detail"),
    path("construction/objects/<int:pk>/history/", ObjectHistory.as_view(), name="construction-objects-history"),
    path("construction/objects/<int:pk>/files/", ObjectFiles.as_view(), name="construction-objects-files"),
]
