"""API of the kernel's notifications: one's own inbox, preferences and browsers that receive push (``api_push``),
nothing of anybody else's."""

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.core.notifications import api_push, selectors, services
from krai.core.notifications.models import Notification, NotificationPreference


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at", "is_read", "event"]
        read_only_fields = fields


class PreferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = NotificationPreference
        fields = ["id", "kind", "channel", "enabled", "digest", "updated_at"]
        read_only_fields = ["id", "updated_at"]
        validators: list = []  # uniqueness is the service's upsert, not an error


@extend_schema(parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread ones.")])
class NotificationList(generics.ListAPIView):
    """The current user's notifications, newest first."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        unread = self.request.query_params.get("unread", "").lower() in {"1", "true", "yes"}
        return selectors.inbox(user=self.request.user, unread_only=unread)


class NotificationRead(APIView):
    """Mark one of the current user's notifications read (404 for anyone else's)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, pk: int):
        notification = selectors.notification_get_for_user(user=request.user, pk=pk)
        notification = services.mark_read(user=request.user, notification_id=notification.pk)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAll(APIView):
    """Mark all of the current user's notifications read."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=inline_serializer("MarkedRead", {"marked": serializers.IntegerField()}))
    def post(self, request):
        return Response({"marked": services.mark_all_read(user=request.user)})


class UnreadCount(APIView):
    """How many unread notifications the current user has (for a badge)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=inline_serializer("UnreadCount", {"unread": serializers.IntegerField()}))
    def get(self, request):
        return Response({"unread": selectors.unread_count(user=request.user)})


class PreferenceList(APIView):
    """The current user's notification settings; POST sets one (kind or category or ``*``, channel)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=PreferenceSerializer(many=True))
    def get(self, request):
        return Response(PreferenceSerializer(selectors.preference_rows(user=request.user), many=True).data)

    @extend_schema(request=PreferenceSerializer, responses=PreferenceSerializer)
    def post(self, request):
        data = PreferenceSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preference = services.set_preference(user=request.user, **data.validated_data)
        return Response(PreferenceSerializer(preference).data, status=status.HTTP_200_OK)


urlpatterns = [
    path("notifications/", NotificationList.as_view(), name="notification-list"),
    path("notifications/read-all/", NotificationReadAll.as_view(), name="notification-read-all"),
    path("notifications/unread-count/", UnreadCount.as_view(), name="notification-unread-count"),
    path("notifications/preferences/", PreferenceList.as_view(), name="notification-preferences"),
    path("notifications/<int:pk>/read/", NotificationRead.as_view(), name="notification-read"),
    *api_push.urlpatterns,
]
