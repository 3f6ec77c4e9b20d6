"""Serializers of the webhooks' API: an endpoint (with its secret: administrators only read this API), what is
written to one, a delivery and its attempts, the lists' queries, replays and a ping's result."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from krai.integration.webhooks.models import DeliveryStatus, EndpointScope

MAX_ID = 2**31 - 1
#: (a plain string in the schema: an enum named "scope" would clash with the access part's)
SCOPE_HELP = ("region, organisation (its subtree: name it in organisation), municipality or block (name it in "
              "municipality or block)")


class WebhookEndpointOut(serializers.Serializer):
    id = serializers.IntegerField()
    system = serializers.CharField(source="system.code", help_text="The registered system's code")
    system_name = serializers.CharField(source="system.name")
    url = serializers.CharField()
    description = serializers.CharField()
    event_kinds = serializers.ListField(child=serializers.CharField())
    scope = serializers.CharField(help_text=SCOPE_HELP)
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    municipality = serializers.IntegerField(source="municipality_id", allow_null=True)
    block = serializers.IntegerField(source="block_id", allow_null=True)
    is_active = serializers.BooleanField()
    secret = serializers.CharField(help_text="whsec_…: the receiver verifies signatures with it")
    previous_secret_until = serializers.DateTimeField(allow_null=True,
                                                      help_text="The previous secret also signs until then")
    pending = serializers.IntegerField(help_text="Deliveries waiting to be sent")
    dead = serializers.IntegerField(help_text="Dead deliveries")
    created_at = serializers.DateTimeField()


class WebhookEndpointPageOut(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = WebhookEndpointOut(many=True)


class WebhookEndpointIn(serializers.Serializer):
    system = serializers.SlugField(max_length=64, help_text="The registered system's code")
    url = serializers.CharField(max_length=500)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    event_kinds = serializers.ListField(child=serializers.CharField(max_length=100), allow_empty=False,
                                        max_length=30)
    scope = serializers.CharField(default=EndpointScope.REGION, help_text=SCOPE_HELP)
    organisation = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    municipality = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    block = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    is_active = serializers.BooleanField(required=False, default=True)

    def validate_scope(self, value: str) -> str:
        if value not in EndpointScope.values:
            raise serializers.ValidationError(_("Choose region, organisation, municipality or block."))
        return value


class WebhookDeliveryOut(serializers.Serializer):
    id = serializers.IntegerField()
    message_id = serializers.CharField(help_text="Sent as webhook-id: the receiver's idempotency key")
    endpoint = serializers.IntegerField(source="endpoint_id")
    event = serializers.IntegerField(source="event_id")
    kind = serializers.CharField()
    occurred_at = serializers.DateTimeField(source="event.occurred_at")
    status = serializers.CharField(help_text="pending, delivered or dead")
    attempts = serializers.IntegerField()
    next_attempt_at = serializers.DateTimeField()
    last_attempt_at = serializers.DateTimeField(allow_null=True)
    last_http_status = serializers.IntegerField(allow_null=True)
    last_error = serializers.CharField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    dead_at = serializers.DateTimeField(allow_null=True)
    replays = serializers.IntegerField()


class WebhookDeliveryPageOut(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = WebhookDeliveryOut(many=True)


class WebhookAttemptOut(serializers.Serializer):
    id = serializers.IntegerField(help_text="The exchange log's message")
    at = serializers.DateTimeField(source="created_at")
    status = serializers.CharField()
    http_status = serializers.IntegerField(allow_null=True)
    error = serializers.CharField()
    duration_ms = serializers.IntegerField(allow_null=True)


class WebhookDeliveryDetailOut(WebhookDeliveryOut):
    attempts_log = WebhookAttemptOut(many=True, help_text="Each attempt, the latest first (at most 100)")


class WebhookDeliveryQuery(serializers.Serializer):
    endpoint = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    status = serializers.CharField(required=False, help_text="pending, delivered or dead (the dead letters)")
    kind = serializers.CharField(required=False, max_length=100, help_text="Exact, or a prefix ending in *")
    since = serializers.DateField(required=False, help_text="Events from this day")
    until = serializers.DateField(required=False, help_text="Events up to this day")

    def validate_status(self, value: str) -> str:
        if value not in DeliveryStatus.values:
            raise serializers.ValidationError(_("Choose pending, delivered or dead."))
        return value


class WebhookReplayIn(serializers.Serializer):
    dead = serializers.BooleanField(required=False, default=False, help_text="Replay every dead delivery")
    since = serializers.DateTimeField(required=False, help_text="Send again everything since, delivered too")

    def validate(self, attrs: dict) -> dict:
        if bool(attrs.get("dead")) == ("since" in attrs):
            raise serializers.ValidationError(_("Give either dead=true or since."))
        return attrs


class WebhookDeliveriesReplayIn(serializers.Serializer):
    deliveries = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
                                       allow_empty=False, max_length=1000)


class WebhookReplayOut(serializers.Serializer):
    replayed = serializers.IntegerField()


class WebhookPingOut(serializers.Serializer):
    message_id = serializers.CharField()
    ok = serializers.BooleanField()
    http_status = serializers.IntegerField(allow_null=True)
    error = serializers.CharField()
