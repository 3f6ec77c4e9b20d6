"""REST API of the workspace's queues: the problem queue, moderation (and deciding on many reports at once),
statistics. Thin, over the same selectors and services as the pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response

from krai.core.api import Pagination
from krai.problems import selectors, services
from krai.problems.api.views import ProblemListQuery, ProblemOut, ProblemsView, _filters, errors
from krai.problems.services.bulk import MAX_BULK


def _staff(request) -> None:
    if not request.user.has_perm("problems.access_workspace"):
        raise exceptions.PermissionDenied()


@extend_schema(tags=["problems"])
class WorkspaceQueue(ProblemsView):
    """Problems sent to the bodies in the caller's scope: open ones first, the nearest deadline first (staff).

    ``count`` is the total over every page."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[ProblemListQuery], responses={200: ProblemOut(many=True), **errors(401, 403)})
    def get(self, request):
        _staff(request)
        query = ProblemListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.workspace_queue(user=request.user,
                                                                     filters=_filters(query.validated_data)),
                                           request, view=self)
        return paginator.get_paginated_response(ProblemOut(page, many=True).data)


class ModerateManyIn(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=MAX_BULK)
    action = serializers.ChoiceField(choices=["publish", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000,
                                   help_text="needed to reject: one reason for all, each author is told")


class PublishedOut(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    organisation = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)


class RefusedOut(serializers.Serializer):
    id = serializers.IntegerField()
    message = serializers.CharField()


class ModerateManyOut(serializers.Serializer):
    published = PublishedOut(many=True)
    rejected = serializers.ListField(child=serializers.IntegerField())
    refused = RefusedOut(many=True)


@extend_schema(tags=["problems"])
class ModerationQueue(ProblemsView):
    """Reports awaiting moderation in the places the caller moderates, the oldest first (filters: category,
    municipality, text); POST publishes or rejects many at once, each through its own service call."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[ProblemListQuery], responses={200: ProblemOut(many=True), **errors(400, 401)})
    def get(self, request):
        query = ProblemListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.moderation_queue(user=request.user,
                                                                      filters=_filters(query.validated_data)),
                                           request, view=self)
        return paginator.get_paginated_response(ProblemOut(page, many=True).data)

    @extend_schema(request=ModerateManyIn, responses={200: ModerateManyOut, **errors(400, 401, 403)},
                   operation_id="problems_moderate_many")
    def post(self, request):
        _staff(request)
        data = self.body(ModerateManyIn)
        ids = list(dict.fromkeys(data["ids"]))
        found = list(selectors.moderation_queue(user=request.user).filter(pk__in=ids))
        result = services.problems_moderate_many(actor=request.user, problems=found, action=data["action"],
                                                 reason=data["reason"]) if found else services.BulkResult()
        missing = sorted(set(ids) - {problem.pk for problem in found})
        refused = [{"id": pk, "message": message} for pk, message in result.refused] + [
            {"id": pk, "message": str(_("No longer awaiting moderation in your places."))} for pk in missing]
        return Response(ModerateManyOut({"published": result.published, "rejected": result.rejected,
                                         "refused": refused}).data)


class ProblemStatOut(serializers.Serializer):
    key = serializers.IntegerField()
    name = serializers.CharField()
    received = serializers.IntegerField()
    answered = serializers.IntegerField()
    on_time = serializers.IntegerField()
    fixed = serializers.IntegerField()
    overdue = serializers.IntegerField()
    rating = serializers.FloatField(allow_null=True, help_text="average rating of each problem's latest rated fix")
    ratings = serializers.IntegerField(help_text="how many ratings the average is of")


@extend_schema(tags=["problems"])
class Statistics(ProblemsView):
    """Received, answered (on time), fixed, overdue and the average rating, per body or municipality."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("by", OpenApiTypes.STR, enum=["organisation", "municipality"])],
                   responses={200: ProblemStatOut(many=True), **errors(401, 403)})
    def get(self, request):
        if not request.user.has_perm("problems.view_statistics"):
            raise exceptions.PermissionDenied()
        by = "municipality" if request.query_params.get("by") == "municipality" else "organisation"
        return Response(ProblemStatOut(selectors.statistics(user=request.user, by=by), many=True).data)
