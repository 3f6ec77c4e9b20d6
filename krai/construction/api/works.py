"""API of "Find out" about infrastructure works under /api/v1/construction/works/: the list (filters as on the
page, paged) and entering a work, one work and its change, the status moves, the plan's move, files,
subscriptions and ratings, the statistics per responsible body. The same services and selectors as the pages;
another body's work answers the staff's writes 404, like a missing one.

Writes made with a token need the scopes ``write`` and ``construction:write`` (derived from this module).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import parsers, permissions, serializers, status
from rest_framework.response import Response

from krai.construction.api.works_serializers import (
    ConstructionWorkDayIn,
    ConstructionWorkDetailOut,
    ConstructionWorkFileIn,
    ConstructionWorkFileOut,
    ConstructionWorkIn,
    ConstructionWorkNoteIn,
    ConstructionWorkOut,
    ConstructionWorkPageOut,
    ConstructionWorkPatchIn,
    ConstructionWorkQuery,
    ConstructionWorkRateIn,
    ConstructionWorkRatingOut,
    ConstructionWorkReasonIn,
    ConstructionWorkRescheduleIn,
    ConstructionWorkStatsOut,
    ConstructionWorkStatsQuery,
    ConstructionWorkSubscriptionOut,
)
from krai.construction.models import Work
from krai.construction.selectors import works as selectors
from krai.construction.selectors import works_stats
from krai.construction.services import works as services
from krai.construction.services import works_residents
from krai.core.api import Pagination
from krai.core.api_views import AreaView, AreaWriteView, errors


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
        _row, created = works_residents.work_subscribe(actor=request.user, work=work)
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
        works_residents.work_unsubscribe(actor=request.user, work=work)
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
        rating, created = works_residents.work_rate(actor=request.user, work=work, **self.body(ConstructionWorkRateIn))
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
        figures = works_stats.body_statistics(**{"kind": "", **query.validated_data})
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
