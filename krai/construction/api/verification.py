"""API of residents' verification requests under /api/v1/construction/: the public list (filters, pages) and one
request with its inspection, filing one (a confirmed resident; multipart for photos), the inspector's answer, a
keeper's cancellation, and what lies near a point. The same services and selectors as the pages.

Writes made with a token need the scopes ``write`` and ``construction:write`` (derived from this module).
"""

from __future__ import annotations

from typing import Any

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from krai.construction.models import Decision, RequestReason, RequestStatus
from krai.construction.selectors import verification as selectors
from krai.construction.services import verification as services
from krai.core.api import Pagination
from krai.core.api_views import AreaView, AreaWriteView, errors


class ConstructionRefOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ConstructionPhotoOut(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="The file, through the kernel's /files/<id>/")


class ConstructionInspectionOut(serializers.Serializer):
    visited_on = serializers.DateField()
    findings = serializers.CharField()
    decision = serializers.ChoiceField(choices=Decision.choices)
    decision_label = serializers.CharField()
    floors_found = serializers.IntegerField(allow_null=True)
    photos = ConstructionPhotoOut(many=True)


class ConstructionRequestOut(serializers.Serializer):
    """A request as the public reads it: the author by his community name only, his text masked."""

    id = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=RequestReason.choices)
    reason_label = serializers.CharField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    status_label = serializers.CharField()
    address = serializers.CharField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    municipality = ConstructionRefOut(allow_null=True)
    object = ConstructionRefOut(allow_null=True, help_text="The registered object, when the site differs from it")
    inspection_body = ConstructionRefOut()
    description = serializers.CharField()
    observed_floors = serializers.IntegerField(allow_null=True)
    author = serializers.CharField(help_text="The community's name (\"Given S.\"), never the full surname")
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    photos = ConstructionPhotoOut(many=True)
    inspection = ConstructionInspectionOut(allow_null=True)
    illegal_id = serializers.IntegerField(allow_null=True, help_text="The illegal construction the inspection found")
    url = serializers.CharField()


class ConstructionRequestListQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=RequestStatus.choices, required=False)
    municipality = serializers.IntegerField(required=False, min_value=1)
    reason = serializers.ChoiceField(choices=RequestReason.choices, required=False)
    decision = serializers.ChoiceField(choices=Decision.choices, required=False)
    object = serializers.IntegerField(required=False, min_value=1)


class ConstructionRequestIn(serializers.Serializer):
    reason = serializers.ChoiceField(choices=RequestReason.choices)
    object = serializers.IntegerField(required=False, allow_null=True, default=None,
                                      help_text="The registered object (required when the reason is \"differs\")")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                    help_text="Empty: the registry's nearest address to the point")
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    description = serializers.CharField(max_length=5000)
    observed_floors = serializers.IntegerField(required=False, allow_null=True, default=None)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                   help_text="Images (multipart), all accepted or the request refused")


class ConstructionInspectIn(serializers.Serializer):
    visited_on = serializers.DateField()
    findings = serializers.CharField(max_length=20_000)
    decision = serializers.ChoiceField(choices=Decision.choices)
    floors_found = serializers.IntegerField(required=False, allow_null=True, default=None)
    photos = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ConstructionCancelIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ConstructionNearObjectOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    metres = serializers.IntegerField()
    stage = serializers.CharField()
    stage_label = serializers.CharField()
    approved_floors = serializers.IntegerField(allow_null=True)
    permit_number = serializers.CharField()
    url = serializers.CharField(allow_null=True)


class ConstructionNearRequestOut(serializers.Serializer):
    id = serializers.IntegerField()
    address = serializers.CharField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    metres = serializers.IntegerField()
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    created = serializers.DateField()
    due_date = serializers.DateField(allow_null=True)
    url = serializers.CharField()


class ConstructionNearbyOut(serializers.Serializer):
    objects = ConstructionNearObjectOut(many=True)
    requests = ConstructionNearRequestOut(many=True)


class ConstructionNearbyQuery(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    lon = serializers.FloatField(min_value=-180, max_value=180)


def _ref(item: Any) -> dict[str, Any] | None:
    return {"id": item.pk, "name": str(item)} if item is not None else None


def _photos(http: Any, target: Any) -> list[dict[str, Any]]:
    return [{"id": a.pk, "url": http.build_absolute_uri(reverse("files:download", args=[a.pk]))}
            for a in selectors.photos_of(target)]


def request_data(http: Any, item: Any) -> dict[str, Any]:
    inspection = selectors.inspection_of(item)
    illegal = selectors.illegal_of(item)
    return {
        "id": item.pk, "reason": item.reason, "reason_label": str(item.get_reason_display()), "status": item.status,
        "status_label": str(item.get_status_display()), "address": item.address, "lat": item.lat, "lon": item.lon,
        "municipality": _ref(item.municipality), "object": _ref(item.object),
        "inspection_body": _ref(item.inspection_body),
        "description": selectors.public_text(item.description), "observed_floors": item.observed_floors,
        "author": selectors.author_name(item), "due_date": item.due_date, "overdue": selectors.is_overdue(item),
        "created_at": item.created_at, "resolved_at": item.resolved_at, "photos": _photos(http, item),
        "inspection": None if inspection is None else {
            "visited_on": inspection.visited_on, "findings": inspection.findings, "decision": inspection.decision,
            "decision_label": str(inspection.get_decision_display()), "floors_found": inspection.floors_found,
            "photos": _photos(http, inspection)},
        "illegal_id": illegal.pk if illegal else None, "url": http.build_absolute_uri(item.get_absolute_url())}


def _files(http: Any, data: dict[str, Any]) -> dict[str, Any]:
    if hasattr(http.data, "getlist"):
        data["photos"] = http.FILES.getlist("photos")
    return data


@extend_schema(tags=["construction"])
class RequestList(AreaWriteView):
    """Every verification request (filters, pages); a confirmed resident files one (POST, multipart for photos)."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(parameters=[ConstructionRequestListQuery], responses=ConstructionRequestOut(many=True))
    def get(self, request: Any) -> Response:
        query = ConstructionRequestListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.request_list(selectors.Filters(**query.validated_data)),
                                           request, view=self)
        return paginator.get_paginated_response([request_data(request, item) for item in page])

    @extend_schema(request=ConstructionRequestIn, responses={201: ConstructionRequestOut,
                                                             **errors(400, 401, 403, 429)})
    def post(self, request: Any) -> Response:
        data = _files(request, self.body(ConstructionRequestIn))
        data["construction_object"] = data.pop("object")
        item = services.request_file(actor=request.user, **data)
        return Response(request_data(request, selectors.request_get(item.pk)), status=status.HTTP_201_CREATED)


@extend_schema(tags=["construction"])
class RequestDetail(AreaView):
    """One request with its inspection once done (every request is public)."""

    @extend_schema(responses={200: ConstructionRequestOut, **errors(404)})
    def get(self, request: Any, pk: int) -> Response:
        return Response(request_data(request, selectors.request_get(pk)))


@extend_schema(tags=["construction"])
class RequestInspect(AreaWriteView):
    """The inspection body's answer: the visit, the findings, the decision, photos (its staff only: anyone else
    403, nothing changed; a request already answered or cancelled: 400)."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request=ConstructionInspectIn, responses={201: ConstructionRequestOut,
                                                             **errors(400, 401, 403, 404)})
    def post(self, request: Any, pk: int) -> Response:
        item = selectors.request_get(pk)
        services.request_inspect(actor=request.user, request=item, **_files(request, self.body(ConstructionInspectIn)))
        return Response(request_data(request, selectors.request_get(pk)), status=status.HTTP_201_CREATED)


@extend_schema(tags=["construction"])
class RequestCancel(AreaWriteView):
    """A keeper of the registry cancels a request (a duplicate) with a reason the author is sent."""

    @extend_schema(request=ConstructionCancelIn, responses={200: ConstructionRequestOut,
                                                            **errors(400, 401, 403, 404)})
    def post(self, request: Any, pk: int) -> Response:
        item = selectors.request_get(pk)
        services.request_cancel(actor=request.user, request=item, **self.body(ConstructionCancelIn))
        return Response(request_data(request, selectors.request_get(pk)))


@extend_schema(tags=["construction"])
class Nearby(AreaView):
    """Registered objects and open requests around a point, closest first (within the configured metres)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[ConstructionNearbyQuery], responses={200: ConstructionNearbyOut, **errors(400)})
    def get(self, request: Any) -> Response:
        query = ConstructionNearbyQuery(data=request.query_params)
        if not query.is_valid():
            raise exceptions.ValidationError(query.errors)
        point = query.validated_data
        return Response(selectors.nearby_data(selectors.nearby(point["lat"], point["lon"])))


urlpatterns = [
    path("construction/requests/", RequestList.as_view(), name="construction-verification-requests"),
    path("construction/requests/<int:pk>/", RequestDetail.as_view(), name="construction-verification-request"),
    path("construction/requests/<int:pk>/inspect/", RequestInspect.as_view(),
         name="construction-verification-inspect"),
    path("construction/requests/<int:pk>/cancel/", RequestCancel.as_view(), name="construction-verification-cancel"),
    path("construction/nearby/", Nearby.as_view(), name="construction-verification-nearby"),
]
