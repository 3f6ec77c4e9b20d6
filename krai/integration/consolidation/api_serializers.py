"""Serializers of consolidation's API: the push as documented (the view reads the signed raw body itself), its
answer, a consolidated order, a source, and the list's query."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from krai.integration.consolidation.models import ConsolidatedOrder
from krai.integration.consolidation.selectors import STATUS_FILTERS


class ConsolidationBodyIn(serializers.Serializer):
    name = serializers.CharField(max_length=500)
    code = serializers.CharField(max_length=64, required=False)


class ConsolidationInstallationIn(serializers.Serializer):
    code = serializers.SlugField(max_length=64)
    name = serializers.CharField(max_length=300, required=False)
    url = serializers.URLField(max_length=300, required=False, help_text="The source's own address")


class ConsolidationSnapshotIn(serializers.Serializer):
    id = serializers.IntegerField(min_value=0, help_text="The order's id at the source")
    version = serializers.IntegerField(min_value=0, help_text="The id of the latest event this snapshot reflects")
    number = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=500)
    issued_on = serializers.DateField(allow_null=True)
    lead_executor = ConsolidationBodyIn()
    co_executors = ConsolidationBodyIn(many=True, required=False)
    deadline = serializers.DateField(allow_null=True)
    status = serializers.CharField(max_length=20, help_text="issued, in_progress, reported, done or cancelled")
    open = serializers.BooleanField(help_text="Still under control")
    closed_on = serializers.DateField(allow_null=True, required=False)
    overdue = serializers.BooleanField(required=False)
    last_report_on = serializers.DateField(allow_null=True, required=False)
    url = serializers.URLField(max_length=500, required=False, help_text="The order's page at the source")


class ConsolidationPushIn(serializers.Serializer):
    installation = ConsolidationInstallationIn()
    first_event = serializers.IntegerField(allow_null=True, required=False)
    last_event = serializers.IntegerField(allow_null=True, required=False)
    orders = ConsolidationSnapshotIn(many=True, help_text="At most 200")


class ConsolidationPushOut(serializers.Serializer):
    accepted = serializers.IntegerField(help_text="Orders stored or replaced (their version was newer)")
    ignored = serializers.IntegerField(help_text="Orders already held at this version or a newer one")
    last_version = serializers.IntegerField(help_text="The latest version received from this source")


class ConsolidatedOrderOut(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField(source="source.code")
    source_name = serializers.CharField(source="source.name")
    remote_id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    executor = serializers.CharField()
    executor_code = serializers.CharField()
    co_executors = serializers.SerializerMethodField()
    issued_on = serializers.DateField(allow_null=True)
    deadline = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    status_label = serializers.CharField()
    open = serializers.BooleanField(source="is_open")
    overdue = serializers.SerializerMethodField(help_text="Open past the deadline, by this installation's calendar")
    closed_on = serializers.DateField(allow_null=True)
    last_report_on = serializers.DateField(allow_null=True)
    url = serializers.CharField(help_text="The order on its own installation")
    version = serializers.IntegerField()
    received_at = serializers.DateTimeField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_co_executors(self, obj: ConsolidatedOrder) -> list[str]:
        items = (obj.snapshot or {}).get("co_executors") or []
        return [str(item.get("name", "")) for item in items if isinstance(item, dict)]

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, obj: ConsolidatedOrder) -> bool:
        return obj.is_overdue()


class ConsolidatedOrderPageOut(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = ConsolidatedOrderOut(many=True)


class ConsolidatedOrderQuery(serializers.Serializer):
    source = serializers.CharField(max_length=64, required=False, help_text="A source installation's code")
    status = serializers.ChoiceField(choices=[(s, s) for s in STATUS_FILTERS], required=False,
                                     help_text="open, closed or one status")
    overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
    q = serializers.CharField(max_length=200, required=False, help_text="Part of the number or the title")


class ConsolidationSourceOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    configured = serializers.BooleanField(help_text="Listed in this installation's KRAI_CONSOLIDATION_SOURCES")
    last_received_at = serializers.DateTimeField(allow_null=True)
    last_version = serializers.IntegerField()
    orders = serializers.IntegerField()
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()


class ConsolidationSourceListOut(serializers.Serializer):
    results = ConsolidationSourceOut(many=True)
