"""Serializers of a project's plan: work items and moves of dates, dependencies, baselines and slippage, risks
and status reports (names and choice fields as in ``serializers``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from krai.projects.api.serializers import (
    MONEY,
    ProjectChoiceField,
    ProjectRefOut,
    ProjectWarningOut,
    organisation_field,
    person_field,
)
from krai.projects.models import Dependency, Risk, WorkItem

# --- work items ------------------------------------------------------------------------------------

class ProjectItemOut(serializers.Serializer):
    """An item of the plan as the analysis reads it: progress and money rolled up from its parts."""

    id = serializers.IntegerField(source="item.pk")
    wbs = serializers.CharField(source="item.wbs")
    parent = serializers.IntegerField(source="item.parent_id", allow_null=True)
    depth = serializers.IntegerField(source="item.depth")
    kind = serializers.CharField(source="item.kind", help_text="stage, result, control_point or task")
    title = serializers.CharField(source="item.title")
    description = serializers.CharField(source="item.description")
    owner_organisation = ProjectRefOut(source="item.owner_organisation", allow_null=True)
    responsible = ProjectRefOut(source="item.responsible", allow_null=True)
    planned_start = serializers.DateField(source="item.planned_start")
    planned_finish = serializers.DateField(source="item.planned_finish")
    actual_start = serializers.DateField(source="item.actual_start", allow_null=True)
    actual_finish = serializers.DateField(source="item.actual_finish", allow_null=True)
    pinned = serializers.BooleanField(source="item.pinned", help_text="dates fixed: not moved by its links")
    has_parts = serializers.BooleanField()
    progress = serializers.IntegerField(help_text="%, rolled up from the parts for an item with parts")
    budget_planned = serializers.DecimalField(**MONEY, help_text="the sum of the parts for an item with parts")
    budget_spent = serializers.DecimalField(**MONEY)
    critical = serializers.BooleanField(help_text="on the critical path (for an item with parts: one of them is)")
    float_days = serializers.IntegerField(allow_null=True, help_text="total float in working days (leaves only)")
    overdue = serializers.BooleanField()


class ProjectItemIn(serializers.Serializer):
    parent = serializers.IntegerField(required=False, allow_null=True, help_text="the id of an item of the project")
    kind = ProjectChoiceField(WorkItem.Kind.choices, required=False)
    title = serializers.CharField(max_length=500)
    description = serializers.CharField(required=False, allow_blank=True)
    owner_organisation = organisation_field(required=False, allow_null=True)
    responsible = person_field()
    planned_start = serializers.DateField(help_text="ignored for a control point (a moment: its finish)")
    planned_finish = serializers.DateField()
    budget_planned = serializers.DecimalField(**MONEY, min_value=0, required=False)
    pinned = serializers.BooleanField(required=False)


class ProjectItemPatchIn(serializers.Serializer):
    kind = ProjectChoiceField(WorkItem.Kind.choices, required=False)
    title = serializers.CharField(max_length=500, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    owner_organisation = organisation_field(required=False, allow_null=True)
    responsible = person_field()
    budget_planned = serializers.DecimalField(**MONEY, min_value=0, required=False)
    pinned = serializers.BooleanField(required=False)


class ProjectDatesIn(serializers.Serializer):
    planned_start = serializers.DateField()
    planned_finish = serializers.DateField()
    confirm = serializers.BooleanField(default=False, help_text="apply even if the move breaks something")


class ProjectShiftOut(serializers.Serializer):
    id = serializers.IntegerField()
    wbs = serializers.CharField()
    title = serializers.CharField()
    planned_start = serializers.DateField()
    planned_finish = serializers.DateField()
    moved = serializers.BooleanField(help_text="moved by the request itself (not by a link or a parent)")
    shifted_days = serializers.IntegerField(allow_null=True, help_text="working days a link pushed it by")


class ProjectRescheduleOut(serializers.Serializer):
    items = ProjectShiftOut(many=True, help_text="every item whose dates changed")
    warnings = ProjectWarningOut(many=True, help_text="what was confirmed")


class ProjectProgressIn(serializers.Serializer):
    progress = serializers.IntegerField(min_value=0, max_value=100, required=False)
    actual_start = serializers.DateField(required=False)
    actual_finish = serializers.DateField(required=False)
    budget_spent = serializers.DecimalField(**MONEY, min_value=0, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


# --- dependencies ----------------------------------------------------------------------------------

class ProjectLinkEndOut(serializers.Serializer):
    id = serializers.IntegerField()
    project = serializers.CharField(source="project.code")
    wbs = serializers.CharField()
    title = serializers.CharField()


class ProjectDependencyOut(serializers.ModelSerializer):
    predecessor = ProjectLinkEndOut()
    successor = ProjectLinkEndOut()
    type = serializers.CharField(help_text="FS, SS, FF or SF")

    class Meta:
        model = Dependency
        fields = ["id", "predecessor", "successor", "type", "lag"]


class ProjectDependencyIn(serializers.Serializer):
    predecessor = serializers.IntegerField(help_text="an item of this project or of another of the programme")
    successor = serializers.IntegerField(help_text="an item of this project or of another of the programme")
    type = ProjectChoiceField(Dependency.Type.choices, required=False)
    lag = serializers.IntegerField(min_value=-250, max_value=250, required=False, help_text="working days")
    confirm = serializers.BooleanField(default=False, help_text="apply even if the shift breaks something")


class ProjectDependencyCreatedOut(ProjectDependencyOut):
    shifted = serializers.SerializerMethodField()

    class Meta(ProjectDependencyOut.Meta):
        fields = [*ProjectDependencyOut.Meta.fields, "shifted"]

    @extend_schema_field(ProjectShiftOut(many=True))
    def get_shifted(self, link) -> list:
        return self.context.get("shifted", [])


# --- baselines -------------------------------------------------------------------------------------

class ProjectBaselineOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    created_at = serializers.DateTimeField()
    created_by = ProjectRefOut(allow_null=True)


class ProjectBaselineIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)


class ProjectSlipOut(serializers.Serializer):
    item = serializers.IntegerField(source="item_id", allow_null=True, help_text="null: deleted since")
    wbs = serializers.CharField()
    title = serializers.CharField()
    baseline_start = serializers.DateField(allow_null=True)
    baseline_finish = serializers.DateField(allow_null=True)
    planned_start = serializers.DateField(source="start", allow_null=True)
    planned_finish = serializers.DateField(source="finish", allow_null=True)
    start_days = serializers.IntegerField(help_text="calendar days; later is positive")
    finish_days = serializers.IntegerField(help_text="calendar days; later is positive")
    status = serializers.CharField(help_text="same, moved, added or removed")
    critical = serializers.BooleanField(source="row.critical", default=False)


class ProjectSlippageOut(serializers.Serializer):
    baseline = ProjectBaselineOut()
    moved = serializers.IntegerField()
    added = serializers.IntegerField()
    removed = serializers.IntegerField()
    finish_days_max = serializers.IntegerField(help_text="the largest slip of a finish (calendar days)")
    items = ProjectSlipOut(many=True)


class ProjectSlippageQuery(serializers.Serializer):
    changed = serializers.BooleanField(required=False, default=False,
                                       help_text="only the items that moved, were added or removed")


# --- risks and status reports ----------------------------------------------------------------------

class ProjectRiskOut(serializers.ModelSerializer):
    probability = serializers.CharField(help_text="low, medium or high")
    impact = serializers.CharField(help_text="low, medium or high")
    created_by = ProjectRefOut(allow_null=True)

    class Meta:
        model = Risk
        fields = ["id", "title", "probability", "impact", "mitigation", "is_open", "created_at", "created_by"]


class ProjectRiskIn(serializers.Serializer):
    title = serializers.CharField(max_length=500)
    probability = ProjectChoiceField(Risk.Level.choices, required=False)
    impact = ProjectChoiceField(Risk.Level.choices, required=False)
    mitigation = serializers.CharField(required=False, allow_blank=True)
    is_open = serializers.BooleanField(required=False)


class ProjectReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    reported_on = serializers.DateField()
    text = serializers.CharField()
    author = ProjectRefOut(allow_null=True)
    created_at = serializers.DateTimeField()


class ProjectReportIn(serializers.Serializer):
    reported_on = serializers.DateField(required=False)
    text = serializers.CharField(max_length=20000)
