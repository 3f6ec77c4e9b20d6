"""Serializers of the works' API (``api.works``): a work as listed and in full with its files, what staff enter
and change, the status moves, the plan's move, files, subscriptions and ratings, the list's and the statistics'
queries and the statistics per responsible body.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from krai.construction.models import Work, WorkKind, WorkStatus
from krai.construction.selectors import works as selectors
from krai.org.models import Municipality, Organisation
from krai.projects.models import Programme

FILE_KIND_CHOICES = [("document", "document"), ("photo", "photo")]
OUTCOME_CHOICES = [(name, name) for name in selectors.OUTCOMES]


class ConstructionWorkFileOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    kind = serializers.CharField(help_text="image, pdf or office")
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField()

    def get_url(self, obj: Any) -> str:
        return reverse("files:download", args=[obj.pk])


class ConstructionWorkLateOut(serializers.Serializer):
    start = serializers.IntegerField(help_text="Days the start is (or was) late")
    end = serializers.IntegerField(help_text="Days the end is (or was) late")


class ConstructionWorkOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=WorkKind.choices)
    status = serializers.ChoiceField(choices=WorkStatus.choices)
    address = serializers.CharField()
    street = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    lon = serializers.FloatField(allow_null=True)
    geometry = serializers.JSONField(allow_null=True, help_text="GeoJSON line or outline")
    municipality = serializers.IntegerField(source="municipality_id")
    municipality_name = serializers.CharField(source="municipality.name")
    responsible_body = serializers.IntegerField(source="responsible_body_id")
    responsible_body_name = serializers.CharField(source="responsible_body.name")
    contractor = serializers.CharField()
    contractor_inn = serializers.CharField()
    programme = serializers.IntegerField(source="programme_id", allow_null=True)
    programme_title = serializers.CharField(source="programme.title", allow_null=True, default=None)
    funding = serializers.CharField()
    cost = serializers.DecimalField(max_digits=16, decimal_places=2, allow_null=True)
    description = serializers.CharField()
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()
    actual_start = serializers.DateField(allow_null=True)
    actual_end = serializers.DateField(allow_null=True)
    late = serializers.SerializerMethodField()
    ratings_count = serializers.IntegerField()
    rating = serializers.FloatField(allow_null=True)
    url = serializers.CharField(source="get_absolute_url")

    @extend_schema_field(ConstructionWorkLateOut)
    def get_late(self, obj: Work) -> dict[str, int]:
        return selectors.late_days(obj)


class ConstructionWorkDetailOut(ConstructionWorkOut):
    documents = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    @extend_schema_field(ConstructionWorkFileOut(many=True))
    def get_documents(self, obj: Work) -> list[dict[str, Any]]:
        return ConstructionWorkFileOut(selectors.files_of(obj)[0], many=True).data

    @extend_schema_field(ConstructionWorkFileOut(many=True))
    def get_photos(self, obj: Work) -> list[dict[str, Any]]:
        return ConstructionWorkFileOut(selectors.files_of(obj)[1], many=True).data


class ConstructionWorkPageOut(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = ConstructionWorkOut(many=True)


class ConstructionWorkIn(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=WorkKind.choices)
    address = serializers.CharField(max_length=300)
    street = serializers.CharField(max_length=200, required=False, allow_blank=True)
    lat = serializers.FloatField(required=False, allow_null=True, help_text="Without a point, found by the address")
    lon = serializers.FloatField(required=False, allow_null=True)
    geometry = serializers.JSONField(required=False, allow_null=True)
    responsible_body = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    contractor = serializers.CharField(max_length=300, required=False, allow_blank=True)
    contractor_inn = serializers.CharField(max_length=12, required=False, allow_blank=True)
    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.all(), required=False, allow_null=True)
    funding = serializers.CharField(max_length=300, required=False, allow_blank=True)
    cost = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True, min_value=0)
    description = serializers.CharField(required=False, allow_blank=True)
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()


class ConstructionWorkPatchIn(ConstructionWorkIn):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, help_text="What changed and why")


class ConstructionWorkQuery(serializers.Serializer):
    municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.all(), required=False)
    kind = serializers.ChoiceField(choices=WorkKind.choices, required=False)
    status = serializers.ChoiceField(choices=WorkStatus.choices, required=False)
    street = serializers.CharField(max_length=200, required=False, help_text="Part of the street's name or address")
    q = serializers.CharField(max_length=200, required=False)
    date_from = serializers.DateField(required=False, help_text="Works going on from this day")
    date_to = serializers.DateField(required=False, help_text="Works going on until this day")
    body = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all(), required=False)
    outcome = serializers.ChoiceField(choices=OUTCOME_CHOICES, required=False,
                                      help_text="completed, on_time, late, slipping or rated (the statistics' lists)")


class ConstructionWorkDayIn(serializers.Serializer):
    on = serializers.DateField(required=False, allow_null=True, help_text="Today if not given")


class ConstructionWorkReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ConstructionWorkNoteIn(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ConstructionWorkRescheduleIn(serializers.Serializer):
    planned_start = serializers.DateField()
    planned_end = serializers.DateField()
    reason = serializers.CharField(max_length=2000)


class ConstructionWorkFileIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FILE_KIND_CHOICES, default="document")
    file = serializers.FileField()


class ConstructionWorkRateIn(serializers.Serializer):
    score = serializers.IntegerField(min_value=1, max_value=5)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ConstructionWorkRatingOut(serializers.Serializer):
    work = serializers.IntegerField()
    score = serializers.IntegerField()
    comment = serializers.CharField()
    ratings_count = serializers.IntegerField()
    rating = serializers.FloatField(allow_null=True)


class ConstructionWorkSubscriptionOut(serializers.Serializer):
    work = serializers.IntegerField()
    subscribed = serializers.BooleanField()


class ConstructionWorkStatsQuery(serializers.Serializer):
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    municipality = serializers.PrimaryKeyRelatedField(queryset=Municipality.objects.all(), required=False)
    kind = serializers.ChoiceField(choices=WorkKind.choices, required=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            raise serializers.ValidationError({"date_to": "The end of the period comes before its start."})
        return data


class ConstructionWorkStatsRowOut(serializers.Serializer):
    body = serializers.IntegerField(source="body_id", allow_null=True)
    body_name = serializers.CharField()
    works = serializers.IntegerField()
    completed = serializers.IntegerField()
    on_time = serializers.IntegerField()
    late = serializers.IntegerField()
    slipping = serializers.IntegerField()
    ratings = serializers.IntegerField()
    rating = serializers.FloatField(allow_null=True)


class ConstructionWorkStatsOut(serializers.Serializer):
    totals = ConstructionWorkStatsRowOut()
    bodies = ConstructionWorkStatsRowOut(many=True)
