"""``/api/v1/me/activity/``: the "my activity" page for API clients, read through the same selectors.

It lives in the portal, as the page does, because only the portal may read problems and participation
together (they are siblings in the layers). Read-only: the writes stay in their areas' APIs.
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.portal.selectors import my_activity


class ActivityReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    category = serializers.StringRelatedField()
    address = serializers.CharField()
    created_at = serializers.DateTimeField()


class ActivityProblemLinkOut(serializers.Serializer):
    problem = serializers.IntegerField(source="problem_id")
    problem_title = serializers.StringRelatedField(source="problem")
    created_at = serializers.DateTimeField()


class ActivityProblemRatingOut(ActivityProblemLinkOut):
    cycle = serializers.IntegerField()
    value = serializers.IntegerField()


class ActivityVoteOut(serializers.Serializer):
    poll = serializers.IntegerField(source="poll_id")
    poll_title = serializers.StringRelatedField(source="poll")
    voted_at = serializers.DateTimeField()


class ActivityPriorityVoteOut(serializers.Serializer):
    priority = serializers.IntegerField(source="priority_id")
    priority_title = serializers.StringRelatedField(source="priority")
    period = serializers.CharField()
    created_at = serializers.DateTimeField()


class ActivityServiceRatingOut(serializers.Serializer):
    service = serializers.IntegerField(source="service_id")
    service_name = serializers.StringRelatedField(source="service")
    month = serializers.DateField()
    quality = serializers.IntegerField()
    convenience = serializers.IntegerField()
    speed = serializers.IntegerField()


class ActivityIdeaOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    campaign = serializers.IntegerField(source="campaign_id")
    moderation = serializers.CharField()
    status = serializers.CharField()
    supporters = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class ActivitySupportOut(serializers.Serializer):
    idea = serializers.IntegerField(source="idea_id")
    idea_title = serializers.StringRelatedField(source="idea")
    created_at = serializers.DateTimeField()


class ActivitySuggestionOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    problem = serializers.IntegerField(source="problem_id", allow_null=True)
    title = serializers.CharField()
    status = serializers.CharField()
    answer = serializers.CharField()
    created_at = serializers.DateTimeField()


class ActivityOut(serializers.Serializer):
    reports = ActivityReportOut(many=True)
    endorsements = ActivityProblemLinkOut(many=True)
    subscriptions = ActivityProblemLinkOut(many=True)
    problem_ratings = ActivityProblemRatingOut(many=True)
    votes = ActivityVoteOut(many=True)
    priority_votes = ActivityPriorityVoteOut(many=True)
    ratings = ActivityServiceRatingOut(many=True)
    ideas = ActivityIdeaOut(many=True)
    supports = ActivitySupportOut(many=True)
    suggestions = ActivitySuggestionOut(many=True)


@extend_schema(tags=["portal"])
class MyActivity(APIView):
    """What the caller did across the areas, newest first, up to 50 of each: his reports, the reports he
    supported, rated and follows, his votes (a secret ballot's content is never here), priority votes,
    service ratings, ideas, ideas he supported, and suggestions."""

    permission_classes = [permissions.IsAuthenticated]

    def get_authenticate_header(self, request) -> str:
        return super().get_authenticate_header(request) or 'Token realm="api"'

    @extend_schema(responses={200: ActivityOut, 401: OpenApiResponse(description=_("Not signed in"))})
    def get(self, request):
        return Response(ActivityOut(my_activity(user=request.user)).data)


urlpatterns = [
    path("me/activity/", MyActivity.as_view(), name="portal-my-activity"),
]
