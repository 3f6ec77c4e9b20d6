"""The geocoder in the REST API: ``/api/v1/addresses/search/`` and ``/api/v1/addresses/reverse/``.

Public reads of public data, rate-limited per caller (the ``anon`` and ``user`` throttle rates)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from krai.org.addresses import selectors


class SearchQuery(serializers.Serializer):
    q = serializers.CharField(max_length=200, help_text=_("An address as people write it: «ул. Красная, 12»"))
    municipality = serializers.IntegerField(required=False, min_value=1,
                                            help_text=_("Rank this municipality's addresses first"))
    limit = serializers.IntegerField(required=False, min_value=1, max_value=selectors.MAX_RESULTS, default=10)


class ReverseQuery(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90, help_text=_("Latitude, WGS 84"))
    lon = serializers.FloatField(min_value=-180, max_value=180, help_text=_("Longitude, WGS 84"))
    within = serializers.IntegerField(required=False, min_value=1, max_value=1000, default=300,
                                      help_text=_("Metres within which a house counts as near"))


class PlaceOut(serializers.Serializer):
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["house", "street"], help_text=_("A house, or a street's middle"))
    municipality_id = serializers.IntegerField()
    municipality = serializers.CharField()
    locality = serializers.CharField()
    street = serializers.CharField()
    house = serializers.CharField()
    lat = serializers.FloatField()
    lon = serializers.FloatField()
    score = serializers.FloatField()
    distance_m = serializers.FloatField(allow_null=True)


class SearchOut(serializers.Serializer):
    results = PlaceOut(many=True)


class ReverseOut(serializers.Serializer):
    result = PlaceOut(allow_null=True, help_text=_("Null when no house of the registry is that near"))


BAD = OpenApiResponse(description=_("Invalid input: {\"error\": {\"status\", \"code\", \"message\", \"fields\"}}"))
THROTTLED = OpenApiResponse(description=_("Too many requests"))


class _Public(APIView):
    permission_classes: list = []
    throttle_classes = [*api_settings.DEFAULT_THROTTLE_CLASSES, AnonRateThrottle, UserRateThrottle]

    def query(self, serializer_class: type[serializers.Serializer]) -> dict:
        serializer = serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class SearchView(_Public):
    @extend_schema(tags=["addresses"], summary=_("Find a place by its address"), parameters=[SearchQuery],
                   responses={200: SearchOut, 400: BAD, 429: THROTTLED})
    def get(self, request):
        query = self.query(SearchQuery)
        places = selectors.search(query["q"], municipality_id=query.get("municipality"), limit=query["limit"])
        return Response({"results": [place.as_dict() for place in places]})


class ReverseView(_Public):
    @extend_schema(tags=["addresses"], summary=_("The nearest address to a point"), parameters=[ReverseQuery],
                   responses={200: ReverseOut, 400: BAD, 429: THROTTLED})
    def get(self, request):
        query = self.query(ReverseQuery)
        place = selectors.nearest(query["lat"], query["lon"], within_m=query["within"])
        return Response({"result": place.as_dict() if place else None})
