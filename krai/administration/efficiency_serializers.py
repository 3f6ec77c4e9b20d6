"""The efficiency API's shapes: the query (period, compared period, unit, "this unit only", sort) and a line's
figures for both periods with the change."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from krai.administration.efficiency_periods import PRESETS
from krai.administration.efficiency_table import COLUMNS
from krai.administration.selectors.efficiency import Line, Measures
from krai.administration.selectors.efficiency_rows import MEASURES


class EfficiencyQuery(serializers.Serializer):
    """``from``/``to`` (both included; default the last whole month, or ``preset``), ``compare_from``/
    ``compare_to`` (default the period before), ``unit`` (its sub-units; default the scope's top units), ``only``
    (the unit alone), ``sort`` by a measure, ``dir``."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "preset": serializers.ChoiceField(choices=PRESETS, required=False),
            "from": serializers.DateField(required=False),
            "to": serializers.DateField(required=False),
            "compare_from": serializers.DateField(required=False),
            "compare_to": serializers.DateField(required=False),
            "unit": serializers.IntegerField(required=False, min_value=1),
            "only": serializers.BooleanField(required=False),
            "sort": serializers.ChoiceField(choices=MEASURES, required=False),
            "dir": serializers.ChoiceField(choices=("asc", "desc"), required=False),
        }


class EfficiencyPeriodOut(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class EfficiencyMeasuresOut(serializers.Serializer):
    closed = serializers.IntegerField(help_text="executed in the period (accepted report dated in it)")
    on_time = serializers.IntegerField()
    on_time_share = serializers.FloatField(allow_null=True, help_text="% of the executed")
    late = serializers.IntegerField()
    average_delay = serializers.FloatField(allow_null=True, help_text="working days, over the late ones")
    overdue = serializers.IntegerField(help_text="open and overdue at the period's end (today if not over)")
    returns = serializers.IntegerField(help_text="reports returned for rework in the period")
    answers = serializers.IntegerField(help_text="answers to residents' problems given in the period")
    answers_on_time = serializers.IntegerField()
    answers_on_time_share = serializers.FloatField(allow_null=True)
    ratings = serializers.IntegerField(help_text="residents' ratings of those answers")
    average_rating = serializers.FloatField(allow_null=True)
    too_few = serializers.BooleanField(help_text="fewer executed than the minimum to compare")


class EfficiencyLineOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=("unit", "person"))
    id = serializers.IntegerField(help_text="0: the assignments of a unit with no person named")
    name = serializers.CharField()
    period = EfficiencyMeasuresOut()
    compare = EfficiencyMeasuresOut()
    change = serializers.DictField(child=serializers.FloatField(allow_null=True),
                                   help_text="per measure: the period's figure minus the compared one's")


class EfficiencyLinePageOut(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = EfficiencyLineOut(many=True)


class EfficiencyReportOut(serializers.Serializer):
    period = EfficiencyPeriodOut()
    compare = EfficiencyPeriodOut()
    overdue_on = serializers.DateField()
    only = serializers.BooleanField()
    total = EfficiencyLineOut()
    units = EfficiencyLineOut(many=True)


def measures(m: Measures) -> dict[str, Any]:
    return {"closed": m.closed, "on_time": m.on_time, "on_time_share": m.on_time_share, "late": m.late,
            "average_delay": m.average_delay, "overdue": m.overdue, "returns": m.returns, "answers": m.answers,
            "answers_on_time": m.answers_on_time, "answers_on_time_share": m.answers_on_time_share,
            "ratings": m.ratings, "average_rating": m.average_rating, "too_few": m.too_few}


def line(item: Line) -> dict[str, Any]:
    change = {}
    for measure, _label in COLUMNS:
        a, b = item.now.figure(measure), item.before.figure(measure)
        change[measure] = None if a is None or b is None else round(a - b, 2)
    return {"kind": item.kind, "id": item.id, "name": item.label, "period": measures(item.now),
            "compare": measures(item.before), "change": change}
