"""Serializers of the projects API. Every name starts with "Project" (the schema's component names are global),
and choice fields are plain strings in the schema (the names of their enums — kind, level, status, type — are
taken by other areas); they are still checked against their choices."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from krai.monitoring.indicators.models import Indicator
from krai.org.models import Organisation, User
from krai.projects.models import Programme, Project

MONEY = {"max_digits": 16, "decimal_places": 2}


@extend_schema_field(OpenApiTypes.STR)
class ProjectChoiceField(serializers.ChoiceField):
    """A choice, shown in the schema as a string with its values in the description."""

    def __init__(self, choices, **kwargs) -> None:
        values = ", ".join(str(value) for value, _label in choices)
        kwargs.setdefault("help_text", values)
        super().__init__(choices=choices, **kwargs)


def organisation_field(**kwargs) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True), **kwargs)


def person_field(**kwargs) -> serializers.PrimaryKeyRelatedField:
    return serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_staff=True, is_active=True),
                                              required=False, allow_null=True, **kwargs)


# --- shared pieces ---------------------------------------------------------------------------------

class ProjectRefOut(serializers.Serializer):
    """An organisation or a person: its id and its name."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class ProjectWarningOut(serializers.Serializer):
    item = serializers.IntegerField()
    code = serializers.CharField(help_text="control_point, parent or pinned")
    message = serializers.CharField()


# --- programmes ------------------------------------------------------------------------------------

class ProjectProgrammeOut(serializers.ModelSerializer):
    level = serializers.CharField(help_text="national, federal or regional")
    level_label = serializers.CharField(source="get_level_display")
    owner_organisation = ProjectRefOut()
    curator = ProjectRefOut(allow_null=True)

    class Meta:
        model = Programme
        fields = ["id", "code", "title", "level", "level_label", "description", "owner_organisation", "curator",
                  "starts_on", "ends_on"]


class ProjectProgrammeIn(serializers.Serializer):
    code = serializers.SlugField(max_length=64)
    title = serializers.CharField(max_length=500)
    level = ProjectChoiceField(Programme.Level.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    owner_organisation = organisation_field()
    curator = person_field()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


# --- projects --------------------------------------------------------------------------------------

class ProjectOut(serializers.ModelSerializer):
    programme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    status = serializers.CharField(help_text="planning, active or closed")
    status_label = serializers.CharField(source="get_status_display")
    owner_organisation = ProjectRefOut()
    manager = ProjectRefOut(allow_null=True)
    curator = ProjectRefOut(allow_null=True)
    health = serializers.SerializerMethodField(help_text="on_track, at_risk or late")
    progress = serializers.SerializerMethodField(help_text="%, rolled up the work breakdown")

    class Meta:
        model = Project
        fields = ["id", "code", "title", "programme", "status", "status_label", "goal", "owner_organisation",
                  "manager", "curator", "starts_on", "ends_on", "budget_planned", "health", "progress"]

    def get_health(self, project) -> str | None:
        found = self.context.get("analyses", {}).get(project.pk)
        return found.health if found is not None else None

    def get_progress(self, project) -> int | None:
        found = self.context.get("analyses", {}).get(project.pk)
        return found.progress if found is not None else None


class ProjectControlPointOut(serializers.Serializer):
    id = serializers.IntegerField()
    wbs = serializers.CharField()
    title = serializers.CharField()
    planned_finish = serializers.DateField()
    overdue = serializers.BooleanField()


class ProjectSummaryOut(serializers.Serializer):
    progress = serializers.IntegerField(help_text="%, weighted by duration in working days")
    budget_planned = serializers.DecimalField(**MONEY, help_text="the sum of the plan's items")
    budget_spent = serializers.DecimalField(**MONEY)
    health = serializers.CharField(help_text="on_track, at_risk or late")
    health_label = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    planned_finish = serializers.DateField(allow_null=True, help_text="the latest planned finish in the plan")
    items = serializers.IntegerField()
    critical = serializers.IntegerField(help_text="unfinished items on the critical path")
    next_control_points = ProjectControlPointOut(many=True)


class ProjectDetailOut(ProjectOut):
    indicators = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    summary = serializers.SerializerMethodField()

    class Meta(ProjectOut.Meta):
        fields = [*ProjectOut.Meta.fields, "indicators", "summary"]

    @extend_schema_field(ProjectSummaryOut)
    def get_summary(self, project) -> dict:
        return ProjectSummaryOut(self.context["summary"]).data


class ProjectIn(serializers.Serializer):
    programme = serializers.SlugField(help_text="the programme's code")
    code = serializers.SlugField(max_length=64)
    title = serializers.CharField(max_length=500)
    goal = serializers.CharField(required=False, allow_blank=True)
    status = ProjectChoiceField(Project.Status.choices, required=False)
    owner_organisation = organisation_field()
    manager = person_field()
    curator = person_field()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    budget_planned = serializers.DecimalField(**MONEY, min_value=0, required=False)
    indicators = serializers.SlugRelatedField(slug_field="code", queryset=Indicator.objects.all(), many=True,
                                              required=False, help_text="codes of target indicators")


class ProjectPatchIn(ProjectIn):
    programme = None  # a project stays in its programme


class ProjectListQuery(serializers.Serializer):
    programme = serializers.SlugField(required=False, help_text="the programme's code")
    status = ProjectChoiceField(Project.Status.choices, required=False)
    health = ProjectChoiceField([("on_track", "on_track"), ("at_risk", "at_risk"), ("late", "late")],
                                required=False)
