"""API of the monitor (Lawsuits), under /api/v1/monitoring/lawsuits/."""

from __future__ import annotations

import datetime as dt

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.core.api import Pagination
from krai.monitoring.lawsuits import selectors, services
from krai.monitoring.lawsuits.models import CourtCase, Hearing, StageChange
from krai.org.models import Organisation, User


class _Staff(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm("monitoring.access"))


class HearingOut(serializers.ModelSerializer):
    class Meta:
        model = Hearing
        fields = ["id", "case", "starts_at", "room", "result"]


class StageOut(serializers.ModelSerializer):
    class Meta:
        model = StageChange
        fields = ["stage", "on", "note"]


class CaseOut(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lawyer = serializers.EmailField(source="lawyer.email", default=None, read_only=True)
    no_next_step = serializers.SerializerMethodField()

    class Meta:
        model = CourtCase
        fields = ["id", "number", "court", "instance", "category", "organisation", "our_side", "other_parties",
                  "amount_claimed", "stage", "stage_changed_on", "outcome", "amount_awarded", "lawyer", "filed_on",
                  "closed_on", "no_next_step"]

    def get_no_next_step(self, case) -> bool:
        return case.pk in self.context.get("flagged", set())


class CaseDetailOut(CaseOut):
    hearings = HearingOut(many=True, read_only=True)
    stages = StageOut(many=True, read_only=True, source="stage_changes")

    class Meta(CaseOut.Meta):
        fields = [*CaseOut.Meta.fields, "description", "hearings", "stages"]


class CaseIn(serializers.Serializer):
    number = serializers.CharField(max_length=100)
    court = serializers.CharField(max_length=300)
    organisation = serializers.SlugRelatedField(slug_field="code", queryset=Organisation.objects.all())
    our_side = serializers.ChoiceField(choices=CourtCase.Side.choices)
    category = serializers.ChoiceField(choices=CourtCase.Category.choices, required=False)
    instance = serializers.ChoiceField(choices=CourtCase.Instance.choices, required=False)
    other_parties = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    amount_claimed = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, min_value=0)
    filed_on = serializers.DateField()
    lawyer = serializers.SlugRelatedField(slug_field="email", queryset=User.objects.filter(is_staff=True),
                                          required=False, allow_null=True)


class Cases(generics.GenericAPIView):
    """Cases in the user's scope; filters ``organisation``, ``category``, ``stage`` (or ``open``), ``q``,
    ``flagged=1`` (no next step), ``mine=1``."""

    permission_classes = [_Staff]
    pagination_class = Pagination
    serializer_class = CaseOut

    @extend_schema(operation_id="monitoring_lawsuits_cases_list", responses=CaseOut(many=True))
    def get(self, request):
        p = request.query_params
        cases = selectors.case_list(request.user, organisation=p.get("organisation", ""),
                                    category=p.get("category", ""), stage=p.get("stage", ""), q=p.get("q", ""),
                                    flagged=p.get("flagged") == "1", lawyer_me=p.get("mine") == "1")
        page = self.paginate_queryset(cases)
        data = CaseOut(page, many=True, context={"flagged": selectors.flagged_ids(request.user)}).data
        return self.get_paginated_response(data)

    @extend_schema(request=CaseIn, responses={201: CaseDetailOut})
    def post(self, request):
        data = CaseIn(data=request.data)
        data.is_valid(raise_exception=True)
        case = services.case_create(actor=request.user, **data.validated_data)
        return Response(CaseDetailOut(case).data, status=status.HTTP_201_CREATED)


class CaseDetail(APIView):
    permission_classes = [_Staff]

    @extend_schema(responses=CaseDetailOut)
    def get(self, request, pk: int):
        case = selectors.case_for_user(request.user, pk)
        return Response(CaseDetailOut(case, context={"flagged": selectors.flagged_ids(request.user)}).data)


class StageIn(serializers.Serializer):
    stage = serializers.ChoiceField(choices=CourtCase._meta.get_field("stage").choices)
    on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class HearingIn(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    room = serializers.CharField(required=False, allow_blank=True, max_length=100)


class OutcomeIn(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=CourtCase.Outcome.choices)
    amount_awarded = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True,
                                              min_value=0)


class CaseAction(APIView):
    """``stage`` — change the stage; ``hearings`` — add a hearing; ``outcome`` — record it; ``order`` — open one."""

    permission_classes = [_Staff]
    action_name = ""

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    def post(self, request, pk: int):
        case = selectors.case_for_user(request.user, pk)
        if self.action_name == "order":
            assignment = services.case_to_order(actor=request.user, case=case)
            return Response({"assignment": assignment.pk}, status=status.HTTP_201_CREATED)
        serializer = {"stage": StageIn, "hearings": HearingIn, "outcome": OutcomeIn}[self.action_name](
            data=request.data)
        serializer.is_valid(raise_exception=True)
        if self.action_name == "hearings":
            hearing = services.hearing_add(actor=request.user, case=case, **serializer.validated_data)
            return Response(HearingOut(hearing).data, status=status.HTTP_201_CREATED)
        if self.action_name == "stage":
            services.case_change_stage(actor=request.user, case=case, **serializer.validated_data)
        else:
            services.case_record_outcome(actor=request.user, case=case, **serializer.validated_data)
        return Response(CaseDetailOut(case).data)


class Hearings(APIView):
    """Hearings of the cases in scope between ``from`` and ``to`` (dates; default: the next 30 days)."""

    permission_classes = [_Staff]

    @extend_schema(responses=OpenApiTypes.OBJECT, parameters=[
        OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("to", OpenApiTypes.DATE)])
    def get(self, request):
        today = timezone.localdate()
        try:
            start = dt.date.fromisoformat(request.query_params.get("from") or today.isoformat())
            end = dt.date.fromisoformat(request.query_params.get("to") or (start + dt.timedelta(days=30)).isoformat())
        except ValueError as exc:
            raise serializers.ValidationError({"from": ["YYYY-MM-DD"]}) from exc
        hearings = Hearing.objects.filter(case__in=selectors.cases_visible_to(request.user),
                                          starts_at__date__gte=start, starts_at__date__lte=end)[:1000]
        return Response({"from": start, "to": end, "hearings": HearingOut(hearings, many=True).data})


urlpatterns = [
    path("lawsuits/cases/", Cases.as_view(), name="lawsuits-cases"),
    path("lawsuits/cases/<int:pk>/", CaseDetail.as_view(), name="lawsuits-case"),
    path("lawsuits/cases/<int:pk>/stage/", CaseAction.as_view(action_name="stage"), name="lawsuits-case-stage"),
    path("lawsuits/cases/<int:pk>/hearings/", CaseAction.as_view(action_name="hearings"),
         name="lawsuits-case-hearings"),
    path("lawsuits/cases/<int:pk>/outcome/", CaseAction.as_view(action_name="outcome"), name="lawsuits-case-outcome"),
    path("lawsuits/cases/<int:pk>/order/", CaseAction.as_view(action_name="order"), name="lawsuits-case-order"),
    path("lawsuits/hearings/", Hearings.as_view(), name="lawsuits-hearings"),
]
