"""API of the registry of illegal constructions under ``/api/v1/construction/illegal/``: the list with the page's
filters (paged) and entering one (keepers), one entry with its measures and changing it, recording a measure,
and the report as PDF. The same services and selectors as the pages; an owner who is a person is shown to the
registry's keepers only.

Writes made with a token need the scopes ``write`` and ``construction:write`` (derived from this module)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from krai.construction.models import ConstructionObject, IllegalConstruction, IllegalStatus, Location, MeasureKind
from krai.construction.models import Source as IllegalSource
from krai.construction.selectors import illegal as selectors
from krai.construction.services import illegal as services
from krai.construction.views.illegal import report_response
from krai.core.api import Pagination
from krai.core.api_views import AreaView, AreaWriteView, errors
from krai.org.selectors import municipality_list

ID = {"min_value": 1, "max_value": 2**31 - 1}

# --- serializers -----------------------------------------------------------------------------------


class ConstructionMeasureOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=MeasureKind.choices)
    taken_on = serializers.DateField()
    number = serializers.CharField()
    description = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    court_case = serializers.SerializerMethodField(
        help_text="The lawsuit monitoring's case id, for a caller who may see the case (otherwise null)")

    def get_court_case(self, measure: Any) -> int | None:
        user = self.context.get("user")
        return measure.court_case_id if selectors.court_case_visible(user, measure.court_case) else None


class ConstructionIllegalOut(serializers.Serializer):
    id = serializers.IntegerField()
    address = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    location = serializers.ChoiceField(choices=Location.choices,
                                       help_text="Where the point came from; not_found: no point")
    municipality = serializers.IntegerField(source="municipality_id", allow_null=True)
    municipality_name = serializers.SerializerMethodField()
    cadastral_number = serializers.CharField()
    description = serializers.CharField()
    owner = serializers.SerializerMethodField(help_text="An organisation's name; a person's only to the keepers")
    found_on = serializers.DateField()
    status = serializers.ChoiceField(choices=IllegalStatus.choices)
    source = serializers.ChoiceField(choices=IllegalSource.choices)
    verification = serializers.IntegerField(source="verification_id", allow_null=True,
                                            help_text="The verification request it was found by")
    object = serializers.IntegerField(source="object_id", allow_null=True, help_text="The registered object")
    import_id = serializers.IntegerField(source="import_record_id", allow_null=True)
    measures = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    def get_municipality_name(self, entry: IllegalConstruction) -> str | None:
        return entry.municipality.name if entry.municipality_id else None

    def get_owner(self, entry: IllegalConstruction) -> str:
        return selectors.owner_for(self.context.get("user"), entry.owner)

    @extend_schema_field(ConstructionMeasureOut(many=True))
    def get_measures(self, entry: IllegalConstruction) -> list[dict[str, Any]]:
        return ConstructionMeasureOut(entry.measures.all(), many=True, context=self.context).data


class ConstructionIllegalQuery(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=200, allow_blank=True,
                              help_text="Words of the address or the cadastral number")
    municipality = serializers.IntegerField(required=False, **ID)
    status = serializers.ChoiceField(required=False, choices=IllegalStatus.choices)
    source = serializers.ChoiceField(required=False, choices=IllegalSource.choices)
    found_from = serializers.DateField(required=False)
    found_to = serializers.DateField(required=False)
    not_found = serializers.BooleanField(required=False, default=False, help_text="Only those without a point")
    import_id = serializers.IntegerField(required=False, help_text="Only those stored by this import", **ID)


class ConstructionIllegalIn(serializers.Serializer):
    address = serializers.CharField(max_length=300)
    found_on = serializers.DateField()
    lat = serializers.FloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lon = serializers.FloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    municipality = serializers.IntegerField(required=False, allow_null=True, **ID)
    cadastral_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    description = serializers.CharField(required=False, allow_blank=True, max_length=services.TEXT_MAX)
    owner = serializers.CharField(required=False, allow_blank=True, max_length=300)
    status = serializers.ChoiceField(required=False, choices=IllegalStatus.choices)
    object = serializers.IntegerField(required=False, allow_null=True, help_text="A registered object's id", **ID)


class ConstructionMeasureIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeasureKind.choices)
    taken_on = serializers.DateField()
    number = serializers.CharField(required=False, allow_blank=True, max_length=64)
    description = serializers.CharField(required=False, allow_blank=True, max_length=services.TEXT_MAX)
    amount = serializers.DecimalField(required=False, allow_null=True, max_digits=14, decimal_places=2,
                                      help_text="Required for a fine, more than zero")
    court_case = serializers.IntegerField(required=False, allow_null=True,
                                          help_text="The lawsuit monitoring's case id", **ID)


ConstructionIllegalReportQuery = type("ConstructionIllegalReportQuery", (serializers.Serializer,), {
    "municipality": serializers.IntegerField(required=False, **ID),
    "from": serializers.DateField(required=False, help_text="Found on or after (default: 1 January this year)"),
    "to": serializers.DateField(required=False, help_text="Found on or before (default: today)"),
})


def _municipality(pk: int | None) -> Any:
    if pk is None:
        return None
    found = municipality_list().filter(pk=pk).first()
    if found is None:
        raise exceptions.ValidationError({"municipality": [_("There is no such municipality.")]})
    return found


def _registered_object(pk: int | None) -> Any:
    if pk is None:
        return None
    found = ConstructionObject.objects.filter(pk=pk).first()
    if found is None:
        raise exceptions.ValidationError({"object": [_("There is no such object in the registry.")]})
    return found


def _values(data: dict[str, Any]) -> dict[str, Any]:
    """The body as the service's keyword arguments (ids turned into rows, an unknown one refused by name)."""
    values = dict(data)
    if "municipality" in values:
        values["municipality"] = _municipality(values["municipality"])
    if "object" in values:
        values["registered_object"] = _registered_object(values.pop("object"))
    return values


def _detail(request: Any, entry: IllegalConstruction) -> dict[str, Any]:
    return ConstructionIllegalOut(selectors.illegal_for(request.user, entry.pk), context={"user": request.user}).data


# --- views -----------------------------------------------------------------------------------------

@extend_schema(tags=["construction"])
class IllegalList(AreaWriteView):
    """The registry of illegal constructions (public), filtered and paged; POST enters one (the keepers)."""

    @extend_schema(operation_id="construction_illegal_list", parameters=[ConstructionIllegalQuery],
                   responses={200: ConstructionIllegalOut(many=True), **errors(400)})
    def get(self, request: Any) -> Response:
        query = ConstructionIllegalQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = dict(query.validated_data)
        params["municipality"] = _municipality(params.get("municipality"))
        rows = selectors.illegal_list(**params).prefetch_related("measures__court_case")
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(
            ConstructionIllegalOut(page, many=True, context={"user": request.user}).data)

    @extend_schema(operation_id="construction_illegal_create", request=ConstructionIllegalIn,
                   responses={201: ConstructionIllegalOut, **errors(400, 401, 403, 429)})
    def post(self, request: Any) -> Response:
        entry = services.illegal_create(actor=request.user, **_values(self.body(ConstructionIllegalIn)))
        return Response(_detail(request, entry), status=status.HTTP_201_CREATED)


@extend_schema(tags=["construction"])
class IllegalDetail(AreaWriteView):
    """One illegal construction with its measures; PATCH changes it (the keepers)."""

    @extend_schema(operation_id="construction_illegal_retrieve",
                   responses={200: ConstructionIllegalOut, **errors(404)})
    def get(self, request: Any, pk: int) -> Response:
        return Response(_detail(request, selectors.illegal_for(request.user, pk)))

    @extend_schema(operation_id="construction_illegal_partial_update", request=ConstructionIllegalIn(partial=True),
                   responses={200: ConstructionIllegalOut, **errors(400, 401, 403, 404, 429)})
    def patch(self, request: Any, pk: int) -> Response:
        entry = selectors.illegal_for(request.user, pk)
        entry = services.illegal_update(actor=request.user, construction=entry,
                                        **_values(self.body(ConstructionIllegalIn, partial=True)))
        return Response(_detail(request, entry))


@extend_schema(tags=["construction"])
class MeasureCreate(AreaWriteView):
    """Record a measure taken on an illegal construction (the keepers); answers the construction."""

    @extend_schema(operation_id="construction_illegal_measures_create", request=ConstructionMeasureIn,
                   responses={201: ConstructionIllegalOut, **errors(400, 401, 403, 404, 429)})
    def post(self, request: Any, pk: int) -> Response:
        entry = selectors.illegal_for(request.user, pk)
        services.measure_add(actor=request.user, construction=entry, **self.body(ConstructionMeasureIn))
        return Response(_detail(request, entry), status=status.HTTP_201_CREATED)


class PDFRenderer(BaseRenderer):
    """The report's bytes as they are; an error (a dict) as JSON, whichever the client asked for."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: dict | None = None) -> bytes:
        return data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode()


@extend_schema(tags=["construction"])
class IllegalReport(AreaView):
    """The report as PDF: a map of the constructions found in the period, the counts by municipality and status,
    and the table with their measures (public, like the registry)."""

    renderer_classes = [JSONRenderer, PDFRenderer]

    @extend_schema(operation_id="construction_illegal_report", parameters=[ConstructionIllegalReportQuery],
                   responses={(200, "application/pdf"): OpenApiTypes.BINARY, **errors(400)})
    def get(self, request: Any) -> HttpResponse:
        query = ConstructionIllegalReportQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        today = timezone.localdate()
        date_from, date_to = params.get("from") or today.replace(month=1, day=1), params.get("to") or today
        if date_from > date_to:
            raise exceptions.ValidationError({"to": [_("The period ends before it starts.")]})
        return report_response(municipality=_municipality(params.get("municipality")), date_from=date_from,
                               date_to=date_to)


urlpatterns = [
    path("construction/illegal/", IllegalList.as_view(), name="construction-illegal-list"),
    path("construction/illegal/report.pdf", IllegalReport.as_view(), name="construction-illegal-report"),
    path("construction/illegal/<int:pk>/", IllegalDetail.as_view(), name="construction-illegal-detail"),
    path("construction/illegal/<int:pk>/measures/", MeasureCreate.as_view(), name="construction-illegal-measures"),
]
