"""API of the target indicators monitor, under /api/v1/monitoring/: the indicators with their deviation now (or
as of a day), one indicator with its plan versions and periods, the reports, and submitting a report's values.
A report from a file goes through the import kernel: POST /api/v1/imports/indicators.report/ (option report)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.core.api import Pagination
from krai.monitoring.indicators import selectors, services
from krai.monitoring.indicators.models import Indicator
from krai.org.models import Municipality, Organisation


class StaffView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        if not request.user.has_perm("indicators.view"):
            raise exceptions.PermissionDenied

    def handle_exception(self, exc):
        if isinstance(exc, DjangoPermissionDenied):
            exc = exceptions.PermissionDenied(str(exc) or None)
        return super().handle_exception(exc)


class IndicatorTableQuery(serializers.Serializer):
    as_of = serializers.DateField(required=False, help_text="the deviation as of the end of this day")
    block = serializers.IntegerField(required=False)
    organisation = serializers.IntegerField(required=False)
    municipality = serializers.SlugField(required=False, help_text="a municipality's code (default: the total)")
    project = serializers.CharField(required=False)


class IndicatorRowOut(serializers.Serializer):
    code = serializers.CharField(source="indicator.code")
    name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    owner_organisation = serializers.IntegerField(source="indicator.owner_organisation_id")
    national_project = serializers.CharField(source="indicator.national_project")
    period = serializers.SerializerMethodField()
    actual = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    plan = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    deviation = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True,
                                         help_text="% — negative is behind the plan")
    colour = serializers.ChoiceField(choices=["ok", "warn", "critical", "none"])
    report = serializers.IntegerField(source="report_id", allow_null=True)

    def get_period(self, row) -> str | None:
        return f"{row.year}-{row.month:02d}" if row.month else None


class IndicatorPointOut(serializers.Serializer):
    period = serializers.CharField()
    actual = serializers.DecimalField(max_digits=24, decimal_places=4)
    plan = serializers.DecimalField(max_digits=24, decimal_places=4, allow_null=True)
    report = serializers.IntegerField()


class IndicatorOut(serializers.ModelSerializer):
    # plain strings: the choice sets' names (kind, frequency…) are taken by other areas' enums in the schema
    direction = serializers.CharField(help_text="up (the more the better) or down")
    kind = serializers.CharField(help_text="cumulative (year to date) or level")
    plan_basis = serializers.CharField(help_text="annual or monthly")
    frequency = serializers.CharField(help_text="monthly or quarterly")

    class Meta:
        model = Indicator
        fields = ["code", "name", "name_en", "unit", "direction", "kind", "plan_basis", "frequency", "methodology",
                  "owner_organisation", "national_project", "programme", "warn_pct", "critical_pct"]


class IndicatorReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    period = serializers.SerializerMethodField()
    due_on = serializers.DateField()
    status = serializers.CharField()
    submitted_on = serializers.DateField(allow_null=True)
    late = serializers.BooleanField(source="is_late")

    def get_period(self, report) -> str:
        return f"{report.year}-{report.month:02d}"


class IndicatorValueIn(serializers.Serializer):
    indicator = serializers.SlugField()
    municipality = serializers.SlugField(required=False, allow_null=True, allow_blank=True)
    value = serializers.DecimalField(max_digits=20, decimal_places=4)


class IndicatorSubmitIn(serializers.Serializer):
    values = IndicatorValueIn(many=True, allow_empty=False)


class IndicatorList(StaffView):
    @extend_schema(parameters=[IndicatorTableQuery], responses={200: IndicatorRowOut(many=True)},
                   summary="Indicators the caller sees, with the deviation now (or as of a day)")
    def get(self, request):
        query = IndicatorTableQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        organisation = Organisation.objects.filter(pk=q["organisation"]).first() if q.get("organisation") else None
        place = Municipality.objects.filter(code=q["municipality"]).first() if q.get("municipality") else None
        if q.get("municipality") and place is None:
            raise exceptions.ValidationError({"municipality": ["no municipality with this code"]})
        rows = selectors.deviation_table(user=request.user, as_of=q.get("as_of"), block=q.get("block"),
                                         organisation=organisation, municipality=place.pk if place else None,
                                         project=q.get("project", ""))
        paginator = Pagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(IndicatorRowOut(page, many=True).data)


class IndicatorDetail(StaffView):
    @extend_schema(parameters=[IndicatorTableQuery], responses={200: IndicatorOut}, summary="One indicator")
    def get(self, request, code: str):
        indicator = selectors.indicator_get(user=request.user, code=code)
        query = IndicatorTableQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        as_of = query.validated_data.get("as_of")
        versions = [{"number": v.number, "act": v.act, "valid_from": v.valid_from,
                     "values": [{"municipality": p.municipality.code if p.municipality else None, "year": p.year,
                                 "month": p.month, "value": str(p.value)} for p in v.values.all()]}
                    for v in selectors.plan_history(indicator)]
        return Response({**IndicatorOut(indicator).data, "deviation": IndicatorRowOut(selectors.deviation_of(
            indicator, as_of=as_of)).data, "plan_versions": versions,
            "periods": IndicatorPointOut(selectors.series(indicator, as_of=as_of), many=True).data})


class ReportList(StaffView):
    @extend_schema(responses={200: IndicatorReportOut(many=True)}, summary="Reports the caller sees (status=overdue…)")
    def get(self, request):
        status = request.query_params.get("status", "")
        qs = selectors.overdue_reports(request.user) if status == "overdue" else selectors.reports_for(request.user)
        if status in ("due", "submitted"):
            qs = qs.filter(status=status)
        paginator = Pagination()
        page = paginator.paginate_queryset(qs.order_by("-year", "-month", "organisation_id"), request, view=self)
        return paginator.get_paginated_response(IndicatorReportOut(page, many=True).data)


class ReportSubmit(StaffView):
    @extend_schema(request=IndicatorSubmitIn, responses={200: IndicatorReportOut},
                   summary="Submit (or correct) a report's values")
    def post(self, request, pk: int):
        report = selectors.report_get(user=request.user, pk=pk)
        body = IndicatorSubmitIn(data=request.data)
        body.is_valid(raise_exception=True)
        indicators = {i.code: i for i in selectors.report_indicators(report)}
        places = {m.code: m for m in Municipality.objects.filter(
            code__in={v.get("municipality") for v in body.validated_data["values"] if v.get("municipality")})}
        values, errors = [], {}
        for n, item in enumerate(body.validated_data["values"]):
            code, place = item["indicator"], item.get("municipality") or ""
            if code not in indicators:
                errors[f"values[{n}].indicator"] = ["not reported by this organisation in this month"]
            elif place and place not in places:
                errors[f"values[{n}].municipality"] = ["no municipality with this code"]
            else:
                values.append((indicators[code], places.get(place), item["value"]))
        if errors:
            raise exceptions.ValidationError(errors)
        report = services.report_submit(actor=request.user, report=report, values=values)
        return Response(IndicatorReportOut(report).data)


urlpatterns = [
    path("indicators/", IndicatorList.as_view(), name="indicators-list"),
    path("indicators/<slug:code>/", IndicatorDetail.as_view(), name="indicators-detail"),
    path("indicator-reports/", ReportList.as_view(), name="indicators-reports"),
    path("indicator-reports/<int:pk>/submit/", ReportSubmit.as_view(), name="indicators-report-submit"),
]
