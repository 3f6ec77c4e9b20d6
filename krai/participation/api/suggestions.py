"""API of suggestions outside campaigns: a resident proposes and reads his own; the answerers' queue and answer."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response

from krai.core.api import Pagination
from krai.participation import services
from krai.participation.api._base import ParticipationView, PublicWrite, errors
from krai.participation.models import Suggestion
from krai.participation.selectors import suggestions as selectors

ANSWERS = [Suggestion.Status.ACCEPTED, Suggestion.Status.CONSIDERED, Suggestion.Status.REJECTED]


class SuggestionOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Suggestion.Kind.choices)
    problem = serializers.IntegerField(source="problem_id", allow_null=True)
    title = serializers.CharField()
    body = serializers.CharField()
    status = serializers.ChoiceField(choices=Suggestion.Status.choices)
    answer = serializers.CharField()
    answered_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()


class SuggestionIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Suggestion.Kind.choices)
    title = serializers.CharField(max_length=200)
    body = serializers.CharField(max_length=services.suggestions.MAX_BODY)
    problem = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)


class QueueQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=Suggestion.Status.choices, required=False,
                                     default=Suggestion.Status.NEW)
    kind = serializers.ChoiceField(choices=Suggestion.Kind.choices, required=False, default="")


class SuggestionAnswerIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=[(s.value, s.label) for s in ANSWERS])
    # blank passes here so the service gives its own message (in the user's language) and changes nothing
    answer = serializers.CharField(allow_blank=True)


@extend_schema(tags=["participation"])
class SuggestionMine(PublicWrite):
    """The caller's own suggestions (GET), or a new one (POST): a category, a topic, or a solution to a
    problem the caller may see (``problem`` is the problem's id)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: SuggestionOut(many=True), **errors(401)})
    def get(self, request):
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.suggestions_of(user=request.user), request, view=self)
        return paginator.get_paginated_response(SuggestionOut(page, many=True).data)

    @extend_schema(request=SuggestionIn, responses={201: SuggestionOut, **errors(400, 401, 403)})
    def post(self, request):
        data = self.body(SuggestionIn)
        problem_pk = data.pop("problem")
        # a problem he may not see is the same as none: the service refuses it on the ``problem`` field
        problem = selectors.problem_for_suggestion(user=request.user, pk=problem_pk) if problem_pk else None
        if problem_pk and problem is None and data["kind"] != Suggestion.Kind.SOLUTION:
            problem = problem_pk  # any problem given with a category or a topic is refused alike
        suggestion = services.suggestion_create(actor=request.user, problem=problem, **data)
        return Response(SuggestionOut(suggestion).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["participation"])
class SuggestionDetail(ParticipationView):
    """One suggestion, to its author or to those who answer suggestions."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: SuggestionOut, **errors(401, 404)})
    def get(self, request, pk: int):
        return Response(SuggestionOut(selectors.suggestion_get(user=request.user, pk=pk)).data)


@extend_schema(tags=["participation"])
class SuggestionQueue(ParticipationView):
    """Suggestions to answer, the oldest first (``?status=new``, the default), or by ``status`` and ``kind``
    (the Department of Control and administrators; anyone else is refused)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(parameters=[QueueQuery], responses={200: SuggestionOut(many=True), **errors(400, 401, 403)})
    def get(self, request):
        if not request.user.has_perm("participation.answer_suggestion"):
            self.permission_denied(request, message=_("Suggestions are answered by the Department of Control and "
                                                        "administrators."))
        query = self.query(QueueQuery)
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.suggestion_queue(user=request.user, **query), request,
                                           view=self)
        return paginator.get_paginated_response(SuggestionOut(page, many=True).data)


@extend_schema(tags=["participation"])
class SuggestionAnswer(ParticipationView):
    """Answer a suggestion: accepted, taken into consideration or rejected, with the answer its author reads."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=SuggestionAnswerIn, responses={200: SuggestionOut, **errors(400, 401, 403, 404)})
    def post(self, request, pk: int):
        suggestion = services.suggestion_answer(
            actor=request.user, suggestion=selectors.suggestion_get(user=request.user, pk=pk),
            **self.body(SuggestionAnswerIn))
        return Response(SuggestionOut(suggestion).data)
