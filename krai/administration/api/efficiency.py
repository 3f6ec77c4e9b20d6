"""Efficiency API under /api/v1/administration/efficiency/: units (the scope's top units, or a unit's sub-units),
one unit, a unit's people, one person — each with the figures of a period and of the compared one, scoped to the
caller like the pages (another unit or person answers 404)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from krai.administration import efficiency_serializers as out
from krai.administration.forms_efficiency import PeriodForm
from krai.administration.selectors import efficiency as selectors
from krai.administration.selectors.efficiency_scope import Units, person_get, unit_get, units_for
from krai.core.api import Pagination
from krai.core.api_views import AreaView, errors


class _Efficiency(AreaView):
    permission_classes = [permissions.IsAuthenticated]

    def units(self) -> Units:
        if not self.request.user.has_perm("administration.view_efficiency"):
            raise PermissionDenied(_("Efficiency is shown to heads, vice-governors, the governor, controllers and "
                                     "administrators."))
        return units_for(self.request.user)

    def periods(self) -> dict[str, Any]:
        query = out.EfficiencyQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        form = PeriodForm(self.request.query_params)
        if not form.is_valid():
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        return {**query.validated_data, **form.cleaned_data}

    def report(self, units: Units, *, unit=None, person=None) -> tuple[selectors.Report, dict]:
        data = self.periods()
        only = bool(data.get("only")) and unit is not None
        rep = selectors.report(units, unit=unit, only=only, period=data["period"], compare=data["compare"],
                               person=person)
        return rep, {**data, "only": only}

    def paged(self, lines: list[selectors.Line], data: dict) -> Response:
        ordered = selectors.sort_lines(lines, data.get("sort", ""), data.get("dir") != "asc")
        paginator = Pagination()
        page = paginator.paginate_queryset(ordered, self.request, view=self)
        return paginator.get_paginated_response([out.line(item) for item in page])


def _report_out(rep: selectors.Report, only: bool) -> dict[str, Any]:
    return {"period": {"start": rep.period.start, "end": rep.period.end},
            "compare": {"start": rep.compare.start, "end": rep.compare.end}, "overdue_on": rep.overdue_day,
            "only": only, "total": out.line(rep.total), "units": [out.line(item) for item in rep.units]}


@extend_schema(tags=["administration"])
class EfficiencyUnits(_Efficiency):
    """The scope's top units (or ``unit``'s sub-units), each with its subtree's figures, paged."""

    @extend_schema(operation_id="administration_efficiency_units_list", parameters=[out.EfficiencyQuery],
                   responses={200: out.EfficiencyLinePageOut, **errors(400, 401, 403, 404)})
    def get(self, request: Any) -> Response:
        units = self.units()
        unit = unit_get(units, request.query_params["unit"]) if request.query_params.get("unit") else None
        rep, data = self.report(units, unit=unit)
        return self.paged(rep.units, data)


@extend_schema(tags=["administration"])
class EfficiencyUnit(_Efficiency):
    """One unit: its figures (with its sub-units unless ``only``) and its sub-units'."""

    @extend_schema(operation_id="administration_efficiency_units_retrieve", parameters=[out.EfficiencyQuery],
                   responses={200: out.EfficiencyReportOut, **errors(400, 401, 403, 404)})
    def get(self, request: Any, pk: int) -> Response:
        units = self.units()
        rep, data = self.report(units, unit=unit_get(units, pk))
        return Response(out.EfficiencyReportOut(_report_out(rep, data["only"])).data)


@extend_schema(tags=["administration"])
class EfficiencyPeople(_Efficiency):
    """The people of ``unit`` (required) with their figures there, paged; id 0 is what was given to a unit with no
    person named."""

    @extend_schema(operation_id="administration_efficiency_people_list", parameters=[out.EfficiencyQuery],
                   responses={200: out.EfficiencyLinePageOut, **errors(400, 401, 403, 404)})
    def get(self, request: Any) -> Response:
        units = self.units()
        if not request.query_params.get("unit"):
            raise ValidationError({"unit": [_("Choose the unit whose people to list.")]})
        rep, data = self.report(units, unit=unit_get(units, request.query_params["unit"]))
        return self.paged(rep.people, data)


@extend_schema(tags=["administration"])
class EfficiencyPerson(_Efficiency):
    """One person: his figures within the caller's scope, and per unit he worked for (``units``)."""

    @extend_schema(operation_id="administration_efficiency_people_retrieve", parameters=[out.EfficiencyQuery],
                   responses={200: out.EfficiencyReportOut, **errors(400, 401, 403, 404)})
    def get(self, request: Any, pk: int) -> Response:
        units = self.units()
        person = person_get(units, pk, reader=request.user)
        rep, _data = self.report(units, person=person.pk)
        rep.total.label = person.full_name
        return Response(out.EfficiencyReportOut(_report_out(rep, False)).data)


urlpatterns = [
    path("administration/efficiency/units/", EfficiencyUnits.as_view(), name="administration-efficiency-units"),
    path("administration/efficiency/units/<int:pk>/", EfficiencyUnit.as_view(),
         name="administration-efficiency-unit"),
    path("administration/efficiency/people/", EfficiencyPeople.as_view(), name="administration-efficiency-people"),
    path("administration/efficiency/people/<int:pk>/", EfficiencyPerson.as_view(),
         name="administration-efficiency-person"),
]
