"""Serializers of the draft's API (``api/drafts.py``): versions, provisions, the difference, amendments,
comments on provisions. Residents' texts leave masked (``selectors.drafts.shown``)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from krai.lawmaking import diff as differ
from krai.lawmaking.models import Amendment, Annotation, Provision, Version
from krai.lawmaking.selectors import drafts as selectors
from krai.social.selectors.profiles import display_name


def _name(user: Any) -> str:
    return display_name(user) if user is not None else ""


class LawmakingVersionOut(serializers.Serializer):
    number = serializers.IntegerField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    created_by = serializers.SerializerMethodField(help_text="The name of who made it")

    def get_created_by(self, version: Version) -> str:
        return _name(version.created_by)


class LawmakingProvisionOut(serializers.Serializer):
    key = serializers.CharField(help_text='Number path: "3", "3.2", "3.2.1", "3.2.1.а"; "0" the preamble; '
                                          '"p1"… paragraphs of a text without articles')
    kind = serializers.ChoiceField(choices=Provision.Kind.choices)
    label = serializers.CharField()
    heading = serializers.CharField()
    text = serializers.CharField()
    annotations = serializers.IntegerField(help_text="Visible comments on it (this version and earlier)")
    pending_amendments = serializers.IntegerField()


class LawmakingVersionDetailOut(LawmakingVersionOut):
    text = serializers.CharField()
    provisions = LawmakingProvisionOut(many=True)


class LawmakingVersionIn(serializers.Serializer):
    text = serializers.CharField(max_length=200_000, trim_whitespace=False)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class LawmakingDiffEntryOut(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=Provision.Kind.choices)
    status = serializers.ChoiceField(choices=[differ.ADDED, differ.REMOVED, differ.CHANGED, differ.UNCHANGED])
    label = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()
    html = serializers.CharField(help_text="Word-level difference: escaped text with <ins> and <del>")


class LawmakingDiffOut(serializers.Serializer):
    a = serializers.IntegerField()
    b = serializers.IntegerField()
    summary = serializers.DictField(child=serializers.IntegerField())
    entries = LawmakingDiffEntryOut(many=True)


class LawmakingDiffQuery(serializers.Serializer):
    a = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000,
                                 help_text="Default: the version before b")
    b = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000, help_text="Default: the current")


class LawmakingAmendmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField(source="version.number")
    key = serializers.CharField()
    quote = serializers.SerializerMethodField()
    proposed_text = serializers.SerializerMethodField()
    justification = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Amendment.Status.choices)
    decision_reason = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    applied_in = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_quote(self, item: Amendment) -> str:
        return selectors.shown(item.quote)

    def get_proposed_text(self, item: Amendment) -> str:
        return selectors.shown(item.proposed_text)

    def get_justification(self, item: Amendment) -> str:
        return selectors.shown(item.justification)

    def get_author(self, item: Amendment) -> str:
        return _name(item.author)

    def get_applied_in(self, item: Amendment) -> int | None:
        return item.applied_in.number if item.applied_in_id else None


class LawmakingAmendmentQuery(serializers.Serializer):
    status = serializers.ChoiceField(choices=Amendment.Status.choices, required=False)
    key = serializers.CharField(max_length=40, required=False)


class LawmakingAmendmentIn(serializers.Serializer):
    key = serializers.CharField(max_length=40)
    quote = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    proposed_text = serializers.CharField(max_length=10_000)
    justification = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000,
                                       help_text="The version read (default: the current one)")


class LawmakingDecisionIn(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="",
                                   help_text="Required for a rejection")


class LawmakingAnnotationOut(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField(source="version.number")
    key = serializers.CharField()
    quote = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    hidden = serializers.SerializerMethodField()

    def get_quote(self, item: Annotation) -> str:
        return selectors.shown(item.quote)

    def get_body(self, item: Annotation) -> str:
        return selectors.shown(item.body)

    def get_author(self, item: Annotation) -> str:
        return _name(item.author)

    def get_hidden(self, item: Annotation) -> bool:
        return item.hidden_at is not None


class LawmakingAnnotationQuery(serializers.Serializer):
    key = serializers.CharField(max_length=40, required=False)
    version = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000)


class LawmakingAnnotationIn(serializers.Serializer):
    key = serializers.CharField(max_length=40)
    quote = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    body = serializers.CharField(max_length=5000)
    version = serializers.IntegerField(required=False, min_value=1, max_value=1_000_000)
