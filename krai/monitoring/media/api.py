"""API of the monitor (Mass media), under /api/v1/monitoring/media/. Writes with a token need ``write`` and
``monitoring:write`` (derived from this module, krai.accounts.scopes)."""

from __future__ import annotations

import datetime as dt

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.core.api import Pagination
from krai.monitoring.media import selectors
from krai.monitoring.media.models import Alert, Article, Level, Mention, Source, Story, Topic
from krai.monitoring.media.services import orders, sources, topics
from krai.org.models import Municipality, Organisation, User


class _Staff(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm("media.view"))


class MediaSourceOut(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "url", "kind", "level", "active", "interval_minutes", "fetch_pages", "last_polled_at",
                  "last_success_at", "last_status", "last_error", "failures", "next_poll_at"]


class MediaSourceIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    url = serializers.URLField(max_length=1000)
    kind = serializers.ChoiceField(choices=Source.Kind.choices, required=False)
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    active = serializers.BooleanField(required=False)
    interval_minutes = serializers.IntegerField(min_value=1, max_value=7 * 24 * 60, required=False)
    fetch_pages = serializers.BooleanField(required=False)


class MediaSourcePatch(MediaSourceIn):
    name = serializers.CharField(max_length=200, required=False)
    url = serializers.URLField(max_length=1000, required=False)


class MediaArticleOut(serializers.ModelSerializer):
    source = serializers.CharField(source="source.name", read_only=True)
    level = serializers.CharField(source="source.level", read_only=True)

    class Meta:
        model = Article
        fields = ["id", "source", "level", "story", "url", "title", "summary", "published_at", "text_from_page"]


class MediaMentionOut(serializers.ModelSerializer):
    topic = serializers.CharField(source="topic.name", read_only=True)
    topic_id = serializers.IntegerField(read_only=True)
    article = MediaArticleOut(read_only=True)

    class Meta:
        model = Mention
        fields = ["id", "topic_id", "topic", "day", "terms", "article"]


class MediaStoryOut(serializers.ModelSerializer):
    class Meta:
        model = Story
        fields = ["id", "title", "first_seen_at", "articles_count", "sources_count"]


class MediaTopicOut(serializers.ModelSerializer):
    owner = serializers.EmailField(source="owner.email", read_only=True)
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    person = serializers.EmailField(source="person.email", default=None, read_only=True)
    matched_terms = serializers.ListField(source="term_list", read_only=True)

    class Meta:
        model = Topic
        fields = ["id", "name", "kind", "organisation", "person", "municipality", "terms", "matched_terms", "owner",
                  "active"]


class MediaTopicIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Topic.Kind.choices, required=False)
    organisation = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all(),
                                                required=False, allow_null=True)
    municipality = serializers.SlugRelatedField(slug_field="code", queryset=Municipality.objects.all(),
                                                required=False, allow_null=True)
    person = serializers.SlugRelatedField(slug_field="email", queryset=User.objects.filter(is_staff=True),
                                          required=False, allow_null=True)
    owner = serializers.SlugRelatedField(slug_field="email", queryset=User.objects.filter(is_staff=True),
                                         required=False, allow_null=True)
    terms = serializers.CharField(required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)


class MediaTopicPatch(MediaTopicIn):
    name = serializers.CharField(max_length=200, required=False)


class MediaAlertOut(serializers.ModelSerializer):
    class Meta:
        model = Alert
        fields = ["id", "topic", "day", "count", "mean", "stdev", "z", "created_at"]


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise serializers.ValidationError({name: ["YYYY-MM-DD"]}) from exc


class Sources(generics.GenericAPIView):
    """The sources with their state (last poll, last error, failures in a row, next poll)."""

    permission_classes = [_Staff]
    serializer_class = MediaSourceOut

    @extend_schema(operation_id="monitoring_media_sources_list", responses=MediaSourceOut(many=True))
    def get(self, request):
        return Response(MediaSourceOut(selectors.sources(request.user), many=True).data)

    @extend_schema(request=MediaSourceIn, responses={201: MediaSourceOut})
    def post(self, request):
        data = MediaSourceIn(data=request.data)
        data.is_valid(raise_exception=True)
        source = sources.source_create(actor=request.user, **data.validated_data)
        return Response(MediaSourceOut(source).data, status=status.HTTP_201_CREATED)


class SourceDetail(APIView):
    permission_classes = [_Staff]

    @extend_schema(responses=MediaSourceOut)
    def get(self, request, pk: int):
        return Response(MediaSourceOut(selectors.source_for(request.user, pk)).data)

    @extend_schema(request=MediaSourcePatch, responses=MediaSourceOut)
    def patch(self, request, pk: int):
        source = selectors.source_for(request.user, pk)
        data = MediaSourcePatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        source = sources.source_update(actor=request.user, source=source, **data.validated_data)
        return Response(MediaSourceOut(source).data)


class SourcePoll(APIView):
    """Poll the source now: ``{"status": "ok" | "not_modified" | "error", "new": n, "error": "…"}``."""

    permission_classes = [_Staff]

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        return Response(sources.source_poll(actor=request.user, source=selectors.source_for(request.user, pk)))


class Mentions(generics.GenericAPIView):
    """The mentions feed, newest first; filters ``topic``, ``source``, ``level``, ``from``, ``to``, ``q``."""

    permission_classes = [_Staff]
    pagination_class = Pagination
    serializer_class = MediaMentionOut

    @extend_schema(operation_id="monitoring_media_mentions_list", responses=MediaMentionOut(many=True), parameters=[
        OpenApiParameter("topic", OpenApiTypes.INT), OpenApiParameter("source", OpenApiTypes.INT),
        OpenApiParameter("level", OpenApiTypes.STR), OpenApiParameter("from", OpenApiTypes.DATE),
        OpenApiParameter("to", OpenApiTypes.DATE), OpenApiParameter("q", OpenApiTypes.STR)])
    def get(self, request):
        p = request.query_params
        rows = selectors.mentions(request.user, topic=int(p["topic"]) if p.get("topic", "").isdigit() else None,
                                  source=int(p["source"]) if p.get("source", "").isdigit() else None,
                                  level=p.get("level", ""), q=p.get("q", ""), first=_date(p.get("from"), "from"),
                                  last=_date(p.get("to"), "to"))
        return self.get_paginated_response(MediaMentionOut(self.paginate_queryset(rows), many=True).data)


class StoryDetail(APIView):
    permission_classes = [_Staff]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        story = selectors.story_for(request.user, pk)
        return Response({**MediaStoryOut(story).data,
                         "articles": MediaArticleOut(selectors.story_articles(story), many=True).data})


class MediaOrderIn(serializers.Serializer):
    executor_organisation = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    working_days = serializers.IntegerField(min_value=1, max_value=60, required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class StoryOrder(APIView):
    """Open "prepare a reply" about the story for an organisation."""

    permission_classes = [_Staff]

    @extend_schema(request=MediaOrderIn, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        story = selectors.story_for(request.user, pk)
        data = MediaOrderIn(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = orders.story_to_order(actor=request.user, story=story, **data.validated_data)
        return Response({"assignment": assignment.pk}, status=status.HTTP_201_CREATED)


class Topics(generics.GenericAPIView):
    permission_classes = [_Staff]
    serializer_class = MediaTopicOut

    @extend_schema(operation_id="monitoring_media_topics_list", responses=MediaTopicOut(many=True))
    def get(self, request):
        return Response(MediaTopicOut(selectors.topics(request.user), many=True).data)

    @extend_schema(request=MediaTopicIn, responses={201: MediaTopicOut})
    def post(self, request):
        data = MediaTopicIn(data=request.data)
        data.is_valid(raise_exception=True)
        topic = topics.topic_create(actor=request.user, **data.validated_data)
        return Response(MediaTopicOut(topic).data, status=status.HTTP_201_CREATED)


class TopicDetail(APIView):
    """A topic with its mentions per day for the last 30 days (``trend``) and its alerts."""

    permission_classes = [_Staff]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        topic = selectors.topic_for(request.user, pk)
        trend = [{"day": d["day"], "count": d["count"], "spike": d["spike"]} for d in selectors.trend(topic)]
        return Response({**MediaTopicOut(topic).data, "trend": trend,
                         "alerts": MediaAlertOut(selectors.alerts(request.user, topic=topic.pk)[:50], many=True).data})

    @extend_schema(request=MediaTopicPatch, responses=MediaTopicOut)
    def patch(self, request, pk: int):
        topic = selectors.topic_for(request.user, pk)
        data = MediaTopicPatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        topic = topics.topic_update(actor=request.user, topic=topic, **data.validated_data)
        return Response(MediaTopicOut(topic).data)


class Alerts(generics.GenericAPIView):
    """Spikes, newest first; ``topic``, ``mine=1`` (of my topics), ``since`` (a date)."""

    permission_classes = [_Staff]
    pagination_class = Pagination
    serializer_class = MediaAlertOut

    @extend_schema(operation_id="monitoring_media_alerts_list", responses=MediaAlertOut(many=True))
    def get(self, request):
        p = request.query_params
        rows = selectors.alerts(request.user, topic=int(p["topic"]) if p.get("topic", "").isdigit() else None,
                                mine=p.get("mine") == "1", since=_date(p.get("since"), "since"))
        return self.get_paginated_response(MediaAlertOut(self.paginate_queryset(rows), many=True).data)


urlpatterns = [
    path("media/sources/", Sources.as_view(), name="media-sources"),
    path("media/sources/<int:pk>/", SourceDetail.as_view(), name="media-source"),
    path("media/sources/<int:pk>/poll/", SourcePoll.as_view(), name="media-source-poll"),
    path("media/mentions/", Mentions.as_view(), name="media-mentions"),
    path("media/stories/<int:pk>/", StoryDetail.as_view(), name="media-story"),
    path("media/stories/<int:pk>/order/", StoryOrder.as_view(), name="media-story-order"),
    path("media/topics/", Topics.as_view(), name="media-topics"),
    path("media/topics/<int:pk>/", TopicDetail.as_view(), name="media-topic"),
    path("media/alerts/", Alerts.as_view(), name="media-alerts"),
]
