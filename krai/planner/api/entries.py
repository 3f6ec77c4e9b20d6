"""The planner's API of entries under /api/v1/planner/: the occurrences of the caller's entries in a window
(``entries/?start=&end=``, repeating ones expanded), making one (an ``Idempotency-Key`` header makes a repeated
request answer the entry made first), one entry, changing it (PATCH; ``done`` ticks a task), deleting it; the
calendar's items of a window (``agenda/``: entries and every area's items) and "what I gave" (``given/``).

The same services and selectors as the pages. Members of staff only (anyone else 403); each caller reads and writes
his own planner — another's entry answers 404 like a missing one. Writes made with a token need the scopes
``write`` and ``planner:write``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status
from rest_framework.exceptions import ValidationError as DrfValidationError
from rest_framework.response import Response

from krai.core.api import Pagination
from krai.core.api_views import AreaWriteView, errors
from krai.planner.models import Entry
from krai.planner.selectors import entries as selectors
from krai.planner.services import entries as services

IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description="A key of up to 64 characters chosen by the client (e.g. a UUID): the same request sent again with "
                "it gets the first answer replayed (Idempotent-Replayed: true); once that is forgotten, a create "
                "with the key answers the entry it made (200) instead of making a second one")


@extend_schema_field({"type": "string", "pattern": f"^({'|'.join(Entry.Kind.values)})$",
                      "description": "task, meeting, trip, hearing, deadline or event (another kind of event)"})
class EntryKindField(serializers.ChoiceField):
    """An entry's kind. Its schema is a pattern, not an enum: drf-spectacular names every enum of a field "kind"
    alike across areas (a collision it warns of) unless the settings' ENUM_NAME_OVERRIDES name it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=Entry.Kind.choices, **kwargs)


class PlannerEntryOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = EntryKindField()
    title = serializers.CharField()
    notes = serializers.CharField()
    location = serializers.CharField(help_text="The place")
    starts_at = serializers.DateTimeField(help_text="The start (a task: when it is due); a whole-day entry: its "
                                                    "first day's local midnight")
    ends_at = serializers.DateTimeField(allow_null=True, help_text="The end; a whole-day entry: its last day's "
                                                                   "local midnight (the day included)")
    all_day = serializers.BooleanField()
    rrule = serializers.CharField(help_text="How it repeats: an RFC 5545 RRULE without the RRULE: prefix, or empty")
    exdates = serializers.ListField(child=serializers.CharField(),
                                    help_text="The occurrences left out: ISO dates or moments")
    done_at = serializers.DateTimeField(allow_null=True, help_text="When a task was ticked done")
    uid = serializers.CharField(help_text="The iCalendar UID")
    sequence = serializers.IntegerField(help_text="The iCalendar SEQUENCE, raised on every change")
    source = serializers.ChoiceField(choices=Entry.Source.choices)
    created_by = serializers.IntegerField(source="created_by_id", allow_null=True,
                                          help_text="Who wrote it (a deputy acting for the owner, or the owner)")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class PlannerOccurrenceOut(serializers.Serializer):
    entry = serializers.IntegerField(help_text="The entry's id")
    occurrence = serializers.CharField(help_text="The occurrence's key (what exdates keeps to leave it out); empty "
                                                 "for an entry that does not repeat")
    kind = serializers.CharField()
    title = serializers.CharField()
    start = serializers.CharField(help_text="An ISO moment, or an ISO date for a whole day")
    end = serializers.CharField(allow_null=True, help_text="An ISO moment, or the last ISO date (included)")
    all_day = serializers.BooleanField()
    location = serializers.CharField()
    done = serializers.BooleanField()
    repeats = serializers.BooleanField()


class PlannerOccurrencesOut(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    count = serializers.IntegerField()
    results = PlannerOccurrenceOut(many=True)


class PlannerAgendaItemOut(serializers.Serializer):
    key = serializers.CharField(help_text="Stable across reads: planner:entry:<id>:<occurrence> or "
                                          "<area>:<kind>:<id>")
    source = serializers.CharField(help_text="planner for the caller's own entries, else the area it comes from")
    kind = serializers.CharField()
    title = serializers.CharField()
    start = serializers.CharField(help_text="An ISO moment, or an ISO date for a whole day")
    end = serializers.CharField(allow_null=True, help_text="An ISO moment, or the last ISO date (included)")
    all_day = serializers.BooleanField()
    url = serializers.CharField(help_text="The page it comes from")
    entry = serializers.IntegerField(allow_null=True, help_text="The planner entry's id; null for an area's item "
                                                                "(read-only here)")
    occurrence = serializers.CharField()
    done = serializers.BooleanField()
    overdue = serializers.BooleanField()
    status = serializers.CharField()
    detail = serializers.CharField()


class PlannerAgendaOut(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    count = serializers.IntegerField()
    results = PlannerAgendaItemOut(many=True)


class PlannerWindowQuery(serializers.Serializer):
    start = serializers.DateTimeField(help_text="The window's start, included (an ISO moment; a date is its local "
                                                "midnight)")
    end = serializers.DateTimeField(help_text="The window's end, excluded; at most 400 days after the start")

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        values = {key: data.get(key) for key in ("start", "end")}
        for key, value in values.items():  # a bare date is that day's local midnight
            if isinstance(value, str) and len(value.strip()) == 10:
                values[key] = value.strip() + "T00:00:00"
            elif isinstance(value, str):
                values[key] = value.strip().replace(" ", "+")
        return super().to_internal_value(values)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        try:
            attrs["start"], attrs["end"] = selectors.window(attrs["start"], attrs["end"])
        except ValueError as exc:
            raise serializers.ValidationError({"end": [str(exc)]}) from None
        return attrs


class PlannerEntryIn(serializers.Serializer):
    kind = EntryKindField(default=Entry.Kind.TASK)
    title = serializers.CharField(max_length=services.TITLE_MAX)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.NOTES_MAX)
    location = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.PLACE_MAX)
    starts_at = serializers.DateTimeField(help_text="The start (a task: when it is due); for a whole-day entry its "
                                                    "day is taken")
    ends_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    all_day = serializers.BooleanField(required=False, default=False)
    rrule = serializers.CharField(required=False, allow_blank=True, default="", max_length=500,
                                  help_text="An RFC 5545 RRULE without RRULE:, e.g. FREQ=WEEKLY;BYDAY=MO;COUNT=10")
    exdates = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list,
                                    help_text="Occurrences left out: ISO dates or moments")


class PlannerEntryPatchIn(serializers.Serializer):
    kind = EntryKindField(required=False)
    title = serializers.CharField(max_length=services.TITLE_MAX, required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=services.NOTES_MAX)
    location = serializers.CharField(required=False, allow_blank=True, max_length=services.PLACE_MAX)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    all_day = serializers.BooleanField(required=False)
    rrule = serializers.CharField(required=False, allow_blank=True, max_length=500)
    exdates = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    done = serializers.BooleanField(required=False, help_text="Tick a task done (true) or bring it back (false)")


class PlannerGivenOut(serializers.Serializer):
    id = serializers.IntegerField(help_text="The assignment's id")
    order = serializers.IntegerField(allow_null=True, help_text="The order's id, when the assignment is an order's")
    title = serializers.CharField()
    delegated = serializers.BooleanField(help_text="Delegated from an assignment given to the caller (else the "
                                                   "order's own control)")
    executor = serializers.CharField(help_text="To whom: the person and his organisation, or the organisation")
    executor_user = serializers.IntegerField(allow_null=True)
    executor_organisation = serializers.IntegerField()
    issued_on = serializers.DateField()
    deadline = serializers.DateField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    overdue = serializers.BooleanField()
    url = serializers.CharField(help_text="The order's page")


class PlannerGivenPageOut(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PlannerGivenOut(many=True)


class PlannerGivenQuery(serializers.Serializer):
    state = serializers.ChoiceField(choices=[(s, s) for s in selectors.GIVEN_STATES], required=False, default="all",
                                    help_text="open (under control), overdue, done, or all")
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=500)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _item(item: selectors.CalendarItem) -> dict[str, Any]:
    return {"key": item.key, "source": item.source, "kind": item.kind, "title": item.title, "start": _iso(item.start),
            "end": _iso(item.end), "all_day": item.all_day, "url": item.url,
            "entry": item.entry.pk if item.entry else None, "occurrence": item.occurrence, "done": item.done,
            "overdue": item.overdue, "status": item.status, "detail": item.detail}


def _occurrence(item: selectors.CalendarItem) -> dict[str, Any]:
    assert item.entry is not None
    return {"entry": item.entry.pk, "occurrence": item.occurrence, "kind": item.kind, "title": item.title,
            "start": _iso(item.start), "end": _iso(item.end), "all_day": item.all_day,
            "location": item.entry.location, "done": item.done, "repeats": item.repeats}


def _window(request: Any) -> tuple[datetime, datetime]:
    query = PlannerWindowQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data["start"], query.validated_data["end"]


class _Planner(AreaWriteView):
    permission_classes = [permissions.IsAuthenticated]

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not request.user.has_perm(services.USE):
            raise PermissionDenied(_("Only members of staff keep a planner."))


@extend_schema(tags=["planner"])
class EntryList(_Planner):
    """The occurrences of the caller's entries in a window (repeating ones expanded); POST makes an entry."""

    @extend_schema(operation_id="planner_entries_list", parameters=[PlannerWindowQuery],
                   responses={200: PlannerOccurrencesOut, **errors(400, 401, 403)})
    def get(self, request: Any) -> Response:
        start, end = _window(request)
        found = [selectors.occurrence_item(o) for o in selectors.occurrences(request.user, start, end)]
        return Response({"start": start, "end": end, "count": len(found),
                         "results": [_occurrence(item) for item in found]})

    @extend_schema(operation_id="planner_entries_create", request=PlannerEntryIn, parameters=[IDEMPOTENCY],
                   responses={201: PlannerEntryOut, 200: PlannerEntryOut, **errors(400, 401, 403, 429)})
    def post(self, request: Any) -> Response:
        key = (request.headers.get("Idempotency-Key") or "").strip()
        if len(key) > services.KEY_MAX or not key.isprintable():
            raise DrfValidationError({"Idempotency-Key": [_("An idempotency key has at most %(n)d printable "
                                                            "characters.") % {"n": services.KEY_MAX}]})
        first = selectors.entry_by_client_key(request.user, key)
        if first is not None:
            return Response(PlannerEntryOut(first).data, status=status.HTTP_200_OK)
        entry = services.entry_create(actor=request.user, client_key=key, **self.body(PlannerEntryIn))
        return Response(PlannerEntryOut(entry).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["planner"])
class EntryDetail(_Planner):
    """One of the caller's entries; PATCH (or PUT) changes it, DELETE deletes it."""

    @extend_schema(operation_id="planner_entries_retrieve", responses={200: PlannerEntryOut, **errors(401, 403, 404)})
    def get(self, request: Any, pk: int) -> Response:
        return Response(PlannerEntryOut(selectors.entry_get_for_user(user=request.user, pk=pk)).data)

    def _change(self, request: Any, pk: int, *, partial: bool) -> Response:
        entry = selectors.entry_get_for_user(user=request.user, pk=pk)
        data = self.body(PlannerEntryPatchIn if partial else PlannerEntryIn, partial=partial)
        done = data.pop("done", None)
        with transaction.atomic():
            if data:
                entry = services.entry_update(actor=request.user, entry=entry, **data)
            if done is not None:
                entry = services.entry_set_done(actor=request.user, entry=entry, done=done)
        return Response(PlannerEntryOut(selectors.entry_get_for_user(user=request.user, pk=pk)).data)

    @extend_schema(operation_id="planner_entries_partial_update", request=PlannerEntryPatchIn,
                   responses={200: PlannerEntryOut, **errors(400, 401, 403, 404, 429)})
    def patch(self, request: Any, pk: int) -> Response:
        return self._change(request, pk, partial=True)

    @extend_schema(operation_id="planner_entries_update", request=PlannerEntryIn,
                   responses={200: PlannerEntryOut, **errors(400, 401, 403, 404, 429)})
    def put(self, request: Any, pk: int) -> Response:
        return self._change(request, pk, partial=False)

    @extend_schema(operation_id="planner_entries_destroy", responses={204: None, **errors(401, 403, 404, 429)})
    def delete(self, request: Any, pk: int) -> Response:
        services.entry_delete(actor=request.user, entry=selectors.entry_get_for_user(user=request.user, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["planner"])
class Agenda(_Planner):
    """The calendar of a window: the caller's entries (repeating ones expanded) and every area's items for him
    (read-only here, each with its page), by day, whole days first."""

    @extend_schema(operation_id="planner_agenda", parameters=[PlannerWindowQuery],
                   responses={200: PlannerAgendaOut, **errors(400, 401, 403)})
    def get(self, request: Any) -> Response:
        start, end = _window(request)
        items = selectors.calendar_items(request.user, start, end)
        return Response({"start": start, "end": end, "count": len(items), "results": [_item(i) for i in items]})


@extend_schema(tags=["planner"])
class Given(_Planner):
    """What the caller gave: the orders he issued and the assignments he delegated, the nearest deadline first,
    paged."""

    @extend_schema(operation_id="planner_given", parameters=[PlannerGivenQuery],
                   responses={200: PlannerGivenPageOut, **errors(400, 401, 403)})
    def get(self, request: Any) -> Response:
        query = PlannerGivenQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.given(request.user, query.validated_data["state"], today),
                                           request, view=self)
        order_type = selectors.order_content_type_id()
        rows = [{"id": row.pk, "title": row.title, "delegated": row.parent_id is not None,
                 "order": int(row.subject_id) if row.subject_type_id == order_type else None,
                 "executor": selectors.executor_name(row), "executor_user": row.executor_user_id,
                 "executor_organisation": row.executor_organisation_id, "issued_on": row.issued_on,
                 "deadline": row.deadline, "status": row.status, "status_label": str(row.get_status_display()),
                 "overdue": row.is_overdue(today), "url": selectors.given_url(row, order_type)} for row in page]
        return paginator.get_paginated_response(PlannerGivenOut(rows, many=True).data)


urlpatterns = [
    path("planner/entries/", EntryList.as_view(), name="planner-entries"),
    path("planner/entries/<int:pk>/", EntryDetail.as_view(), name="planner-entry"),
    path("planner/agenda/", Agenda.as_view(), name="planner-agenda"),
    path("planner/given/", Given.as_view(), name="planner-given"),
]
