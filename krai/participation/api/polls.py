"""API of polls: the public list and detail, voting, results, the ballots' audit lines; staff build and close."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from krai.core.api import Pagination
from krai.org.selectors import municipality_list, organisation_list
from krai.participation import services
from krai.participation.api._base import ParticipationView, PublicWrite, errors
from krai.participation.models import Poll, Question
from krai.participation.selectors import polls as selectors


class OptionOut(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    text = serializers.CharField()


class QuestionOut(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    text = serializers.CharField()
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    required = serializers.BooleanField()
    max_choices = serializers.IntegerField(allow_null=True)
    scale_min = serializers.IntegerField()
    scale_max = serializers.IntegerField()
    options = OptionOut(many=True, source="options.all")


def poll_state(poll: Poll) -> str:
    now = timezone.now()
    if poll.status == Poll.Status.DRAFT:
        return "draft"
    if poll.status == Poll.Status.CLOSED or now >= poll.closes_at:
        return "closed"
    return "open" if now >= poll.opens_at else "upcoming"


class PollOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.ChoiceField(choices=Poll.Status.choices)
    state = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()
    audience = serializers.ChoiceField(choices=Poll.Audience.choices)
    municipalities = serializers.SerializerMethodField()
    residents_only = serializers.BooleanField()
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    results_during = serializers.BooleanField()
    allow_change = serializers.BooleanField()
    secret = serializers.BooleanField()
    voters = serializers.IntegerField(required=False)

    def get_state(self, poll) -> str:
        return poll_state(poll)

    def get_organisation(self, poll) -> dict | None:
        org = poll.organisation
        return {"id": org.pk, "name": str(org)} if org else None

    def get_municipalities(self, poll) -> list[int]:
        return [m.pk for m in poll.municipalities.all()]


class MyStatus(serializers.Serializer):
    has_voted = serializers.BooleanField()
    can_vote = serializers.BooleanField()
    refusal_code = serializers.CharField(allow_blank=True)
    refusal = serializers.CharField(allow_blank=True)


class PollDetailOut(PollOut):
    questions = QuestionOut(many=True, source="questions.all")
    me = serializers.SerializerMethodField()

    @extend_schema_field(MyStatus)
    def get_me(self, poll) -> dict:
        user = self.context["request"].user
        voted = selectors.has_voted(user=user, poll=poll)
        refusal = selectors.poll_refusal(user=user, poll=poll)
        if refusal is None and voted and not poll.allow_change:
            refusal = ("already_voted", gettext("You have already voted in this poll: one person, one vote."))
        return {"has_voted": voted, "can_vote": refusal is None, "refusal_code": refusal[0] if refusal else "",
                "refusal": refusal[1] if refusal else ""}


class QuestionIn(serializers.Serializer):
    text = serializers.CharField(max_length=500)
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    required = serializers.BooleanField(default=True)
    max_choices = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    scale_min = serializers.IntegerField(required=False, default=1)
    scale_max = serializers.IntegerField(required=False, default=5)
    options = serializers.ListField(child=serializers.CharField(max_length=300), required=False, default=list)


class PollIn(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    organisation = serializers.PrimaryKeyRelatedField(queryset=organisation_list(), required=False, allow_null=True)
    audience = serializers.ChoiceField(choices=Poll.Audience.choices, default=Poll.Audience.REGION)
    municipalities = serializers.PrimaryKeyRelatedField(queryset=municipality_list(), many=True, required=False)
    residents_only = serializers.BooleanField(default=False)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    results_during = serializers.BooleanField(default=False)
    allow_change = serializers.BooleanField(default=False)
    secret = serializers.BooleanField(default=True)
    questions = QuestionIn(many=True)


class PollQuery(serializers.Serializer):
    state = serializers.ChoiceField(choices=["open", "upcoming", "closed"], required=False)
    municipality = serializers.IntegerField(required=False, min_value=1)


@extend_schema(tags=["participation"])
class PollList(ParticipationView):
    """Published and closed polls, newest first; staff create drafts here (POST)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(parameters=[PollQuery], responses=PollOut(many=True))
    def get(self, request):
        params = self.query(PollQuery)
        qs = selectors.poll_list_public(state=params.get("state", ""), municipality_id=params.get("municipality"))
        paginator = Pagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(PollOut(page, many=True).data)

    @extend_schema(request=PollIn, responses={201: PollDetailOut, **errors(400, 401, 403)})
    def post(self, request):
        data = self.body(PollIn)
        poll = services.poll_create(actor=request.user, **data)
        poll = selectors.poll_get(user=request.user, pk=poll.pk)
        return Response(PollDetailOut(poll, context={"request": request}).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["participation"])
class PollDetail(ParticipationView):
    """A poll with its questions and whether the caller may vote (a draft only for those who run it)."""

    permission_classes = [permissions.IsAuthenticatedOrReadOnly]

    @extend_schema(responses={200: PollDetailOut, **errors(404)})
    def get(self, request, pk: int):
        poll = selectors.poll_get(user=request.user, pk=pk)
        return Response(PollDetailOut(poll, context={"request": request}).data)

    @extend_schema(request=PollIn(partial=True), responses={200: PollDetailOut, **errors(400, 401, 403, 404)})
    def patch(self, request, pk: int):
        poll = selectors.poll_get(user=request.user, pk=pk)
        data = self.body(PollIn, partial=True)
        questions = data.pop("questions", None)
        services.poll_update(actor=request.user, poll=poll, questions=questions, **data)
        poll = selectors.poll_get(user=request.user, pk=pk)
        return Response(PollDetailOut(poll, context={"request": request}).data)


class VoteIn(serializers.Serializer):
    answers = serializers.DictField(
        child=serializers.JSONField(),
        help_text="Question id → an option id (single choice), a list of option ids (multiple choice; ranked: "
                  "best first), a number (scale) or a text (free answer).")


class VoteOut(serializers.Serializer):
    poll = serializers.IntegerField()
    revision = serializers.IntegerField()
    changed = serializers.BooleanField()


@extend_schema(tags=["participation"])
class PollVote(PublicWrite):
    """Vote (or change the vote, where the poll allows). One person, one vote: a second one is a 409."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=VoteIn, responses={201: VoteOut, 200: VoteOut, **errors(400, 401, 403, 404, 409)})
    def post(self, request, pk: int):
        poll = selectors.poll_get(user=request.user, pk=pk)
        data = self.body(VoteIn)
        ballot = services.poll_vote(actor=request.user, poll=poll, answers=data["answers"])
        changed = ballot.revision > 1
        return Response({"poll": poll.pk, "revision": ballot.revision, "changed": changed},
                        status=status.HTTP_200_OK if changed else status.HTTP_201_CREATED)


class ResultRow(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    share = serializers.FloatField(help_text="Percent of the ballots (of the answers, for a scale).")
    points = serializers.IntegerField(help_text="Borda points, for a ranked question.")


class ResultQuestion(serializers.Serializer):
    id = serializers.IntegerField(source="question.pk")
    text = serializers.CharField(source="question.text")
    kind = serializers.CharField()
    ballots = serializers.IntegerField()
    answered = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    rows = ResultRow(many=True)


class ResultMunicipality(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    ballots = serializers.IntegerField()


class ResultsOut(serializers.Serializer):
    poll = serializers.IntegerField()
    frozen = serializers.BooleanField()
    checksum = serializers.CharField(allow_blank=True)
    frozen_at = serializers.DateTimeField(allow_null=True)
    ballots = serializers.IntegerField()
    municipality = serializers.CharField(allow_blank=True)
    municipalities = ResultMunicipality(many=True)
    questions = ResultQuestion(many=True)


def results_payload(*, user, poll: Poll, municipality: str = "") -> dict | None:
    results = selectors.poll_results(user=user, poll=poll)
    if results is None:
        return None
    data = results["data"]
    table = selectors.results_table(poll, data, municipality=municipality)
    return {"poll": poll.pk, "frozen": results["frozen"], "checksum": results["checksum"],
            "frozen_at": results["frozen_at"],
            "ballots": data["by_municipality"].get(municipality, 0) if municipality else data["ballots"],
            "municipality": municipality,
            "municipalities": [{"id": key, "name": name, "ballots": n}
                               for key, name, n in selectors.results_municipalities(data)],
            "questions": table}


@extend_schema(tags=["participation"])
class PollResults(ParticipationView):
    """Results overall or in one municipality: frozen once closed; while open, only if the poll shows them."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[OpenApiParameter("municipality", OpenApiTypes.STR,
                                                description="A municipality id, or 'none'")],
                   responses={200: ResultsOut, **errors(404)})
    def get(self, request, pk: int):
        poll = selectors.poll_get(user=request.user, pk=pk)
        payload = results_payload(user=request.user, poll=poll,
                                  municipality=request.query_params.get("municipality", "").strip())
        if payload is None:
            raise NotFound(gettext("The results of this poll are published when it closes."))
        return Response(ResultsOut(payload).data)


@extend_schema(tags=["participation"])
class PollBallots(ParticipationView):
    """A closed poll's ballots as the canonical lines its checksum is computed from (no voter in them)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={(200, "text/plain"): OpenApiResponse(OpenApiTypes.STR), **errors(404)})
    def get(self, request, pk: int):
        poll = selectors.poll_get(user=request.user, pk=pk)
        if poll.status != Poll.Status.CLOSED:
            raise NotFound(gettext("The results of this poll are published when it closes."))
        response = StreamingHttpResponse(selectors.ballot_lines(poll), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="poll-{poll.pk}-ballots.txt"'
        return response


@extend_schema(tags=["participation"])
class PollPublish(ParticipationView):
    """Publish a draft (its organisers)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: PollOut, **errors(400, 401, 403, 404)})
    def post(self, request, pk: int):
        poll = services.poll_publish(actor=request.user, poll=selectors.poll_get(user=request.user, pk=pk))
        return Response(PollOut(poll).data)


@extend_schema(tags=["participation"])
class PollClose(ParticipationView):
    """Close a poll now and freeze its results (its organisers)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: PollOut, **errors(400, 401, 403, 404)})
    def post(self, request, pk: int):
        poll = services.poll_close(actor=request.user, poll=selectors.poll_get(user=request.user, pk=pk))
        return Response(PollOut(poll).data)


@extend_schema(tags=["participation"])
class PollManaged(ParticipationView):
    """The polls the caller runs (drafts included)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=PollOut(many=True))
    def get(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.poll_list_managed(user=request.user), request, view=self)
        return paginator.get_paginated_response(PollOut(page, many=True).data)
