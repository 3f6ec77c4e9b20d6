"""API of government-service ratings: the registry, rating, monthly ranks, an organisation's view."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.response import Response

from krai.core.api import Pagination
from krai.org.selectors import organisation_list
from krai.participation import services
from krai.participation.api._base import ParticipationView, PublicWrite, errors
from krai.participation.models import ServiceRank
from krai.participation.selectors import ratings as selectors


class ServiceOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    url = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.__str__")
    is_active = serializers.BooleanField()


class ServiceQuery(serializers.Serializer):
    organisation = serializers.IntegerField(required=False, min_value=1)
    search = serializers.CharField(required=False, allow_blank=True, max_length=100)


class ServiceIn(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=organisation_list())
    name = serializers.CharField(max_length=400)
    code = serializers.SlugField(required=False, allow_blank=True, default="")
    description = serializers.CharField(required=False, allow_blank=True, default="")
    url = serializers.URLField(required=False, allow_blank=True, default="")


@extend_schema(tags=["participation"])
class ServiceList(ParticipationView):
    """The registry of government services; administrators add services (POST)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(parameters=[ServiceQuery], responses=ServiceOut(many=True))
    def get(self, request):
        params = self.query(ServiceQuery)
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.service_list(organisation_id=params.get("organisation"),
                                                                  search=params.get("search", "")), request, view=self)
        return paginator.get_paginated_response(ServiceOut(page, many=True).data)

    @extend_schema(request=ServiceIn, responses={201: ServiceOut, **errors(400, 401, 403)})
    def post(self, request):
        service = services.service_create(actor=request.user, **self.body(ServiceIn))
        return Response(ServiceOut(service).data, status=status.HTTP_201_CREATED)


class RatingIn(serializers.Serializer):
    # plain integers: the 1–5 range is the service's rule, so pages and API refuse a 6 with one message
    quality = serializers.IntegerField()
    convenience = serializers.IntegerField()
    speed = serializers.IntegerField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RatingOut(serializers.Serializer):
    service = serializers.IntegerField(source="service_id")
    month = serializers.DateField()
    quality = serializers.IntegerField()
    convenience = serializers.IntegerField()
    speed = serializers.IntegerField()
    comment = serializers.CharField()


class RankHistoryOut(serializers.Serializer):
    month = serializers.DateField(source="build.month")
    criterion = serializers.CharField()
    position = serializers.IntegerField()
    ratings = serializers.IntegerField()
    mean = serializers.FloatField()
    score = serializers.FloatField()


class ServiceDetailOut(ServiceOut):
    my_rating = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    @extend_schema_field(RatingOut(allow_null=True))
    def get_my_rating(self, service):
        rating = selectors.own_rating(user=self.context["request"].user, service=service)
        return RatingOut(rating).data if rating else None

    @extend_schema_field(RankHistoryOut(many=True))
    def get_history(self, service):
        return RankHistoryOut(selectors.rank_history(service=service), many=True).data


@extend_schema(tags=["participation"])
class ServiceDetail(ParticipationView):
    """A service with the caller's rating of this month and its history of monthly places."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: ServiceDetailOut, **errors(404)})
    def get(self, request, pk: int):
        return Response(ServiceDetailOut(selectors.service_get(pk), context={"request": request}).data)


@extend_schema(tags=["participation"])
class ServiceRate(PublicWrite):
    """Rate a service 1–5 on quality, convenience and speed; once a month, amendable within the month."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=RatingIn, responses={200: RatingOut, **errors(400, 401, 403, 404)})
    def post(self, request, pk: int):
        rating = services.service_rate(actor=request.user, service=selectors.service_get(pk), **self.body(RatingIn))
        return Response(RatingOut(rating).data)


class RankQuery(serializers.Serializer):
    month = serializers.RegexField(r"^(19|20|21)\d{2}-(0[1-9]|1[0-2])$", required=False, help_text="YYYY-MM")
    criterion = serializers.ChoiceField(choices=ServiceRank.Criterion.choices, default=ServiceRank.Criterion.OVERALL)


class ServiceRankOut(serializers.Serializer):
    position = serializers.IntegerField()
    service = serializers.IntegerField(source="service_id")
    name = serializers.CharField(source="service.name")
    organisation = serializers.CharField(source="service.organisation.__str__")
    ratings = serializers.IntegerField()
    mean = serializers.FloatField()
    score = serializers.FloatField()


class ServiceRanksOut(serializers.Serializer):
    month = serializers.DateField(allow_null=True)
    criterion = serializers.CharField()
    prior_weight = serializers.IntegerField(allow_null=True)
    ranks = ServiceRankOut(many=True)


@extend_schema(tags=["participation"])
class ServiceRanks(ParticipationView):
    """A month's published ranks of the services by one criterion (the latest month unless given)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[RankQuery], responses=ServiceRanksOut)
    def get(self, request):
        params = self.query(RankQuery)
        month = dt.date.fromisoformat(params["month"] + "-01") if params.get("month") else None
        build, ranks = selectors.ranks_for_month(month=month, criterion=params["criterion"])
        return Response(ServiceRanksOut({"month": build.month if build else None, "criterion": params["criterion"],
                                         "prior_weight": build.prior_weight if build else None,
                                         "ranks": ranks}).data)


class CommentOut(serializers.Serializer):
    month = serializers.DateField()
    quality = serializers.IntegerField()
    convenience = serializers.IntegerField()
    speed = serializers.IntegerField()
    comment = serializers.CharField(source="public_comment")


@extend_schema(tags=["participation"])
class ServiceComments(ParticipationView):
    """The comments residents left on a service — for its organisation's staff (404 for others)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: CommentOut(many=True), **errors(401, 404)})
    def get(self, request, pk: int):
        comments = selectors.service_comments(user=request.user, service=selectors.service_get(pk))
        return Response(CommentOut(comments, many=True).data)
