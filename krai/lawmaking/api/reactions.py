"""API of the government's reaction under ``/api/v1/lawmaking/initiatives/<id>/reaction/``: the reaction owed
or given (with its control-engine assignment and whether it is on time), sending the draft for it, and the
responsible body's answer. The same services and selectors as the pages.

Writes made with a token need the scopes ``write`` and ``lawmaking:write`` (derived from this module).
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from krai.lawmaking.api.expertise import ExpertiseView, errors
from krai.lawmaking.models import Initiative, Reaction
from krai.lawmaking.selectors import expertise as selectors
from krai.lawmaking.services import reactions as services


class LawmakingBodyOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LawmakingAssignmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField(help_text="The control engine's status: issued, in_progress, reported, done, "
                                             "cancelled")
    deadline = serializers.DateField()


class LawmakingReactionOut(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Reaction.Decision.choices)
    reasons = serializers.CharField()
    act_title = serializers.CharField()
    act_number = serializers.CharField()
    act_date = serializers.DateField(allow_null=True)
    act_url = serializers.CharField()
    body = LawmakingBodyOut()
    decided_at = serializers.DateTimeField()
    due = serializers.DateField(allow_null=True)
    on_time = serializers.BooleanField()


class LawmakingReactionStateOut(serializers.Serializer):
    """``reaction`` is ``null`` until the body answers; then ``overdue`` is false and ``on_time`` says."""

    body = LawmakingBodyOut(help_text="Who owes the answer: the responsible body")
    due = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    on_time = serializers.BooleanField(allow_null=True)
    assignment = LawmakingAssignmentOut(allow_null=True)
    reaction = LawmakingReactionOut(allow_null=True)


class LawmakingReactionIn(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Reaction.Decision.choices)
    reasons = serializers.CharField(max_length=20_000, required=False, allow_blank=True, default="",
                                    help_text="Required when rejected or adopted with changes")
    act_title = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    act_number = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                                       help_text="Required for an adopted act")
    act_date = serializers.DateField(required=False, allow_null=True, default=None,
                                     help_text="Required for an adopted act")
    act_url = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


def _state(initiative: Initiative) -> dict[str, Any]:
    state = selectors.reaction_state(initiative)
    if state is None:
        raise exceptions.NotFound()
    body = initiative.responsible_body
    return {"body": body, "due": state.due, "overdue": state.overdue, "on_time": state.on_time,
            "assignment": state.assignment, "reaction": state.reaction}


@extend_schema(tags=["lawmaking"])
class ReactionDetail(ExpertiseView):
    """The reaction owed or given (404 before the draft was sent for it)."""

    @extend_schema(responses={200: LawmakingReactionStateOut, **errors(404)})
    def get(self, request: Any, pk: int) -> Response:
        return Response(LawmakingReactionStateOut(_state(self.initiative(pk))).data)


@extend_schema(tags=["lawmaking"])
class ReactionRequest(ExpertiseView):
    """Send the draft from its expertise for the government's reaction (those who manage the initiative)."""

    @extend_schema(request=None, responses={201: LawmakingReactionStateOut, **errors(400, 401, 403, 404)})
    def post(self, request: Any, pk: int) -> Response:
        initiative = self.initiative(pk)
        services.reaction_request(actor=request.user, initiative=initiative)
        return Response(LawmakingReactionStateOut(_state(initiative)).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["lawmaking"])
class ReactionGive(ExpertiseView):
    """The responsible body's answer (only its staff: anyone else gets 403 naming the body, nothing changed)."""

    @extend_schema(request=LawmakingReactionIn, responses={201: LawmakingReactionStateOut,
                                                           **errors(400, 401, 403, 404)})
    def post(self, request: Any, pk: int) -> Response:
        initiative = self.initiative(pk)
        services.reaction_give(actor=request.user, initiative=initiative, **self.body(LawmakingReactionIn))
        return Response(LawmakingReactionStateOut(_state(initiative)).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("lawmaking/initiatives/<int:pk>/reaction/", ReactionDetail.as_view(), name="lawmaking-reaction"),
    path("lawmaking/initiatives/<int:pk>/reaction/request/", ReactionRequest.as_view(),
         name="lawmaking-reaction-request"),
    path("lawmaking/initiatives/<int:pk>/reaction/give/", ReactionGive.as_view(), name="lawmaking-reaction-give"),
]
