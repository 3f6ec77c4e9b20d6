"""API of the idea discussion under /api/v1/lawmaking/: support (POST adds, DELETE withdraws), the initiator's
questions (list, ask, close) and answers (give or change), my subscriptions (initiatives and filters), the
statistics. The same services and selectors as the pages; a hidden or missing initiative answers 404.

Writes made with a token need the scopes ``write`` and ``lawmaking:write`` (derived from this module).
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.response import Response

from krai.lawmaking.api.base import LawmakingView, LawmakingWriteView, errors
from krai.lawmaking.api.serializers_discussion import (
    LawmakingAnswerOut,
    LawmakingQuestionOut,
    LawmakingStatsOut,
    LawmakingStatsQuery,
    LawmakingSubscriptionIn,
    LawmakingSubscriptionOut,
    LawmakingSupportOut,
    LawmakingTextIn,
)
from krai.lawmaking.models import Initiative, Question, Stage, Subscription
from krai.lawmaking.selectors import discussion as selectors
from krai.lawmaking.selectors.initiatives import initiative_for
from krai.lawmaking.selectors.stats import statistics
from krai.lawmaking.services import discussion as services
from krai.lawmaking.services import subscriptions

DiscussionView, DiscussionWriteView = LawmakingView, LawmakingWriteView



def _support_out(user: Any, initiative: Initiative) -> dict[str, Any]:
    state = selectors.support_state(user, initiative)
    return LawmakingSupportOut({"initiative": initiative.pk, "stage": initiative.stage, "supporters": state.count,
                                "threshold": state.threshold, "supported": state.supported,
                                "discussion_until": initiative.stage_due if initiative.stage == Stage.DISCUSSION
                                else None}).data


def _question_out(user: Any, question: Question) -> dict[str, Any]:
    shown = next(q for q in selectors.questions(user, question.initiative) if q.pk == question.pk)
    return LawmakingQuestionOut(shown).data


# --- views -----------------------------------------------------------------------------------------

@extend_schema(tags=["lawmaking"])
class SupportView(DiscussionWriteView):
    """Support an initiative under discussion (201; 200 when already supported — nothing changes) or withdraw
    the support (DELETE). The supporter reaching the threshold moves it to the draft elaboration."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: LawmakingSupportOut, 200: LawmakingSupportOut,
                                            **errors(400, 401, 403, 404, 429)})
    def post(self, request: Any, pk: int) -> Response:
        initiative = initiative_for(request.user, pk)
        _support, created = services.support_add(actor=request.user, initiative=initiative)
        return Response(_support_out(request.user, initiative),
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=None, responses={200: LawmakingSupportOut, **errors(400, 401, 403, 404, 429)})
    def delete(self, request: Any, pk: int) -> Response:
        initiative = initiative_for(request.user, pk)
        services.support_remove(actor=request.user, initiative=initiative)
        return Response(_support_out(request.user, initiative))


@extend_schema(tags=["lawmaking"])
class QuestionList(DiscussionWriteView):
    """The initiator's questions to the public with the answers the caller may read; POST asks one (the
    initiator or the draft's editor, during the discussion or the elaboration)."""

    @extend_schema(responses={200: LawmakingQuestionOut(many=True), **errors(404)})
    def get(self, request: Any, pk: int) -> Response:
        initiative = initiative_for(request.user, pk)
        return Response(LawmakingQuestionOut(selectors.questions(request.user, initiative), many=True).data)

    @extend_schema(request=LawmakingTextIn, responses={201: LawmakingQuestionOut, **errors(400, 401, 403, 404, 429)})
    def post(self, request: Any, pk: int) -> Response:
        initiative = initiative_for(request.user, pk)
        question = services.question_ask(actor=request.user, initiative=initiative, **self.body(LawmakingTextIn))
        return Response(_question_out(request.user, question), status=status.HTTP_201_CREATED)


@extend_schema(tags=["lawmaking"])
class QuestionClose(DiscussionWriteView):
    """Close a question: it takes no more answers."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: LawmakingQuestionOut, **errors(401, 403, 404, 429)})
    def post(self, request: Any, pk: int) -> Response:
        question = services.question_close(actor=request.user, question=selectors.question_for(request.user, pk))
        return Response(_question_out(request.user, question))


@extend_schema(tags=["lawmaking"])
class AnswerGive(DiscussionWriteView):
    """Answer an open question (201), or change one's answer (200): one answer a person."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=LawmakingTextIn, responses={201: LawmakingAnswerOut, 200: LawmakingAnswerOut,
                                                       **errors(400, 401, 403, 404, 429)})
    def post(self, request: Any, pk: int) -> Response:
        question = selectors.question_for(request.user, pk)
        answer, created = services.answer_give(actor=request.user, question=question, **self.body(LawmakingTextIn))
        return Response(LawmakingAnswerOut(answer).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_schema(tags=["lawmaking"])
class SubscriptionList(DiscussionWriteView):
    """My subscriptions: initiatives I follow and filters of new initiatives. POST adds one (201; 200 when I
    already have it)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: LawmakingSubscriptionOut(many=True), **errors(401)})
    def get(self, request: Any) -> Response:
        rows = [*selectors.my_initiative_subscriptions(request.user), *selectors.my_filters(request.user)]
        return Response(LawmakingSubscriptionOut(rows, many=True).data)

    @extend_schema(request=LawmakingSubscriptionIn,
                   responses={201: LawmakingSubscriptionOut, 200: LawmakingSubscriptionOut,
                              **errors(400, 401, 403, 404, 429)})
    def post(self, request: Any) -> Response:
        data = self.body(LawmakingSubscriptionIn)
        if data.get("initiative"):
            row, created = subscriptions.subscribe(actor=request.user,
                                                   initiative=initiative_for(request.user, data["initiative"]))
        else:
            row, created = subscriptions.subscribe_filter(actor=request.user, level=data.get("level") or "",
                                                          municipality=data.get("municipality"),
                                                          field=data.get("field"))
        return Response(LawmakingSubscriptionOut(row).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_schema(tags=["lawmaking"])
class SubscriptionDetail(DiscussionWriteView):
    """Remove one of my subscriptions (an initiative followed or a filter)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None, **errors(401, 404, 429)})
    def delete(self, request: Any, pk: int) -> Response:
        row = Subscription.objects.filter(pk=pk, user_id=request.user.pk).select_related("initiative").first()
        if row is None:
            raise exceptions.NotFound()
        if row.initiative_id is not None:
            subscriptions.unsubscribe(actor=request.user, initiative=row.initiative)
        else:
            subscriptions.unsubscribe_filter(actor=request.user, subscription=row)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["lawmaking"])
class StatisticsView(DiscussionView):
    """Statistics of published initiatives, in total and per responsible body (the page's figures)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[LawmakingStatsQuery], responses={200: LawmakingStatsOut, **errors(400)})
    def get(self, request: Any) -> Response:
        query = LawmakingStatsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        figures = statistics(**query.validated_data)
        return Response(LawmakingStatsOut({"totals": figures.totals, "bodies": figures.bodies}).data)


urlpatterns = [
    path("lawmaking/initiatives/<int:pk>/support/", SupportView.as_view(), name="lawmaking-support"),
    path("lawmaking/initiatives/<int:pk>/questions/", QuestionList.as_view(), name="lawmaking-questions"),
    path("lawmaking/questions/<int:pk>/close/", QuestionClose.as_view(), name="lawmaking-question-close"),
    path("lawmaking/questions/<int:pk>/answers/", AnswerGive.as_view(), name="lawmaking-answers"),
    path("lawmaking/subscriptions/", SubscriptionList.as_view(), name="lawmaking-subscriptions"),
    path("lawmaking/subscriptions/<int:pk>/", SubscriptionDetail.as_view(), name="lawmaking-subscription"),
    path("lawmaking/statistics/", StatisticsView.as_view(), name="lawmaking-statistics"),
]
