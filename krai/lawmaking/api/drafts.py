"""API of the draft under ``/api/v1/lawmaking/initiatives/<id>/``: versions (the list; one with its provisions;
a new one by the editor), the difference of two versions, amendments (list, propose, withdraw, decide) and
comments anchored to provisions (list, add). The same services and selectors as the pages.

Writes made with a token need the scopes ``write`` and ``lawmaking:write`` (derived from this module).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from krai.core.api import Pagination
from krai.lawmaking import diff as differ
from krai.lawmaking import policy
from krai.lawmaking.api.base import LawmakingView, LawmakingWriteView, errors
from krai.lawmaking.api.drafts_io import (
    LawmakingAmendmentIn,
    LawmakingAmendmentOut,
    LawmakingAmendmentQuery,
    LawmakingAnnotationIn,
    LawmakingAnnotationOut,
    LawmakingAnnotationQuery,
    LawmakingDecisionIn,
    LawmakingDiffOut,
    LawmakingDiffQuery,
    LawmakingVersionDetailOut,
    LawmakingVersionIn,
    LawmakingVersionOut,
)
from krai.lawmaking.models import Amendment, Initiative, Version
from krai.lawmaking.selectors import drafts as selectors
from krai.lawmaking.services import amendments as amendment_services
from krai.lawmaking.services import drafts as services

DraftView, DraftWriteView = LawmakingView, LawmakingWriteView


# --- serializers -------------------------------------------------------------------------------------

def _version_detail(viewer: Any, initiative: Initiative, version: Version) -> dict[str, Any]:
    nodes = selectors.flat(selectors.draft_tree(viewer, initiative, version))
    return {**LawmakingVersionOut(version).data, "text": version.text, "provisions": [
        {"key": n.key, "kind": n.provision.kind, "label": n.provision.label, "heading": n.provision.heading,
         "text": n.provision.text, "annotations": n.annotations, "pending_amendments": n.pending} for n in nodes]}


def _version(initiative: Initiative, number: Any) -> Version | None:
    """``number`` of the draft (``None`` → the current one); ``Http404`` when there is no such version."""
    version = selectors.version_of(initiative, number)
    if number is not None and version is None:
        raise Http404
    return version


@extend_schema(tags=["lawmaking"])
class VersionList(DraftWriteView):
    """The draft's versions, the newest first; POST makes a new one (the editor, while the draft is elaborated)."""

    @extend_schema(operation_id="lawmaking_versions_list", responses={200: LawmakingVersionOut(many=True),
                                                                      **errors(404)})
    def get(self, request: Any, pk: int) -> Response:
        initiative = self.initiative(pk)
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.versions(initiative), request, view=self)
        return paginator.get_paginated_response(LawmakingVersionOut(page, many=True).data)

    @extend_schema(operation_id="lawmaking_versions_create", request=LawmakingVersionIn,
                   responses={201: LawmakingVersionDetailOut, **errors(400, 401, 403, 404)})
    def post(self, request: Any, pk: int) -> Response:
        initiative = self.initiative(pk)
        data = self.body(LawmakingVersionIn)
        version = services.version_create(actor=request.user, initiative=initiative, text=data["text"],
                                          note=data["note"])
        return Response(_version_detail(request.user, initiative, version), status=status.HTTP_201_CREATED)


@extend_schema(tags=["lawmaking"])
class VersionDetail(DraftView):
    """One version with its provisions (in reading order) and their counts."""

    @extend_schema(operation_id="lawmaking_versions_retrieve", responses={200: LawmakingVersionDetailOut,
                                                                          **errors(404)})
    def get(self, request: Any, pk: int, number: int) -> Response:
        initiative = self.initiative(pk)
        return Response(_version_detail(request.user, initiative, _version(initiative, number)))


@extend_schema(tags=["lawmaking"])
class Diff(DraftView):
    """The difference of versions ``a`` and ``b`` (default: the previous one and the current one)."""

    @extend_schema(operation_id="lawmaking_versions_diff", parameters=[LawmakingDiffQuery],
                   responses={200: LawmakingDiffOut, **errors(400, 404)})
    def get(self, request: Any, pk: int) -> Response:
        initiative = self.initiative(pk)
        query = LawmakingDiffQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        numbers = list(initiative.versions.order_by("number").values_list("number", flat=True))
        if not numbers:
            raise Http404
        b = query.validated_data.get("b") or numbers[-1]
        a = query.validated_data.get("a") or (numbers[-2] if len(numbers) > 1 else b)
        old, new = _version(initiative, a), _version(initiative, b)
        entries = differ.compare(old.provisions.all(), new.provisions.all())
        return Response({"a": a, "b": b, "summary": differ.summary(entries), "entries": [
            {"key": e.key, "kind": e.kind, "status": e.status, "label": e.label, "old": e.old, "new": e.new,
             "html": str(e.html)} for e in entries]})


@extend_schema(tags=["lawmaking"])
class AmendmentList(DraftWriteView):
    """The draft's amendments (filter by status, provision); POST proposes one."""

    @extend_schema(operation_id="lawmaking_amendments_list", parameters=[LawmakingAmendmentQuery],
                   responses={200: LawmakingAmendmentOut(many=True), **errors(400, 404)})
    def get(self, request: Any, pk: int) -> Response:
        initiative = self.initiative(pk)
        query = LawmakingAmendmentQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.amendments(request.user, initiative, status=query.validated_data.get("status", ""),
                                    key=query.validated_data.get("key", ""))
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(LawmakingAmendmentOut(page, many=True).data)

    @extend_schema(operation_id="lawmaking_amendments_create", request=LawmakingAmendmentIn,
                   responses={201: LawmakingAmendmentOut, **errors(400, 401, 403, 404, 429)})
    def post(self, request: Any, pk: int) -> Response:
        initiative = self.initiative(pk)
        data = self.body(LawmakingAmendmentIn)
        number = data.get("version")
        item = amendment_services.amendment_propose(
            actor=request.user, initiative=initiative, key=data["key"], quote=data["quote"],
            proposed_text=data["proposed_text"], justification=data["justification"],
            version=_version(initiative, number) if number else None)
        return Response(LawmakingAmendmentOut(item).data, status=status.HTTP_201_CREATED)


def _amendment(viewer: Any, initiative: Initiative, amendment: int) -> Amendment:
    item = selectors.amendments(viewer, initiative).filter(pk=selectors.row_id(amendment)).first()
    if item is None:
        raise Http404
    return item


@extend_schema(tags=["lawmaking"])
class AmendmentWithdraw(DraftWriteView):
    @extend_schema(operation_id="lawmaking_amendments_withdraw", request=None, summary="Withdraw my amendment",
                   responses={200: LawmakingAmendmentOut, **errors(400, 401, 403, 404)})
    def post(self, request: Any, pk: int, amendment: int) -> Response:
        initiative = self.initiative(pk)
        item = amendment_services.amendment_withdraw(actor=request.user,
                                                     amendment=_amendment(request.user, initiative, amendment))
        return Response(LawmakingAmendmentOut(item).data)


@extend_schema(tags=["lawmaking"])
class AmendmentDecide(DraftWriteView):
    @extend_schema(operation_id="lawmaking_amendments_decide", request=LawmakingDecisionIn,
                   summary="Accept (applies it in a new version) or reject with a reason (the draft's editor)",
                   responses={200: LawmakingAmendmentOut, **errors(400, 401, 403, 404)})
    def post(self, request: Any, pk: int, amendment: int) -> Response:
        initiative = self.initiative(pk)
        item = _amendment(request.user, initiative, amendment)
        if not policy.is_editor(request.user, initiative):
            raise Http404
        data = self.body(LawmakingDecisionIn)
        item = amendment_services.amendment_decide(actor=request.user, amendment=item, accept=data["accept"],
                                                   reason=data["reason"])
        return Response(LawmakingAmendmentOut(item).data)


@extend_schema(tags=["lawmaking"])
class AnnotationList(DraftWriteView):
    """Comments anchored to provisions (filter by provision; ``version`` shows those up to it); POST adds one."""

    @extend_schema(operation_id="lawmaking_annotations_list", parameters=[LawmakingAnnotationQuery],
                   responses={200: LawmakingAnnotationOut(many=True), **errors(400, 404)})
    def get(self, request: Any, pk: int) -> Response:
        initiative = self.initiative(pk)
        query = LawmakingAnnotationQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        number = query.validated_data.get("version")
        rows = selectors.annotations(request.user, initiative, _version(initiative, number) if number else None)
        if query.validated_data.get("key"):
            rows = rows.filter(key=query.validated_data["key"])
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(LawmakingAnnotationOut(page, many=True).data)

    @extend_schema(operation_id="lawmaking_annotations_create", request=LawmakingAnnotationIn,
                   responses={201: LawmakingAnnotationOut, **errors(400, 401, 403, 404, 429)})
    def post(self, request: Any, pk: int) -> Response:
        initiative = self.initiative(pk)
        data = self.body(LawmakingAnnotationIn)
        number = data.get("version")
        item = services.annotation_add(actor=request.user, initiative=initiative, key=data["key"],
                                       quote=data["quote"], body=data["body"],
                                       version=_version(initiative, number) if number else None)
        return Response(LawmakingAnnotationOut(item).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("lawmaking/initiatives/<int:pk>/versions/", VersionList.as_view(), name="lawmaking-versions"),
    path("lawmaking/initiatives/<int:pk>/versions/<int:number>/", VersionDetail.as_view(),
         name="lawmaking-version"),
    path("lawmaking/initiatives/<int:pk>/diff/", Diff.as_view(), name="lawmaking-diff"),
    path("lawmaking/initiatives/<int:pk>/amendments/", AmendmentList.as_view(), name="lawmaking-amendments"),
    path("lawmaking/initiatives/<int:pk>/amendments/<int:amendment>/withdraw/", AmendmentWithdraw.as_view(),
         name="lawmaking-amendment-withdraw"),
    path("lawmaking/initiatives/<int:pk>/amendments/<int:amendment>/decide/", AmendmentDecide.as_view(),
         name="lawmaking-amendment-decide"),
    path("lawmaking/initiatives/<int:pk>/annotations/", AnnotationList.as_view(), name="lawmaking-annotations"),
]
