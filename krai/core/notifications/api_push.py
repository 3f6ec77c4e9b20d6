"""Web push in the notifications' API under /api/v1/notifications/push/: the VAPID public key browsers and the
installed app subscribe with (``config/``), and the caller's own subscribed browsers — listed, added (sent again
with the same endpoint: updated, never doubled) and removed. Another person's subscription answers 404, as if
missing. Writes made with a token need the scopes ``write`` and ``notifications:write``."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response

from krai.core.api_views import AreaView, AreaWriteView, errors
from krai.core.notifications import push, selectors, services
from krai.core.notifications.models import PushSubscription


class PushConfigOut(serializers.Serializer):
    configured = serializers.BooleanField(help_text="False: this installation has no VAPID keys, push is off")
    public_key = serializers.CharField(help_text="The VAPID public key (applicationServerKey), base64url; "
                                                 "empty when push is off")


class PushSubscriptionOut(serializers.Serializer):
    id = serializers.IntegerField()
    endpoint = serializers.CharField()
    user_agent = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_ok_at = serializers.DateTimeField(allow_null=True, help_text="The last push the push service accepted")
    failures = serializers.IntegerField(help_text="Failed pushes since the last accepted one")


class PushKeysIn(serializers.Serializer):
    p256dh = serializers.CharField(max_length=200, help_text="The browser's P-256 public key, base64url")
    auth = serializers.CharField(max_length=100, help_text="The browser's 16-byte auth secret, base64url")


class PushSubscriptionIn(serializers.Serializer):
    """The browser's ``PushSubscription.toJSON()`` as it is, plus an optional user agent."""

    endpoint = serializers.CharField(max_length=1000)
    keys = PushKeysIn()
    user_agent = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


@extend_schema(tags=["notifications"])
class PushConfig(AreaView):
    """Whether push is on here, and the key to subscribe with."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="notifications_push_config", responses={200: PushConfigOut, **errors(401)})
    def get(self, request: Any) -> Response:
        return Response({"configured": push.configured(), "public_key": push.public_key()})


@extend_schema(tags=["notifications"])
class PushSubscriptionList(AreaWriteView):
    """The caller's subscribed browsers; POST subscribes one (201 when new, 200 when its endpoint was known)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="notifications_push_list",
                   responses={200: PushSubscriptionOut(many=True), **errors(401)})
    def get(self, request: Any) -> Response:
        return Response(PushSubscriptionOut(selectors.push_subscriptions(user=request.user), many=True).data)

    @extend_schema(operation_id="notifications_push_create", request=PushSubscriptionIn,
                   responses={200: PushSubscriptionOut, 201: PushSubscriptionOut, **errors(400, 401, 429)})
    def post(self, request: Any) -> Response:
        data = self.body(PushSubscriptionIn)
        known = selectors.push_subscriptions(user=request.user).filter(endpoint=data["endpoint"].strip()).exists()
        subscription = services.push_subscribe(
            user=request.user, endpoint=data["endpoint"], p256dh=data["keys"]["p256dh"], auth=data["keys"]["auth"],
            user_agent=data["user_agent"] or request.headers.get("user-agent", ""))
        return Response(PushSubscriptionOut(subscription).data,
                        status=status.HTTP_200_OK if known else status.HTTP_201_CREATED)


@extend_schema(tags=["notifications"])
class PushSubscriptionDetail(AreaWriteView):
    """One of the caller's browsers; DELETE stops pushing to it."""

    permission_classes = [permissions.IsAuthenticated]

    def _get(self, request: Any, pk: int) -> PushSubscription:
        subscription = selectors.push_subscriptions(user=request.user).filter(pk=pk).first()
        if subscription is None:
            raise Http404
        return subscription

    @extend_schema(operation_id="notifications_push_retrieve",
                   responses={200: PushSubscriptionOut, **errors(401, 404)})
    def get(self, request: Any, pk: int) -> Response:
        return Response(PushSubscriptionOut(self._get(request, pk)).data)

    @extend_schema(operation_id="notifications_push_destroy", request=None,
                   responses={204: None, **errors(401, 404, 429)})
    def delete(self, request: Any, pk: int) -> Response:
        services.push_unsubscribe(user=request.user, subscription=self._get(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns = [
    path("notifications/push/", PushSubscriptionList.as_view(), name="notification-push"),
    path("notifications/push/config/", PushConfig.as_view(), name="notification-push-config"),
    path("notifications/push/<int:pk>/", PushSubscriptionDetail.as_view(), name="notification-push-detail"),
]
