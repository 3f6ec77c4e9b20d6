"""API of "Find out" about infrastructure works under /api/v1/construction/works/: the list (filters as on the
page, paged) and entering a work, one work and its change, the status moves, the plan's move, files,
subscriptions and ratings, the statistics per responsible body. The same services and selectors as the pages;
another body's work answers the staff's writes 404, like a missing one.

Writes made with a token need the scopes ``write`` and ``construction:write`` (derived from this module).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import parsers, permissions, serializers, status
from rest_framework.response import Response

from krai.construction.models import Work, WorkKind, WorkStatus
from krai.construction.selectors import works as selectors
from krai.construction.services import works as services
from krai.core.api import Pagination
from krai.core.api_views import AreaView, AreaWriteView, errors
from krai.org.models import Municipality, Organisation
from krai.projects.models import Programme

FILE_KIND_CHOICES = [("document", "document"), ("photo", "photo")]
OUTCOME_CHOICES = [(name, name) for name in selectors.OUTCOMES]


# --- serializers -----------------------------------------------------------------------------------

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


# --- views -----------------------------------------------------------------------------------------

def _out(work: Work) -> dict[str, Any]:
    return ConstructionWorkDetailOut(selectors.work_get(work.pk)).data


@extend_schema(tags=["construction"])
class WorkList(AreaWriteView):
    """Works by municipality, type, status, street, words, period, responsible body (and the statistics'
    outcomes), paged; POST enters one (the staff of its body; keepers: any body)."""

    @extend_schema(operation_id="construction_works_list", parameters=[ConstructionWorkQuery],
                   responses={200: ConstructionWorkPageOut, **errors(400)})
    def get(self, request: Any) -> Response:
        query = ConstructionWorkQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.public_works(**{"kind": "", "status": "", "street": "", "q": "", "outcome": "",
                                         **query.validated_data})
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(ConstructionWorkOut(page, many=True).data)

    @extend_schema(operation_id="construction_works_create", request=ConstructionWorkIn,
                   responses={201: ConstructionWorkDetailOut, **errors(400, 401, 403, 429)})
    def post(self, request: Any) -> Response:
        work = services.work_create(actor=request.user, **self.body(ConstructionWorkIn))
        return Response(_out(work), status=status.HTTP_201_CREATED)


@extend_schema(tags=["construction"])
class WorkDetail(AreaWriteView):
    """One work with its documents and photos; PATCH changes what staff entered (the planned dates move with
    ``reschedule``)."""

    @extend_schema(operation_id="construction_works_retrieve", responses={200: ConstructionWorkDetailOut,
                                                                          **errors(404)})
    def get(self, request: Any, pk: int) -> Response:
        return Response(ConstructionWorkDetailOut(selectors.work_get(pk)).data)

    @extend_schema(operation_id="construction_works_partial_update", request=ConstructionWorkPatchIn,
                   responses={200: ConstructionWorkDetailOut, **errors(400, 401, 403, 404, 429)})
    def patch(self, request: Any, pk: int) -> Response:
        work = selectors.managed_work_get(request.user, pk)
        data = self.body(ConstructionWorkPatchIn, partial=True)
        services.work_update(actor=request.user, work=work, **data)
        return Response(_out(work))


def _action(name: str, serializer: type[serializers.Serializer] | None,
            call: Callable[[Any, Work, dict[str, Any]], Any], doc: str) -> type[AreaWriteView]:
    """A staff move on a work (another body's work answers 404, like a missing one)."""

    class Move(AreaWriteView):
        permission_classes = [permissions.IsAuthenticated]

        @extend_schema(operation_id=f"construction_works_{name}", request=serializer, description=doc,
                       responses={200: ConstructionWorkDetailOut, **errors(400, 401, 403, 404, 429)})
        def post(self, request: Any, pk: int) -> Response:
            work = selectors.managed_work_get(request.user, pk)
            call(request.user, work, self.body(serializer) if serializer else {})
            return Response(_out(work))

    Move.__name__ = Move.__qualname__ = f"Work{name.capitalize()}"
    return extend_schema(tags=["construction"])(Move)


WorkStart = _action("start", ConstructionWorkDayIn,
                    lambda a, w, d: services.work_start(actor=a, work=w, on=d.get("on")), "Record the start.")
WorkSuspend = _action("suspend", ConstructionWorkReasonIn,
                      lambda a, w, d: services.work_suspend(actor=a, work=w, **d), "Suspend, saying why.")
WorkResume = _action("resume", ConstructionWorkNoteIn,
                     lambda a, w, d: services.work_resume(actor=a, work=w, **d), "Resume a suspended work.")
WorkComplete = _action("complete", ConstructionWorkDayIn,
                       lambda a, w, d: services.work_complete(actor=a, work=w, on=d.get("on")),
                       "Record the end (subscribers are told and asked to rate it).")
WorkReschedule = _action("reschedule", ConstructionWorkRescheduleIn,
                         lambda a, w, d: services.work_reschedule(actor=a, work=w, **d),
                         "Move the plan, saying why; a later end is a slip subscribers hear of.")


@extend_schema(tags=["construction"])
class WorkFiles(AreaWriteView):
    """Add a document (estimate, contract, act: PDF or office) or a photo (an image) to a work."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]

    @extend_schema(operation_id="construction_works_files_create",
                   request={"multipart/form-data": ConstructionWorkFileIn},
                   responses={201: ConstructionWorkFileOut, **errors(400, 401, 403, 404, 429)})
    def post(self, request: Any, pk: int) -> Response:
        work = selectors.managed_work_get(request.user, pk)
        data = self.body(ConstructionWorkFileIn)
        attachment = services.work_attach(actor=request.user, work=work, upload=data["file"], kind=data["kind"])
        return Response(ConstructionWorkFileOut(attachment).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["construction"])
class WorkSubscribe(AreaWriteView):
    """Be told when the work starts, slips or ends (201; 200 when already subscribed)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="construction_works_subscribe", request=None,
                   responses={201: ConstructionWorkSubscriptionOut, 200: ConstructionWorkSubscriptionOut,
                              **errors(401, 403, 404, 429)})
    def post(self, request: Any, pk: int) -> Response:
        work = selectors.work_get(pk)
        _row, created = services.work_subscribe(actor=request.user, work=work)
        return Response({"work": work.pk, "subscribed": True},
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_schema(tags=["construction"])
class WorkUnsubscribe(AreaWriteView):
    """Stop being told of the work (200 whether or not one was subscribed)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="construction_works_unsubscribe", request=None,
                   responses={200: ConstructionWorkSubscriptionOut, **errors(401, 403, 404, 429)})
    def post(self, request: Any, pk: int) -> Response:
        work = selectors.work_get(pk)
        services.work_unsubscribe(actor=request.user, work=work)
        return Response({"work": work.pk, "subscribed": False})


@extend_schema(tags=["construction"])
class WorkRate(AreaWriteView):
    """Rate a completed work's result, 1–5 (201 the first time, 200 when changed): confirmed residents."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="construction_works_rate", request=ConstructionWorkRateIn,
                   responses={201: ConstructionWorkRatingOut, 200: ConstructionWorkRatingOut,
                              **errors(400, 401, 403, 404, 429)})
    def post(self, request: Any, pk: int) -> Response:
        work = selectors.work_get(pk)
        rating, created = services.work_rate(actor=request.user, work=work, **self.body(ConstructionWorkRateIn))
        body = {"work": work.pk, "score": rating.score, "comment": rating.comment,
                "ratings_count": work.ratings_count, "rating": work.rating}
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


@extend_schema(tags=["construction"])
class WorkStatistics(AreaView):
    """Per responsible body: works, completed on time and late, slipping now, the ratings (the page's figures)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(operation_id="construction_works_statistics", parameters=[ConstructionWorkStatsQuery],
                   responses={200: ConstructionWorkStatsOut, **errors(400)})
    def get(self, request: Any) -> Response:
        query = ConstructionWorkStatsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        figures = selectors.body_statistics(**{"kind": "", **query.validated_data})
        return Response(ConstructionWorkStatsOut({"totals": figures.totals, "bodies": figures.bodies}).data)


W = "construction/works/<int:pk>/"

urlpatterns = [
    path("construction/works/", WorkList.as_view(), name="construction-works-list"),
    path("construction/works/statistics/", WorkStatistics.as_view(), name="construction-works-statistics"),
    path(W, WorkDetail.as_view(), name="construction-works-detail"),
    path(W + "start/", WorkStart.as_view(), name="construction-works-start"),
    path(W + "suspend/", WorkSuspend.as_view(), name="construction-works-suspend"),
    path(W + "resume/", WorkResume.as_view(), name="construction-works-resume"),
    path(W + "complete/", WorkComplete.as_view(), name="construction-works-complete"),
    path(W + "reschedule/", WorkReschedule.as_view(), name="construction-works-reschedule"),
    path(W + "files/", WorkFiles.as_view(), name="construction-works-files"),
    path(W + "subscribe/", WorkSubscribe.as_view(), name="construction-works-subscribe"),
    path(W + "unsubscribe/", WorkUnsubscribe.as_view(), name="construction-works-unsubscribe"),
    path(W + "rate/", WorkRate.as_view(), name="construction-works-rate"),
]
