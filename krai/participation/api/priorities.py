"""API of priorities: the lists residents vote from, their votes, and the published rank snapshots."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response

from krai.org.selectors import municipality_list
from krai.participation import periods, services
from krai.participation.api._base import ParticipationView, PublicWrite, errors
from krai.participation.selectors import priorities as selectors
from krai.participation.services.priorities import votes_per_period


class PriorityOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    municipality = serializers.IntegerField(source="municipality_id", allow_null=True)
    is_active = serializers.BooleanField()
    voted = serializers.SerializerMethodField()

    def get_voted(self, priority) -> bool:
        return priority.pk in self.context.get("voted", ())


class PrioritiesOut(serializers.Serializer):
    period = serializers.CharField()
    votes_per_period = serializers.IntegerField()
    votes_left = serializers.IntegerField()
    municipality = serializers.IntegerField(allow_null=True)
    priorities = PriorityOut(many=True)


class PriorityQuery(serializers.Serializer):
    municipality = serializers.IntegerField(required=False, min_value=1,
                                            help_text="Add this municipality's own priorities to the region's.")


class PriorityIn(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    municipality = serializers.PrimaryKeyRelatedField(queryset=municipality_list(), required=False, allow_null=True)
    code = serializers.SlugField(required=False, allow_blank=True, default="")
    sort_order = serializers.IntegerField(required=False, default=0, min_value=0)


class PriorityChange(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False)
    sort_order = serializers.IntegerField(required=False, min_value=0)


@extend_schema(tags=["participation"])
class PriorityList(ParticipationView):
    """The priorities open for votes — for a signed-in resident, the region's and his own municipality's —
    with his votes of the current period; staff add priorities here (POST)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(parameters=[PriorityQuery], responses=PrioritiesOut, operation_id="participation_priorities_list")
    def get(self, request):
        municipality = self.query(PriorityQuery).get("municipality")
        if municipality is None and request.user.is_authenticated:
            municipality = request.user.home_municipality_id
        mine = selectors.current_votes(user=request.user)
        limit = votes_per_period()
        rows = selectors.priority_list(municipality_id=municipality)
        return Response(PrioritiesOut({
            "period": periods.current_period().key, "votes_per_period": limit,
            "votes_left": max(limit - len(mine), 0), "municipality": municipality, "priorities": rows,
        }, context={"voted": set(mine)}).data)

    @extend_schema(request=PriorityIn, responses={201: PriorityOut, **errors(400, 401, 403)})
    def post(self, request):
        priority = services.priority_create(actor=request.user, **self.body(PriorityIn))
        return Response(PriorityOut(priority).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["participation"])
class PriorityDetail(ParticipationView):
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses={200: PriorityOut, **errors(404)})
    def get(self, request, pk: int):
        priority = selectors.priority_get(pk)
        return Response(PriorityOut(priority, context={"voted": set(selectors.current_votes(user=request.user))}).data)

    @extend_schema(request=PriorityChange, responses={200: PriorityOut, **errors(400, 401, 403, 404)})
    def patch(self, request, pk: int):
        priority = services.priority_update(actor=request.user, priority=selectors.priority_get(pk),
                                            **self.body(PriorityChange))
        return Response(PriorityOut(priority).data)


class PriorityVoteOut(serializers.Serializer):
    priority = serializers.IntegerField(source="priority_id")
    period = serializers.CharField()
    municipality = serializers.IntegerField(source="municipality_id")


@extend_schema(tags=["participation"])
class PriorityVote(PublicWrite):
    """Vote for a priority in the current period (it counts for the voter's home municipality), or withdraw."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: PriorityVoteOut, **errors(400, 401, 403, 404, 409)})
    def post(self, request, pk: int):
        vote = services.priority_vote(actor=request.user, priority=selectors.priority_get(pk))
        return Response(PriorityVoteOut(vote).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None, **errors(400, 401, 403, 404)})
    def delete(self, request, pk: int):
        services.priority_unvote(actor=request.user, priority=selectors.priority_get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class BuildOut(serializers.Serializer):
    period = serializers.CharField()
    weighting = serializers.CharField()
    votes_total = serializers.IntegerField()
    checksum = serializers.CharField()
    scheme = serializers.IntegerField(help_text="the checksum scheme of its entries (docs/participation.md)")
    built_at = serializers.DateTimeField()
    previous = serializers.CharField(source="previous.period", allow_null=True)


class BuildIn(serializers.Serializer):
    period = serializers.CharField(max_length=16, help_text="2026-Q1, 2026-03, 2026-H1 or 2026")


class EntryOut(serializers.Serializer):
    priority = serializers.IntegerField(source="priority_id")
    title = serializers.CharField(source="priority.title")
    votes = serializers.IntegerField()
    score = serializers.IntegerField()
    position = serializers.IntegerField()
    previous_position = serializers.IntegerField(allow_null=True)
    movement = serializers.IntegerField(allow_null=True)
    checksum = serializers.CharField()


class RankOut(serializers.Serializer):
    period = serializers.CharField(source="build.period")
    weighting = serializers.CharField(source="build.weighting")
    municipality = serializers.IntegerField(source="snapshot.municipality_id", allow_null=True)
    votes_total = serializers.IntegerField(source="snapshot.votes_total")
    checksum = serializers.CharField(source="snapshot.checksum")
    build_checksum = serializers.CharField(source="build.checksum")
    scheme = serializers.IntegerField(source="build.scheme")
    entries = EntryOut(many=True)


@extend_schema(tags=["participation"])
class RankBuildList(ParticipationView):
    """Every published rank build (a period each); administrators and controllers build one (POST)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses=BuildOut(many=True))
    def get(self, request):
        return Response(BuildOut(selectors.build_list(), many=True).data)

    @extend_schema(request=BuildIn, responses={201: BuildOut, **errors(400, 401, 403)})
    def post(self, request):
        build = services.rank_build(actor=request.user, period=self.body(BuildIn)["period"])
        return Response(BuildOut(build).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["participation"])
class RankDetail(ParticipationView):
    """One period's rank: the region's, or a municipality's with ``?municipality=``."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[PriorityQuery], responses={200: RankOut, **errors(404)})
    def get(self, request, period: str):
        rank = selectors.rank_get(period=period, municipality_id=self.query(PriorityQuery).get("municipality"))
        return Response(RankOut(rank).data)
