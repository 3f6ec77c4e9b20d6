"""API of initiatives under ``/api/v1/lawmaking/initiatives/``: the list as the caller may see it (the page's
filters, paged), one initiative with its timeline, proposing and changing a concept, and the staff's decisions
(approve, refuse, advance, stop, name the editor). The same services and selectors as the pages.

Writes made with a token need the scopes ``write`` and ``lawmaking:write`` (derived from this module).
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.response import Response

from krai.core.api import Pagination
from krai.core.privacy import mask_personal
from krai.lawmaking.api.base import LawmakingWriteView, errors
from krai.lawmaking.models import Initiative, InitiatorKind, Level, Stage
from krai.lawmaking.selectors import initiatives as selectors
from krai.lawmaking.services import initiatives as services
from krai.lawmaking.services import moves
from krai.social.selectors.profiles import expertise_fields

# --- serializers -----------------------------------------------------------------------------------

class LawmakingInitiativeStepOut(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    label = serializers.CharField()
    state = serializers.ChoiceField(choices=["done", "current", "coming", "stopped"])
    started = serializers.DateTimeField(allow_null=True)
    ended = serializers.DateTimeField(allow_null=True)
    due = serializers.DateField(allow_null=True, help_text="The stage's planned end, where known")
    planned = serializers.CharField(help_text="How long a stage to come is planned to last")
    note = serializers.CharField()


class MaskedText(serializers.CharField):
    """A resident's text as the public reads it: phones, e-mails, document numbers masked."""

    def to_representation(self, value: Any) -> str:
        return mask_personal(super().to_representation(value))


class LawmakingInitiativeOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    problem = MaskedText()
    proposal = MaskedText()
    level = serializers.ChoiceField(choices=Level.choices)
    municipality = serializers.IntegerField(source="municipality_id", allow_null=True)
    municipality_name = serializers.SerializerMethodField()
    responsible_body = serializers.IntegerField(source="responsible_body_id")
    responsible_body_name = serializers.CharField(source="responsible_body.name")
    fields = serializers.SerializerMethodField(method_name="subject_codes",
                                               help_text="Codes of the subjects (fields of expertise)")
    initiator_kind = serializers.ChoiceField(choices=InitiatorKind.choices)
    initiator_organisation = serializers.IntegerField(source="initiator_organisation_id", allow_null=True)
    editor = serializers.IntegerField(source="editor_id", allow_null=True)
    stage = serializers.ChoiceField(choices=Stage.choices)
    stage_started_at = serializers.DateTimeField()
    stage_due = serializers.DateField(allow_null=True)
    stopped_stage = serializers.CharField(help_text="The stage it stopped at (empty unless stopped)")
    stopped_reason = serializers.CharField()
    support_count = serializers.IntegerField()
    support_threshold = serializers.IntegerField()
    published_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField(source="get_absolute_url")

    def get_municipality_name(self, initiative: Initiative) -> str | None:
        return initiative.municipality.name if initiative.municipality_id else None

    def subject_codes(self, initiative: Initiative) -> list[str]:
        return [subject.code for subject in initiative.fields.all()]


class LawmakingInitiativeDetailOut(LawmakingInitiativeOut):
    timeline = serializers.SerializerMethodField()
    next = serializers.SerializerMethodField(help_text="What comes next, in a sentence")

    def get_timeline(self, initiative: Initiative) -> list[dict[str, Any]]:
        return LawmakingInitiativeStepOut(selectors.timeline(initiative).steps, many=True).data

    def get_next(self, initiative: Initiative) -> str:
        return selectors.next_text(initiative)


class LawmakingInitiativeQuery(serializers.Serializer):
    q = serializers.CharField(required=False, max_length=200, allow_blank=True)
    stage = serializers.ChoiceField(required=False, choices=Stage.choices)
    level = serializers.ChoiceField(required=False, choices=Level.choices)
    municipality = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    field = serializers.CharField(required=False, max_length=64, help_text="A subject's (field of expertise) code")
    body = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1,
                                    help_text="A responsible body's id (its units included)")
    exact_body = serializers.BooleanField(required=False, default=False,
                                          help_text="With body: that body only, without its units")
    published = serializers.BooleanField(required=False, default=False, help_text="Published initiatives only")
    published_from = serializers.DateField(required=False)
    published_to = serializers.DateField(required=False)
    reaction = serializers.ChoiceField(required=False, choices=["on_time", "late"],
                                       help_text="Reactions given by their deadline, or after it")
    overdue = serializers.BooleanField(required=False, default=False,
                                       help_text="Reactions owed past their deadline")


class LawmakingInitiativeIn(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    problem = serializers.CharField(max_length=services.TEXT_MAX)
    proposal = serializers.CharField(max_length=services.TEXT_MAX)
    level = serializers.ChoiceField(choices=Level.choices)
    municipality = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1)
    responsible_body = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    fields = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=20,
                                   help_text="Codes of the subjects (fields of expertise)")


class LawmakingInitiativeNoteIn(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class LawmakingInitiativeAdvanceIn(serializers.Serializer):
    note = serializers.CharField(max_length=2000, help_text="Why it moves on (the staff's decision)")


class LawmakingInitiativeReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why; the initiator reads it")


class LawmakingInitiativeEditorIn(serializers.Serializer):
    editor = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="The user's id")


def _subjects(codes: list[str] | None) -> list[Any]:
    """Subject codes as rows (an unknown code is refused with the field named)."""
    if not codes:
        return []
    found = {subject.code: subject for subject in expertise_fields().filter(code__in=set(codes))}
    if len(found) != len(set(codes)):
        raise exceptions.ValidationError({"fields": [_("Choose subjects from the list.")]})
    return list(found.values())


def _create_values(data: dict[str, Any]) -> dict[str, Any]:
    values = dict(data)
    if "fields" in values:
        values["fields"] = _subjects(values["fields"])
    return values


# --- views -----------------------------------------------------------------------------------------

def _detail(initiative: Initiative) -> dict[str, Any]:
    return LawmakingInitiativeDetailOut(initiative).data


@extend_schema(tags=["lawmaking"])
class InitiativeList(LawmakingWriteView):
    """Initiatives the caller may see (published ones; his own concepts; for staff, those of their bodies),
    by words, stage, level, municipality, subject and responsible body, paged; POST proposes a concept."""

    @extend_schema(operation_id="lawmaking_initiatives_list", parameters=[LawmakingInitiativeQuery],
                   responses={200: LawmakingInitiativeOut(many=True), **errors(400)})
    def get(self, request: Any) -> Response:
        query = LawmakingInitiativeQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        rows = selectors.search(request.user, q=params.get("q", ""), stage=params.get("stage", ""),
                                level=params.get("level", ""), municipality=params.get("municipality"),
                                field=params.get("field"), body=params.get("body"),
                                exact_body=params.get("exact_body", False),
                                published_only=params.get("published", False),
                                published_from=params.get("published_from"), published_to=params.get("published_to"),
                                reaction=params.get("reaction", ""), overdue=params.get("overdue", False))
        paginator = Pagination()
        page = paginator.paginate_queryset(rows.prefetch_related("fields"), request, view=self)
        return paginator.get_paginated_response(LawmakingInitiativeOut(page, many=True).data)

    @extend_schema(operation_id="lawmaking_initiatives_create", request=LawmakingInitiativeIn,
                   responses={201: LawmakingInitiativeDetailOut, **errors(400, 401, 403, 429)})
    def post(self, request: Any) -> Response:
        values = _create_values(self.body(LawmakingInitiativeIn))
        values.setdefault("municipality", None)
        initiative = services.initiative_create(actor=request.user, **values)
        return Response(_detail(initiative), status=status.HTTP_201_CREATED)


@extend_schema(tags=["lawmaking"])
class InitiativeDetail(LawmakingWriteView):
    """One initiative with its timeline and what comes next; PATCH changes a concept (its initiator, while it
    awaits moderation)."""

    @extend_schema(operation_id="lawmaking_initiatives_retrieve",
                   responses={200: LawmakingInitiativeDetailOut, **errors(404)})
    def get(self, request: Any, pk: int) -> Response:
        return Response(_detail(selectors.initiative_for(request.user, pk)))

    @extend_schema(operation_id="lawmaking_initiatives_partial_update", request=LawmakingInitiativeIn(partial=True),
                   responses={200: LawmakingInitiativeDetailOut, **errors(400, 401, 403, 404)})
    def patch(self, request: Any, pk: int) -> Response:
        initiative = selectors.initiative_for(request.user, pk)
        changes = _create_values(self.body(LawmakingInitiativeIn, partial=True))
        initiative = services.initiative_update(actor=request.user, initiative=initiative, **changes)
        return Response(_detail(initiative))


class _Action(LawmakingWriteView):
    """A staff decision on one initiative: the body's fields go to the service."""

    permission_classes = [permissions.IsAuthenticated]
    serializer: type[serializers.Serializer] = LawmakingInitiativeNoteIn

    def act(self, request: Any, initiative: Initiative, data: dict[str, Any]) -> Initiative:
        raise NotImplementedError

    def post(self, request: Any, pk: int) -> Response:
        initiative = selectors.initiative_for(request.user, pk)
        initiative = self.act(request, initiative, self.body(self.serializer))
        return Response(_detail(initiative))


def _action_schema(operation_id: str, serializer: type[serializers.Serializer], summary: str) -> Any:
    return extend_schema(tags=["lawmaking"], operation_id=operation_id, request=serializer, summary=summary,
                         responses={200: LawmakingInitiativeDetailOut, **errors(400, 401, 403, 404)})


class Approve(_Action):
    serializer = LawmakingInitiativeNoteIn

    @_action_schema("lawmaking_initiatives_approve", LawmakingInitiativeNoteIn,
                    "Publish a concept for the idea discussion (coordinators)")
    def post(self, request: Any, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, request: Any, initiative: Initiative, data: dict[str, Any]) -> Initiative:
        return services.initiative_approve(actor=request.user, initiative=initiative, note=data.get("note", ""))


class Refuse(_Action):
    serializer = LawmakingInitiativeReasonIn

    @_action_schema("lawmaking_initiatives_refuse", LawmakingInitiativeReasonIn,
                    "Refuse a concept at moderation, with the reason the initiator reads (coordinators)")
    def post(self, request: Any, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, request: Any, initiative: Initiative, data: dict[str, Any]) -> Initiative:
        return services.initiative_refuse(actor=request.user, initiative=initiative, reason=data["reason"])


class Advance(_Action):
    serializer = LawmakingInitiativeAdvanceIn

    @_action_schema("lawmaking_initiatives_advance", LawmakingInitiativeAdvanceIn,
                    "Move a discussed idea on to the draft elaboration (coordinators, the responsible body)")
    def post(self, request: Any, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, request: Any, initiative: Initiative, data: dict[str, Any]) -> Initiative:
        return moves.initiative_advance(actor=request.user, initiative=initiative, note=data["note"])


class Stop(_Action):
    serializer = LawmakingInitiativeReasonIn

    @_action_schema("lawmaking_initiatives_stop", LawmakingInitiativeReasonIn,
                    "Stop an initiative, with the reason the initiator reads (coordinators, the responsible body)")
    def post(self, request: Any, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, request: Any, initiative: Initiative, data: dict[str, Any]) -> Initiative:
        return moves.initiative_stop(actor=request.user, initiative=initiative, reason=data["reason"])


class SetEditor(_Action):
    serializer = LawmakingInitiativeEditorIn

    @_action_schema("lawmaking_initiatives_set_editor", LawmakingInitiativeEditorIn,
                    "Name the draft's editor (coordinators, the responsible body)")
    def post(self, request: Any, pk: int) -> Response:
        return super().post(request, pk)

    def act(self, request: Any, initiative: Initiative, data: dict[str, Any]) -> Initiative:
        return moves.initiative_set_editor(actor=request.user, initiative=initiative, editor=data["editor"])


urlpatterns = [
    path("lawmaking/initiatives/", InitiativeList.as_view(), name="lawmaking-initiatives"),
    path("lawmaking/initiatives/<int:pk>/", InitiativeDetail.as_view(), name="lawmaking-initiative"),
    path("lawmaking/initiatives/<int:pk>/approve/", Approve.as_view(), name="lawmaking-initiative-approve"),
    path("lawmaking/initiatives/<int:pk>/refuse/", Refuse.as_view(), name="lawmaking-initiative-refuse"),
    path("lawmaking/initiatives/<int:pk>/advance/", Advance.as_view(), name="lawmaking-initiative-advance"),
    path("lawmaking/initiatives/<int:pk>/stop/", Stop.as_view(), name="lawmaking-initiative-stop"),
    path("lawmaking/initiatives/<int:pk>/editor/", SetEditor.as_view(), name="lawmaking-initiative-editor"),
]
