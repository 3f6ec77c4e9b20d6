"""API of the community's moderation under /api/v1/social/:

* ``reports/`` — POST a report (any signed-in user: ``kind``, ``id``, ``reason``, ``details``); GET the queue
  (moderators: open reports grouped by object, ``?reason=``, ``?kind=``, paged);
* ``reports/{id}/`` — GET a report (moderators). A report about a message carries the message and up to five
  before it, only while the report is open, and each such answer is recorded like the page's opening;
* ``reports/{id}/resolve/`` — POST ``action``: ``hide`` (``reason``), ``restore`` (``note``), ``dismiss``
  (``note``) or ``ban`` (``reason``, ``ends_at``);
* ``bans/`` — GET bans (``?active=false`` for ended and lifted ones), POST a ban (``user``, ``reason``,
  ``ends_at``); ``bans/{id}/lift/`` — POST ``reason``.

Anyone but a moderator gets 404 on the moderators' resources.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.core.api import Pagination
from krai.social import policy, services
from krai.social.models import AbuseReport, Ban, Message
from krai.social.selectors import moderation as selectors

ERRORS = {
    400: OpenApiResponse(description='Invalid input, a duplicate report or a banned reporter: {"error": {…}}'),
    401: OpenApiResponse(description="Not signed in"),
    403: OpenApiResponse(description="Not allowed; the message says why"),
    404: OpenApiResponse(description="Missing, or not visible to the caller (the same answer)"),
}


def errors(*codes: int) -> dict[int, OpenApiResponse]:
    return {code: ERRORS[code] for code in codes}


class AbuseReportIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=selectors.KIND_NAMES)
    id = serializers.CharField(max_length=64)
    reason = serializers.ChoiceField(choices=AbuseReport.Reason.choices)
    details = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AbuseReportOut(serializers.ModelSerializer):
    kind = serializers.SerializerMethodField()

    class Meta:
        model = AbuseReport
        fields = ["id", "kind", "object_id", "reason", "status", "created_at"]

    def get_kind(self, report: AbuseReport) -> str:
        return selectors.kind_of(selectors.target_of(report)) or report.content_type.model


class AbuseReportFull(AbuseReportOut):
    class Meta:
        model = AbuseReport
        fields = ["id", "kind", "object_id", "reason", "details", "status", "target_owner", "reporter",
                  "decision_note", "handled_by", "handled_at", "created_at"]


class AbuseReportResolveIn(serializers.Serializer):
    action = serializers.ChoiceField(choices=["hide", "restore", "dismiss", "ban"])
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    ends_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class SocialBanIn(serializers.Serializer):
    user = serializers.IntegerField()
    reason = serializers.CharField(max_length=2000)
    ends_at = serializers.DateTimeField()
    report = serializers.IntegerField(required=False, allow_null=True, default=None)


class SocialBanOut(serializers.ModelSerializer):
    class Meta:
        model = Ban
        fields = ["id", "user", "reason", "report", "starts_at", "ends_at", "created_by", "lifted_at", "lifted_by"]


class SocialBanLiftIn(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ModerationView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DjangoPermissionDenied) and str(exc):
            exc = exceptions.PermissionDenied(str(exc))
        return super().handle_exception(exc)

    def moderator(self) -> None:
        if not policy.is_moderator(self.request.user):
            raise Http404

    def body(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class Reports(ModerationView):
    @extend_schema(operation_id="social_reports_queue", responses={200: OpenApiResponse(
        description="Open reports grouped by object: report (the first), kind, object_id, count, reasons, since"),
        **errors(401, 404)}, summary="The moderators' queue")
    def get(self, request: Request) -> Response:
        self.moderator()
        groups = selectors.queue(user=request.user, reason=request.query_params.get("reason", ""),
                                 kind=request.query_params.get("kind", ""))
        paginator = Pagination()
        page = paginator.paginate_queryset(groups, request, view=self)
        rows = [{"report": row.report_id, "kind": row.kind, "object_id": row.object_id, "count": row.count,
                 "reasons": row.reasons, "since": row.first_at, "account": row.owner_id}
                for row in selectors.queue_rows(page)]
        return paginator.get_paginated_response(rows)

    @extend_schema(operation_id="social_reports_create", request=AbuseReportIn,
                   responses={201: AbuseReportOut, **errors(400, 401, 404)}, summary="Report something")
    def post(self, request: Request) -> Response:
        data = self.body(AbuseReportIn)
        target = selectors.report_target(user=request.user, kind=data["kind"], pk=data["id"])
        report = services.report_create(actor=request.user, target=target, reason=data["reason"],
                                        details=data["details"])
        return Response(AbuseReportOut(report).data, status=status.HTTP_201_CREATED)


class ReportDetail(ModerationView):
    @extend_schema(operation_id="social_reports_retrieve", responses={200: AbuseReportFull, **errors(401, 404)},
                   summary="A report and what it is about (a message: recorded opening)")
    def get(self, request: Request, pk: int) -> Response:
        report = selectors.report_get(user=request.user, pk=pk)
        target = selectors.target_of(report)
        data = dict(AbuseReportFull(report).data)
        data["target"] = None if target is None else {
            "hidden": selectors.is_hidden(target), "text": selectors.target_text(target)}
        if isinstance(target, Message) and report.status == AbuseReport.Status.OPEN:
            data["messages"] = [{"id": m.pk, "sender": m.sender_id, "text": m.body, "sent": m.created_at,
                                 "reported": m.pk == target.pk}
                                for m in services.message_inspect(actor=request.user, report=report)]
        return Response(data)


class Resolve(ModerationView):
    @extend_schema(operation_id="social_reports_resolve", request=AbuseReportResolveIn,
                   responses={200: AbuseReportFull, **errors(400, 401, 403, 404)},
                   summary="Hide or restore the object, dismiss the reports, or ban the account")
    def post(self, request: Request, pk: int) -> Response:
        report = selectors.report_get(user=request.user, pk=pk)
        data = self.body(AbuseReportResolveIn)
        target = selectors.target_of(report)
        action = data["action"]
        if target is None and action in ("hide", "restore"):
            raise Http404
        if action == "hide":
            services.content_hide(actor=request.user, target=target, reason=data["reason"])
        elif action == "restore":
            services.content_restore(actor=request.user, target=target, note=data["note"])
        elif action == "dismiss":
            services.report_dismiss(actor=request.user, report=report, note=data["note"])
        else:
            services.ban_create(actor=request.user, user=report.target_owner, reason=data["reason"],
                                ends_at=data["ends_at"], report=report)
        report.refresh_from_db()
        return Response(AbuseReportFull(report).data)


class Bans(ModerationView):
    @extend_schema(operation_id="social_bans_list", responses={200: SocialBanOut(many=True), **errors(401, 404)},
                   summary="Bans in force (?active=false: ended and lifted ones)")
    def get(self, request: Request) -> Response:
        self.moderator()
        active = request.query_params.get("active", "true").lower() not in ("false", "0", "no")
        paginator = Pagination()
        page = paginator.paginate_queryset(selectors.bans_for(user=request.user, active=active), request, view=self)
        return paginator.get_paginated_response(SocialBanOut(page, many=True).data)

    @extend_schema(operation_id="social_bans_create", request=SocialBanIn,
                   responses={201: SocialBanOut, **errors(400, 401, 403, 404)}, summary="Ban an account until a date")
    def post(self, request: Request) -> Response:
        self.moderator()
        data = self.body(SocialBanIn)
        user = get_user_model().objects.filter(pk=data["user"], is_active=True).first()
        if user is None:
            raise Http404
        report = selectors.report_get(user=request.user, pk=data["report"]) if data["report"] else None
        ban = services.ban_create(actor=request.user, user=user, reason=data["reason"], ends_at=data["ends_at"],
                                  report=report)
        return Response(SocialBanOut(ban).data, status=status.HTTP_201_CREATED)


class BanLift(ModerationView):
    @extend_schema(operation_id="social_bans_lift", request=SocialBanLiftIn,
                   responses={200: SocialBanOut, **errors(400, 401, 404)}, summary="Lift a ban early")
    def post(self, request: Request, pk: int) -> Response:
        ban = selectors.ban_get(user=request.user, pk=pk)
        data = self.body(SocialBanLiftIn)
        return Response(SocialBanOut(services.ban_lift(actor=request.user, ban=ban, reason=data["reason"])).data)


urlpatterns = [
    path("social/reports/", Reports.as_view(), name="social-reports"),
    path("social/reports/<int:pk>/", ReportDetail.as_view(), name="social-report"),
    path("social/reports/<int:pk>/resolve/", Resolve.as_view(), name="social-report-resolve"),
    path("social/bans/", Bans.as_view(), name="social-bans"),
    path("social/bans/<int:pk>/lift/", BanLift.as_view(), name="social-ban-lift"),
]
