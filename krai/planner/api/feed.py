"""The planner's iCalendar API under /api/v1/planner/: the person's feed addresses (list; POST makes one and answers
its address this once; DELETE revokes one) and the import of an .ics file (``?dry_run=1`` only previews). The same
services as the pages; members of staff only. Writes made with a token need ``write`` and ``planner:write``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from krai.core.api_views import AreaWriteView, errors
from krai.planner.services import feed as services
from krai.planner.services import ics_import


class PlannerFeedOut(serializers.Serializer):
    id = serializers.IntegerField()
    prefix = serializers.CharField(help_text="The start of the secret address, to tell feeds apart")
    created_at = serializers.DateTimeField()
    last_used_at = serializers.DateTimeField(allow_null=True, help_text="When a calendar last read it")
    revoked_at = serializers.DateTimeField(allow_null=True)


class PlannerFeedCreatedOut(PlannerFeedOut):
    address = serializers.URLField(help_text="The feed's whole address: answered this once, never again")


class PlannerImportIn(serializers.Serializer):
    file = serializers.FileField(help_text="An iCalendar (.ics) file, at most 2 MB")


class PlannerImportRowOut(serializers.Serializer):
    uid = serializers.CharField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    all_day = serializers.BooleanField()
    repeats = serializers.BooleanField()
    action = serializers.ChoiceField(choices=[("add", "add"), ("update", "update"), ("same", "same")])


class PlannerImportOut(serializers.Serializer):
    dry_run = serializers.BooleanField(help_text="True: nothing was stored")
    added = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField(help_text="Entries already the same in the planner")
    skipped = serializers.IntegerField(help_text="Events left out (cancelled)")
    rows = PlannerImportRowOut(many=True, source="first_rows", help_text="The first entries of the file")


class _Planner(AreaWriteView):
    permission_classes = [permissions.IsAuthenticated]

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if not request.user.has_perm(services.USE):
            raise PermissionDenied(_("The planner is for members of staff."))


@extend_schema(tags=["planner"])
class FeedList(_Planner):
    """The caller's calendar feeds, those in force first; POST makes a new feed address."""

    @extend_schema(operation_id="planner_feeds_list", responses={200: PlannerFeedOut(many=True), **errors(401, 403)})
    def get(self, request: Any) -> Response:
        return Response(PlannerFeedOut(services.feeds_of(request.user), many=True).data)

    @extend_schema(operation_id="planner_feeds_create", request=None,
                   description="Make a new feed address for the caller's planner; the answer holds the whole "
                               "address (``address``) this once — it is never shown again, only its prefix.",
                   responses={201: PlannerFeedCreatedOut, **errors(400, 401, 403, 429)})
    def post(self, request: Any) -> Response:
        issued = services.feed_create(actor=request.user)
        data = dict(PlannerFeedOut(issued.feed).data)
        data["address"] = request.build_absolute_uri(reverse("planner:feed_ics", kwargs={"token": issued.token}))
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["planner"])
class FeedDetail(_Planner):
    """One of the caller's feeds; DELETE revokes it (calendars subscribed to it get nothing more)."""

    @extend_schema(operation_id="planner_feeds_retrieve", responses={200: PlannerFeedOut, **errors(401, 403, 404)})
    def get(self, request: Any, pk: int) -> Response:
        return Response(PlannerFeedOut(services.feed_get_for_user(request.user, pk)).data)

    @extend_schema(operation_id="planner_feeds_destroy",
                   description="Revoke the feed: calendars subscribed with its address get 404 from now on.",
                   responses={204: None, **errors(401, 403, 404, 429)})
    def delete(self, request: Any, pk: int) -> Response:
        services.feed_revoke(actor=request.user, feed=services.feed_get_for_user(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["planner"])
class Import(_Planner):
    """Import an .ics file into the caller's planner, all or nothing (the same UIDs again update, never double);
    with ``dry_run=1`` only say what it would do. Not iCalendar, too big or broken: 400, nothing stored."""

    parser_classes = [MultiPartParser]

    @extend_schema(operation_id="planner_import", request={"multipart/form-data": PlannerImportIn},
                   parameters=[OpenApiParameter("dry_run", bool, description="1: preview only, nothing stored")],
                   responses={200: PlannerImportOut, 201: PlannerImportOut, **errors(400, 401, 403, 429)})
    def post(self, request: Any) -> Response:
        upload = self.body(PlannerImportIn)["file"]
        if upload.size > ics_import.MAX_BYTES:
            raise serializers.ValidationError({"file": [_("The file is larger than %(size)d MB.")
                                                        % {"size": ics_import.MAX_BYTES // (1024 * 1024)}]})
        data = upload.read()
        dry_run = request.query_params.get("dry_run", "") in ("1", "true", "yes")
        if dry_run:
            plan = ics_import.ics_plan(actor=request.user, data=data)
        else:
            plan = ics_import.ics_import(actor=request.user, data=data,
                                         written_by=getattr(request, "real_user", None) or request.user)
        out = PlannerImportOut({"dry_run": dry_run, "added": plan.added, "updated": plan.updated,
                                "unchanged": plan.unchanged, "skipped": plan.skipped, "first_rows": plan.first_rows})
        return Response(out.data, status=status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED)


urlpatterns = [
    path("planner/feeds/", FeedList.as_view(), name="planner-feeds"),
    path("planner/feeds/<int:pk>/", FeedDetail.as_view(), name="planner-feed"),
    path("planner/import/", Import.as_view(), name="planner-import"),
]
