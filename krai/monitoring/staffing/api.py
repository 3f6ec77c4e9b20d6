"""API of the monitor (Staff completeness), under /api/v1/monitoring/staffing/."""

from __future__ import annotations

from django.http import Http404
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.monitoring.staffing import selectors, services
from krai.monitoring.staffing.models import Employment, StaffPosition, Vacancy


class _Staff(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm("monitoring.access"))


class RateOut(serializers.Serializer):
    key = serializers.CharField(source="extra.organisation", default="")
    block = serializers.CharField(source="extra.block", default="")
    name = serializers.CharField(source="label")
    positions = serializers.IntegerField()
    planned = serializers.DecimalField(max_digits=10, decimal_places=2)
    filled = serializers.DecimalField(max_digits=10, decimal_places=2)
    percent = serializers.IntegerField(allow_null=True)


class EmploymentOut(serializers.ModelSerializer):
    class Meta:
        model = Employment
        fields = ["id", "person_name", "rate", "started_on", "ended_on", "acting", "on_leave"]


class VacancyOut(serializers.ModelSerializer):
    class Meta:
        model = Vacancy
        fields = ["id", "staff_position", "opened_on", "closed_on", "critical", "note"]


class PositionOut(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    employments = EmploymentOut(many=True, source="current")
    vacancies = VacancyOut(many=True, source="open_vacancies")

    class Meta:
        model = StaffPosition
        fields = ["id", "unit", "title", "category", "rate", "critical", "employments", "vacancies"]


class Rates(APIView):
    """Fill rates: ``?block=`` a block's bodies, ``?organisation=`` a body's units; the scope's default level."""

    permission_classes = [_Staff]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        rates = selectors.fill_rates(request.user, block=request.query_params.get("block", ""),
                                     organisation=request.query_params.get("organisation", ""))
        return Response({"level": rates["level"], "on": rates["on"], "threshold": rates["threshold"],
                         "total": RateOut(rates["total"]).data, "rows": RateOut(rates["rows"], many=True).data})


class Risks(APIView):
    permission_classes = [_Staff]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        risks = selectors.risks(request.user)
        return Response({"days": risks["days"], "threshold": risks["threshold"],
                         "vacancies": [{**VacancyOut(v).data, "organisation": v.staff_position.table.organisation.code,
                                        "unit": v.staff_position.unit.code, "title": v.staff_position.title,
                                        "days_open": v.days_open} for v in risks["vacancies"]],
                         "units": RateOut(risks["units"], many=True).data})


class Table(APIView):
    """A body's current staffing table: positions, current employments, open vacancies."""

    permission_classes = [_Staff]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request, code: str):
        body = selectors.organisation_for_user(request.user, code)
        page = selectors.organisation_page(request.user, body)
        table = page["table"]
        return Response({"organisation": body.code, "act_number": table.act_number if table else "",
                         "act_date": table.act_date if table else None,
                         "valid_from": table.valid_from if table else None,
                         "percent": page["rates"]["total"].percent,
                         "positions": PositionOut(page["positions"], many=True).data})


def _position(request, pk) -> StaffPosition:
    position = selectors.positions_visible_to(request.user).filter(pk=pk, table__is_current=True).first()
    if position is None:
        raise Http404
    return position


class VacancyIn(serializers.Serializer):
    staff_position = serializers.IntegerField()
    opened_on = serializers.DateField(required=False)
    critical = serializers.BooleanField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class Vacancies(APIView):
    permission_classes = [_Staff]

    @extend_schema(request=VacancyIn, responses={201: VacancyOut})
    def post(self, request):
        data = VacancyIn(data=request.data)
        data.is_valid(raise_exception=True)
        position = _position(request, data.validated_data["staff_position"])
        vacancy = services.vacancy_open(actor=request.user, position=position,
                                        opened_on=data.validated_data.get("opened_on"),
                                        critical=data.validated_data.get("critical"),
                                        note=data.validated_data.get("note", ""))
        return Response(VacancyOut(vacancy).data, status=status.HTTP_201_CREATED)


class CloseIn(serializers.Serializer):
    closed_on = serializers.DateField(required=False)


class VacancyClose(APIView):
    permission_classes = [_Staff]

    @extend_schema(request=CloseIn, responses=VacancyOut)
    def post(self, request, pk: int):
        vacancy = selectors.open_vacancies(request.user).filter(pk=pk).first()
        if vacancy is None:
            raise Http404
        data = CloseIn(data=request.data)
        data.is_valid(raise_exception=True)
        closed = services.vacancy_close(actor=request.user, vacancy=vacancy,
                                        closed_on=data.validated_data.get("closed_on"))
        return Response(VacancyOut(closed).data)


class VacancyOrder(APIView):
    permission_classes = [_Staff]

    @extend_schema(request=None, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, pk: int):
        vacancy = selectors.open_vacancies(request.user).filter(pk=pk).first()
        if vacancy is None:
            raise Http404
        assignment = services.vacancy_to_order(actor=request.user, vacancy=vacancy)
        return Response({"assignment": assignment.pk}, status=status.HTTP_201_CREATED)


class EmploymentIn(serializers.Serializer):
    staff_position = serializers.IntegerField()
    person_name = serializers.CharField(max_length=300)
    rate = serializers.DecimalField(max_digits=6, decimal_places=2, required=False, allow_null=True)
    started_on = serializers.DateField(required=False)
    ended_on = serializers.DateField(required=False, allow_null=True)
    acting = serializers.BooleanField(required=False, default=False)
    on_leave = serializers.BooleanField(required=False, default=False)


class Employments(APIView):
    permission_classes = [_Staff]

    @extend_schema(request=EmploymentIn, responses={201: EmploymentOut})
    def post(self, request):
        data = EmploymentIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        position = _position(request, values.pop("staff_position"))
        employment = services.employment_record(actor=request.user, position=position, **values)
        return Response(EmploymentOut(employment).data, status=status.HTTP_201_CREATED)


urlpatterns = [
    path("staffing/rates/", Rates.as_view(), name="staffing-rates"),
    path("staffing/risks/", Risks.as_view(), name="staffing-risks"),
    path("staffing/organisations/<slug:code>/", Table.as_view(), name="staffing-table"),
    path("staffing/vacancies/", Vacancies.as_view(), name="staffing-vacancies"),
    path("staffing/vacancies/<int:pk>/close/", VacancyClose.as_view(), name="staffing-vacancy-close"),
    path("staffing/vacancies/<int:pk>/order/", VacancyOrder.as_view(), name="staffing-vacancy-order"),
    path("staffing/employments/", Employments.as_view(), name="staffing-employments"),
]
