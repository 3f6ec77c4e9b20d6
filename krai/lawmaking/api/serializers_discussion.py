"""Serializers of the idea discussion's API (``api/discussion.py``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from krai.core.privacy import mask_personal
from krai.lawmaking.models import Answer, Level, Question, Stage, Subscription
from krai.lawmaking.selectors.stats import STAT_STAGES
from krai.lawmaking.services import discussion as services
from krai.org.selectors import municipality_list
from krai.social.selectors.profiles import display_name, expertise_fields


class LawmakingSupportOut(serializers.Serializer):
    initiative = serializers.IntegerField()
    stage = serializers.ChoiceField(choices=Stage.choices, help_text="The stage after the call (the supporter "
                                                                     "reaching the threshold moves it on)")
    supporters = serializers.IntegerField()
    threshold = serializers.IntegerField(help_text="Supporters that move it to the draft elaboration (0: staff "
                                                   "decide)")
    supported = serializers.BooleanField(help_text="The caller supports it")
    discussion_until = serializers.DateField(allow_null=True)


class LawmakingAnswerOut(serializers.Serializer):
    id = serializers.IntegerField()
    author = serializers.IntegerField(source="author_id")
    author_name = serializers.SerializerMethodField(help_text="As the community names him (never the surname)")
    text = serializers.SerializerMethodField(help_text="Phones, e-mails and document numbers masked")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    hidden = serializers.SerializerMethodField(help_text="Hidden by a coordinator (shown to coordinators and "
                                                         "its author only)")
    hidden_reason = serializers.CharField()

    def get_author_name(self, answer: Answer) -> str:
        return display_name(answer.author)

    def get_text(self, answer: Answer) -> str:
        return mask_personal(answer.text)

    def get_hidden(self, answer: Answer) -> bool:
        return answer.hidden_at is not None


class LawmakingQuestionOut(serializers.Serializer):
    id = serializers.IntegerField()
    initiative = serializers.IntegerField(source="initiative_id")
    text = serializers.SerializerMethodField(help_text="Phones, e-mails and document numbers masked")
    created_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    answers = LawmakingAnswerOut(many=True, source="shown_answers")

    def get_text(self, question: Question) -> str:
        return mask_personal(question.text)


class LawmakingTextIn(serializers.Serializer):
    text = serializers.CharField(max_length=services.ANSWER_MAX)


class LawmakingSubscriptionOut(serializers.Serializer):
    id = serializers.IntegerField()
    initiative = serializers.IntegerField(source="initiative_id", allow_null=True,
                                          help_text="Set for a subscription to one initiative; null for a filter")
    initiative_title = serializers.SerializerMethodField()
    level = serializers.CharField(help_text="Filter: regional, municipal, or empty (any)")
    municipality = serializers.IntegerField(source="municipality_id", allow_null=True)
    field = serializers.SerializerMethodField(help_text="Filter: a subject's code (a field of expertise), or null")
    created_at = serializers.DateTimeField()

    def get_initiative_title(self, row: Subscription) -> str | None:
        return row.initiative.title if row.initiative_id else None

    def get_field(self, row: Subscription) -> str | None:
        return row.field.code if row.field_id else None


class LawmakingSubscriptionIn(serializers.Serializer):
    """Either ``initiative`` (follow its steps) or a filter of new initiatives (any part may be left out)."""

    initiative = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    level = serializers.ChoiceField(choices=Level.choices, required=False, allow_blank=True)
    municipality = serializers.PrimaryKeyRelatedField(queryset=municipality_list(), required=False,
                                                      allow_null=True)
    field = serializers.SlugRelatedField(slug_field="code", queryset=expertise_fields(), required=False,
                                         allow_null=True, help_text="A subject's code (a field of expertise)")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("initiative") and any(data.get(name) for name in ("level", "municipality", "field")):
            raise serializers.ValidationError(_("Follow an initiative or add a filter, not both at once."))
        return data


class LawmakingStageCounts(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {stage.value: serializers.IntegerField() for stage in STAT_STAGES}


class LawmakingStatsRow(serializers.Serializer):
    body = serializers.IntegerField(source="body_id", allow_null=True, help_text="The responsible body (null: all)")
    body_name = serializers.CharField()
    total = serializers.IntegerField(help_text="Published initiatives")
    stages = LawmakingStageCounts(help_text="Initiatives by the stage they are at")
    participants = serializers.IntegerField(help_text="Distinct people who supported, answered, commented, "
                                                      "annotated, proposed amendments or reviewed")
    comments = serializers.IntegerField(help_text="Comments on the initiatives and on their provisions")
    amendments_proposed = serializers.IntegerField()
    amendments_accepted = serializers.IntegerField()
    reactions = serializers.IntegerField(help_text="Reactions given")
    reactions_on_time = serializers.IntegerField()
    reactions_late = serializers.IntegerField()
    reactions_owed = serializers.IntegerField(help_text="At the reaction stage now")
    reactions_overdue = serializers.IntegerField(help_text="At the reaction stage past its due date")


class LawmakingStatsOut(serializers.Serializer):
    totals = LawmakingStatsRow()
    bodies = LawmakingStatsRow(many=True)


class LawmakingStatsQuery(serializers.Serializer):
    date_from = serializers.DateField(required=False, help_text="Published on or after (YYYY-MM-DD)")
    date_to = serializers.DateField(required=False, help_text="Published on or before (YYYY-MM-DD)")
    level = serializers.ChoiceField(choices=Level.choices, required=False)
    municipality = serializers.PrimaryKeyRelatedField(queryset=municipality_list(), required=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise serializers.ValidationError({"date_to": _("The end of the period is before its start.")})
        return data


