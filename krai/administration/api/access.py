"""Access management's API under /api/v1/administration/: the people of the staff (paged, filtered) and one person
with his roles, scope in words and deputyships; the bulk change (``dry_run`` for its preview), all or nothing; the
reviews of who can see an organisation, a municipality or a block, and of what a person sees and may do.

Roles one at a time are given and taken through the structure's ``/api/v1/role-assignments/`` and accounts changed
through ``/api/v1/users/``; this API adds what they lack. Reads need ``administration.review_access``
(administrators, the Department of Control), the bulk change ``administration.manage_access``; a token's write needs
the scopes ``write`` and ``administration:write``. A person or an object outside the reader's reach answers 404,
like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.response import Response

from krai.administration.api.access_serializers import (
    AccessBulkIn,
    AccessBulkOut,
    AccessObjectReviewOut,
    AccessPeoplePageOut,
    AccessPeopleQuery,
    AccessPersonDetailOut,
    AccessPersonOut,
    AccessPersonReviewOut,
    AccessReviewQuery,
)
from krai.administration.selectors import access as selectors
from krai.administration.selectors import access_review as reviews
from krai.administration.selectors.access_bulk import BulkPreview, bulk_preview, summary
from krai.administration.services.access import bulk_access_change
from krai.core.api import Pagination
from krai.core.api_views import AreaView, AreaWriteView, errors

TAGS = ["administration"]


class _Reader(AreaView):
    permission_classes = [permissions.IsAuthenticated]

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        selectors.require_review(request.user)

    def query(self, serializer_class: type) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


@extend_schema(tags=TAGS)
class PeopleList(_Reader):
    """The staff the reader may review, by surname, each with his roles."""

    @extend_schema(operation_id="administration_people_list", parameters=[AccessPeopleQuery],
                   responses={200: AccessPeoplePageOut, **errors(400, 401, 403)})
    def get(self, request: Any) -> Response:
        query = self.query(AccessPeopleQuery)
        rows = selectors.people_list(user=request.user, search=query.get("q", ""),
                                     organisation=query.get("organisation"), role=query.get("role", ""),
                                     active={"yes": True, "no": False}.get(query.get("active", "")))
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        context = {"systems": selectors.system_account_ids()}
        return paginator.get_paginated_response(AccessPersonOut(page, many=True, context=context).data)


@extend_schema(tags=TAGS)
class PersonDetail(_Reader):
    """One person: his roles with scopes, what his scope covers in words, his posts and deputyships now and coming."""

    @extend_schema(operation_id="administration_people_retrieve",
                   responses={200: AccessPersonDetailOut, **errors(401, 403, 404)})
    def get(self, request: Any, pk: int) -> Response:
        person = selectors.person_get(user=request.user, pk=pk)
        person.__dict__.pop("_krai_scope", None)
        deputyships = selectors.deputyships_of(person)
        person.scope = selectors.scope_summary(person)
        person.positions_held = selectors.positions_of(person)
        person.acts_for, person.acted_for_by = deputyships.acts_for, deputyships.acted_for_by
        data = AccessPersonDetailOut(person, context={"systems": selectors.system_account_ids()}).data
        return Response(data)


def _bulk_out(preview: BulkPreview, *, dry_run: bool) -> dict[str, Any]:
    return AccessBulkOut({"dry_run": dry_run, "applied": not dry_run, "action": preview.action,
                          "total": preview.total, "changes": preview.changes, "unchanged": preview.unchanged,
                          "refused": preview.refused, "summary": summary(preview), "lines": preview.lines}).data


@extend_schema(tags=TAGS)
class Bulk(AreaWriteView):
    """Give one role within one scope, take one role away, or close the accounts of several people — all or
    nothing. With ``dry_run`` only the preview: what would happen to each person."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(operation_id="administration_bulk_create", request=AccessBulkIn,
                   responses={200: AccessBulkOut, **errors(400, 401, 403, 429)})
    def post(self, request: Any) -> Response:
        data = self.body(AccessBulkIn)
        dry_run = data.pop("dry_run")
        data = {key: value for key, value in data.items() if value is not None}
        if dry_run:
            return Response(_bulk_out(bulk_preview(actor=request.user, **data), dry_run=True))
        return Response(_bulk_out(bulk_access_change(actor=request.user, **data), dry_run=False))


@extend_schema(tags=TAGS)
class Review(_Reader):
    """Everyone whose scope covers an organisation, a municipality or a block (name one), and through what."""

    @extend_schema(operation_id="administration_review_retrieve", parameters=[AccessReviewQuery],
                   responses={200: AccessObjectReviewOut, **errors(400, 401, 403, 404)})
    def get(self, request: Any) -> Response:
        query = self.query(AccessReviewQuery)
        kind, pk = next(iter(query.items()))
        obj = reviews.reviewable_get(user=request.user, kind=kind, pk=pk)
        return Response(AccessObjectReviewOut(reviews.review_object(user=request.user, obj=obj)).data)


@extend_schema(tags=TAGS)
class PersonReview(_Reader):
    """What a person sees (in words, with counts of organisations) and the key permissions of every section."""

    @extend_schema(operation_id="administration_review_people_retrieve",
                   responses={200: AccessPersonReviewOut, **errors(401, 403, 404)})
    def get(self, request: Any, pk: int) -> Response:
        person = selectors.person_get(user=request.user, pk=pk)
        return Response(AccessPersonReviewOut(reviews.review_person(user=request.user, person=person)).data)


urlpatterns = [
    path("administration/people/", PeopleList.as_view(), name="administration-people"),
    path("administration/people/<int:pk>/", PersonDetail.as_view(), name="administration-person"),
    path("administration/bulk/", Bulk.as_view(), name="administration-bulk"),
    path("administration/review/", Review.as_view(), name="administration-review"),
    path("administration/review/people/<int:pk>/", PersonReview.as_view(), name="administration-review-person"),
]
