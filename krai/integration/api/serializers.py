"""Serializers of integration's API: a system as listed and changed, the access its account acts in, its tokens (the
key only in the answer that issues one), ``me``, and the exchange log's messages and filters."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from krai.accounts.models import TOKEN_SCOPES, ApiToken
from krai.integration.api.schema import NamedChoiceField
from krai.integration.models import Channel, Direction, ExchangeMessage, ExchangeStatus, ExternalSystem, SystemKind
from krai.integration.rates import effective_rate
from krai.integration.selectors.exchange import MAX_HOURS, LogFilter
from krai.integration.selectors.systems import system_access
from krai.integration.services._systems_checks import SYSTEM_ROLES
from krai.org.models import Block, Municipality, Organisation, ScopeKind

ACCESS_SCOPES = [ScopeKind.REGION, ScopeKind.BLOCK, ScopeKind.MUNICIPALITY, ScopeKind.ORGANISATION]



class IntegrationAccessOut(serializers.Serializer):
    role = serializers.CharField()
    scope = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    municipality = serializers.IntegerField(source="municipality_id", allow_null=True)
    block = serializers.IntegerField(source="block_id", allow_null=True)


class IntegrationSystemOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = NamedChoiceField(SystemKind.choices, enum_name="IntegrationSystemKindEnum")
    description = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True, help_text="The owner body")
    contact_name = serializers.CharField()
    contact_email = serializers.CharField()
    rate_limit = serializers.CharField(help_text="Its own limit; empty: the default")
    rate = serializers.SerializerMethodField(help_text="The limit that applies")
    answer_url = serializers.CharField()
    payload_days = serializers.IntegerField(allow_null=True)
    is_active = serializers.BooleanField()
    account = serializers.EmailField(source="account.email", help_text="The service account's address")
    access = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_rate(self, obj: ExternalSystem) -> str:
        return effective_rate(obj.rate_limit)

    @extend_schema_field(IntegrationAccessOut(many=True))
    def get_access(self, obj: ExternalSystem) -> list[dict[str, Any]]:
        return IntegrationAccessOut(system_access(obj), many=True).data


class IntegrationSystemPageOut(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = IntegrationSystemOut(many=True)


class IntegrationSystemQuery(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, help_text="Part of the name or the code")
    kind = NamedChoiceField(SystemKind.choices, enum_name="IntegrationSystemKindEnum", required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class IntegrationSystemPatchIn(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    kind = NamedChoiceField(SystemKind.choices, enum_name="IntegrationSystemKindEnum")
    description = serializers.CharField(max_length=5000, allow_blank=True)
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), allow_null=True,
                                                      help_text="The owner body")
    contact_name = serializers.CharField(max_length=200, allow_blank=True)
    contact_email = serializers.EmailField(allow_blank=True)
    rate_limit = serializers.CharField(max_length=32, allow_blank=True,
                                       help_text="N/sec, N/min, N/hour or N/day; empty: the default")
    answer_url = serializers.URLField(allow_blank=True)
    payload_days = serializers.IntegerField(allow_null=True, min_value=1, max_value=3650)
    access_role = serializers.ChoiceField(choices=[(r, r) for r in SYSTEM_ROLES],
                                          help_text="The role its account acts in (with access_scope)")
    access_scope = serializers.ChoiceField(choices=[(s, s) for s in ACCESS_SCOPES])
    access_organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), allow_null=True)
    access_municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.all(), allow_null=True)
    access_block = serializers.PrimaryKeyRelatedField(queryset=Block.objects.all(), allow_null=True)
    is_active = serializers.BooleanField(help_text="false deactivates the system (its tokens stop working), true "
                                                   "reactivates it")


class IntegrationSystemIn(IntegrationSystemPatchIn):
    code = serializers.SlugField(max_length=63)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("is_active")
        for name, field in self.fields.items():
            if name not in ("code", "name", "access_role", "access_scope"):
                field.required = False


class IntegrationTokenOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    prefix = serializers.CharField(source="display")
    scopes = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField(allow_null=True)
    last_used_at = serializers.DateTimeField(allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
    active = serializers.SerializerMethodField()

    def get_active(self, obj: ApiToken) -> bool:
        return obj.is_active(timezone.now())


class IntegrationTokenIssuedOut(IntegrationTokenOut):
    key = serializers.CharField(help_text="The whole token: shown in this answer only, never again")


class IntegrationTokenIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    scopes = serializers.ListField(child=serializers.ChoiceField(choices=list(TOKEN_SCOPES)), allow_empty=False)
    expires_at = serializers.DateTimeField(required=False, allow_null=True)


class IntegrationMeOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = NamedChoiceField(SystemKind.choices, enum_name="IntegrationSystemKindEnum")
    rate = serializers.CharField(help_text="The rate limit its requests count against")
    scopes = serializers.ListField(child=serializers.CharField(), help_text="The scopes of the token used")
    token = serializers.CharField(help_text="The token's visible prefix")
    token_expires_at = serializers.DateTimeField(allow_null=True)
    access = IntegrationAccessOut(many=True)


class IntegrationMessageOut(serializers.ModelSerializer):
    system = serializers.SlugRelatedField(slug_field="code", read_only=True)
    channel = NamedChoiceField(Channel.choices, enum_name="IntegrationChannelEnum")
    direction = NamedChoiceField(Direction.choices, enum_name="IntegrationDirectionEnum")
    status = NamedChoiceField(ExchangeStatus.choices, enum_name="IntegrationExchangeStatusEnum")
    url = serializers.SerializerMethodField()

    class Meta:
        model = ExchangeMessage
        fields = ["id", "created_at", "system", "peer", "channel", "direction", "kind", "status", "correlation_id",
                  "summary", "content_type", "payload_size", "payload_purged_at", "http_status", "error",
                  "duration_ms", "url"]

    def get_url(self, obj: ExchangeMessage) -> str:
        return f"/api/v1/integration/exchange/{obj.pk}/"


class IntegrationMessageDetailOut(IntegrationMessageOut):
    class Meta(IntegrationMessageOut.Meta):
        fields = [*IntegrationMessageOut.Meta.fields, "payload"]


class IntegrationMessagePageOut(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = IntegrationMessageOut(many=True)


class IntegrationMessageQuery(serializers.Serializer):
    system = serializers.SlugRelatedField(slug_field="code", queryset=ExternalSystem.objects.all(), required=False,
                                          help_text="A system's code")
    channel = NamedChoiceField(Channel.choices, enum_name="IntegrationChannelEnum", required=False)
    direction = NamedChoiceField(Direction.choices, enum_name="IntegrationDirectionEnum",
                                 required=False)
    status = NamedChoiceField(ExchangeStatus.choices, enum_name="IntegrationExchangeStatusEnum",
                              required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    hours = serializers.IntegerField(required=False, min_value=1, max_value=MAX_HOURS, help_text="The last N hours")
    q = serializers.CharField(max_length=200, required=False,
                              help_text="Words in the message id, the summary, the error or the kept payload")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("date_from") and attrs.get("date_to") and attrs["date_to"] < attrs["date_from"]:
            raise serializers.ValidationError({"date_to": _("The end of the period comes before its start.")})
        return attrs

    def filters(self) -> LogFilter:
        return LogFilter(**self.validated_data)
