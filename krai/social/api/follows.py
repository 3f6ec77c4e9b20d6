"""API of the community's topics and follows: the topics (with whether the caller follows each), my follows, and
following people and topics.

Writes made with a token need the scopes ``write`` and ``social:write`` (derived from this module).
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response

from krai.social import policy, services
from krai.social.api.profiles import SocialEntryOut, SocialNamedOut, SocialView, SocialWriteView, errors
from krai.social.selectors import profiles as selectors


class SocialTopicOut(SocialNamedOut):
    id = serializers.IntegerField()
    followed = serializers.BooleanField()


class SocialFollowsOut(serializers.Serializer):
    people = SocialEntryOut(many=True)
    topics = SocialEntryOut(many=True)


@extend_schema(tags=["social"])
class TopicList(SocialView):
    """The active topics, with whether the caller follows each."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: SocialTopicOut(many=True)})
    def get(self, request: Any) -> Response:
        followed = selectors.followed_topic_ids(request.user)
        rows = [{"id": t.pk, "code": t.code, "name": t.name, "name_en": t.name_en, "followed": t.pk in followed}
                for t in selectors.topics()]
        return Response(SocialTopicOut(rows, many=True).data)


@extend_schema(tags=["social"])
class FollowPerson(SocialWriteView):
    """Follow a person (201; 200 when already followed, nothing changes) or stop following him (204)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: SocialEntryOut, 200: SocialEntryOut, **errors(400, 401, 403, 404)})
    def post(self, request: Any, user_id: int) -> Response:
        user = selectors.user_or_404(user_id)
        already = policy.follows(request.user, user)
        services.follow_user(actor=request.user, user=user)
        return Response(selectors.person_entry(user), status=status.HTTP_200_OK if already else
                        status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None, **errors(401, 404)})
    def delete(self, request: Any, user_id: int) -> Response:
        services.unfollow_user(actor=request.user, user=selectors.user_or_404(user_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["social"])
class FollowTopic(SocialWriteView):
    """Follow a topic (201; 200 when already followed) or stop following it (204)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={201: SocialEntryOut, 200: SocialEntryOut, **errors(400, 401, 403, 404)})
    def post(self, request: Any, code: str) -> Response:
        topic = selectors.topic_get(code)
        already = topic.pk in selectors.followed_topic_ids(request.user)
        services.follow_topic(actor=request.user, topic=topic)
        return Response(selectors.topic_entry(topic), status=status.HTTP_200_OK if already else
                        status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None, **errors(401, 404)})
    def delete(self, request: Any, code: str) -> Response:
        services.unfollow_topic(actor=request.user, topic=selectors.topic_get(code))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["social"])
class MyFollows(SocialView):
    """The people and topics I follow."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: SocialFollowsOut, **errors(401)})
    def get(self, request: Any) -> Response:
        people_rows, topic_rows = selectors.my_follows(request.user)
        return Response(SocialFollowsOut({"people": [selectors.person_entry(f.followee) for f in people_rows],
                                    "topics": [selectors.topic_entry(f.topic) for f in topic_rows]}).data)


urlpatterns = [
    path("social/topics/", TopicList.as_view(), name="social-topics"),
    path("social/follows/mine/", MyFollows.as_view(), name="social-follows-mine"),
    path("social/follows/people/<int:user_id>/", FollowPerson.as_view(), name="social-follow-person"),
    path("social/follows/topics/<slug:code>/", FollowTopic.as_view(), name="social-follow-topic"),
]
