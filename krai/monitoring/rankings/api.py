"""API of the federal rankings monitor, under /api/v1/monitoring/rankings/: the ratings with the home region's
place and change, a rating with its editions and history, an edition's table, and typed editions (POST).
A whole edition's table arrives through the import kernel: POST /api/v1/imports/rankings.edition/."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.core.api import Pagination
from krai.monitoring.rankings import selectors, services
from krai.monitoring.rankings.importers import find_region


class RatingChangeOut(serializers.Serializer):
    place = serializers.IntegerField(source="current.place", allow_null=True, default=None)
    place_to = serializers.IntegerField(source="current.place_to", allow_null=True, default=None)
    place_label = serializers.CharField(source="current.place_label", allow_null=True, default=None)
    previous_place = serializers.IntegerField(source="previous.place", allow_null=True, default=None)
    direction = serializers.CharField(help_text="up, down, same, new (no previous place) or none")
    delta = serializers.IntegerField(allow_null=True, help_text="places gained (negative: lost)")


class RatingStandingOut(serializers.Serializer):
    code = serializers.CharField(source="rating.code")
    name = serializers.CharField(source="rating.name")
    publisher = serializers.CharField(source="rating.publisher")
    active = serializers.BooleanField(source="rating.active")
    edition = serializers.CharField(source="edition.period", allow_null=True, default=None)
    regions_count = serializers.IntegerField(source="edition.regions_count", allow_null=True, default=None)
    change = RatingChangeOut()
    dropped = serializers.BooleanField()


class RatingEditionOut(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(allow_null=True)
    period = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    regions_count = serializers.IntegerField()
    source_url = serializers.CharField()


class RatingPlaceOut(serializers.Serializer):
    region = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    place = serializers.IntegerField()
    place_to = serializers.IntegerField(allow_null=True)
    score = serializers.DecimalField(max_digits=12, decimal_places=3, allow_null=True)
    subscores = serializers.DictField()


class RatingPlaceIn(serializers.Serializer):
    region = serializers.CharField(required=False, help_text="Code (23) or name; the home region when omitted.")
    place = serializers.IntegerField(min_value=1)
    place_to = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    score = serializers.DecimalField(max_digits=12, decimal_places=3, required=False, allow_null=True)
    subscores = serializers.DictField(child=serializers.FloatField(), required=False, default=dict)


class RatingEditionIn(serializers.Serializer):
    year = serializers.IntegerField()
    quarter = serializers.IntegerField(required=False, allow_null=True)
    regions_count = serializers.IntegerField(min_value=1)
    published_on = serializers.DateField(required=False, allow_null=True)
    source_url = serializers.URLField(required=False, allow_blank=True, default="")
    places = RatingPlaceIn(many=True)


class RatingDetailOut(serializers.Serializer):
    """The shape of a rating's detail (documents the answer built in ``RatingDetail.get``)."""

    code = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    publisher = serializers.CharField()
    methodology_url = serializers.CharField()
    periodicity = serializers.CharField()
    directions = serializers.ListField(child=serializers.DictField())
    drop_threshold = serializers.IntegerField()
    active = serializers.BooleanField()
    owner_organisation = serializers.IntegerField(allow_null=True)
    neighbours = serializers.ListField(child=serializers.CharField())
    standing = RatingStandingOut()
    editions = RatingEditionOut(many=True)
    history = serializers.JSONField()
    lost_directions = serializers.ListField(child=serializers.DictField())


class RatingEditionDetailOut(RatingEditionOut):
    places = RatingPlaceOut(many=True)


class _View(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def handle_exception(self, exc):
        if isinstance(exc, DjangoPermissionDenied):
            exc = exceptions.PermissionDenied(str(exc) or None)
        return super().handle_exception(exc)

    def rating(self, code: str):
        rating = selectors.rating_by_code(code) if self.request.user.has_perm("rankings.view_rating") else None
        if rating is None:
            raise Http404
        return rating


@extend_schema(tags=["monitoring"])
class RatingList(_View):
    """The ratings, each with the home region's place in its latest edition and the change."""

    @extend_schema(responses=RatingStandingOut(many=True), operation_id="rankings_list")
    def get(self, request):
        if not request.user.has_perm("rankings.view_rating"):
            raise exceptions.PermissionDenied()
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.rating_list(), request, view=self)
        return paginator.get_paginated_response(RatingStandingOut(selectors.standings(list(page)), many=True).data)


@extend_schema(tags=["monitoring"])
class RatingDetail(_View):
    """A rating: its passport, the home region's standing, its editions and the places' history (home region
    and neighbours), the directions where the region lost most."""

    @extend_schema(operation_id="rankings_detail", responses=RatingDetailOut)
    def get(self, request, code: str):
        rating = self.rating(code)
        return Response({
            "code": rating.code, "name": rating.name, "name_en": rating.name_en, "publisher": rating.publisher,
            "methodology_url": rating.methodology_url, "periodicity": rating.periodicity,
            "directions": rating.directions, "drop_threshold": rating.drop_threshold, "active": rating.active,
            "owner_organisation": rating.owner_organisation_id,
            "neighbours": [r.code for r in rating.neighbours.order_by("code")],
            "standing": RatingStandingOut(selectors.standing(rating)).data,
            "editions": RatingEditionOut(selectors.editions_of(rating), many=True).data,
            "history": selectors.history(rating, selectors.compared_regions(rating)),
            "lost_directions": [{**row, "delta": float(row["delta"])} for row in selectors.lost_directions(rating)],
        })


@extend_schema(tags=["monitoring"])
class EditionList(_View):
    """POST: a typed edition — its period and at least the home region's place."""

    @extend_schema(request=RatingEditionIn, responses={201: RatingEditionOut}, operation_id="rankings_edition_create")
    def post(self, request, code: str):
        rating = self.rating(code)
        body = RatingEditionIn(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        places = []
        for row in data.pop("places"):
            region = find_region(row["region"]) if row.get("region") else selectors.home_region()
            if region is None:
                message = _("“%(region)s”: no such region of Russia (give its code or its name)")
                raise exceptions.ValidationError({"places": [message % {"region": row.get("region")}]})
            places.append({**row, "region": region})
        try:
            edition = services.edition_create(actor=request.user, rating=rating, places=places, **data)
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) \
                from None
        return Response(RatingEditionOut(edition).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["monitoring"])
class EditionDetail(_View):
    """An edition with every region's place."""

    @extend_schema(operation_id="rankings_edition_detail", responses=RatingEditionDetailOut)
    def get(self, request, code: str, pk: int):
        edition = self.rating(code).editions.filter(pk=pk).first()
        if edition is None:
            raise Http404
        return Response({**RatingEditionOut(edition).data,
                         "places": RatingPlaceOut(selectors.edition_places(edition), many=True).data})


urlpatterns = [
    path("rankings/", RatingList.as_view(), name="rankings-api-list"),
    path("rankings/<slug:code>/", RatingDetail.as_view(), name="rankings-api-detail"),
    path("rankings/<slug:code>/editions/", EditionList.as_view(), name="rankings-api-editions"),
    path("rankings/<slug:code>/editions/<int:pk>/", EditionDetail.as_view(), name="rankings-api-edition"),
]
