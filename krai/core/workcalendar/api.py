"""API of the production calendar: a year's days off and transfers, and deadline arithmetic (public)."""

from datetime import date

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from krai.core.workcalendar import selectors, services

MAX_DAYS = 10_000


class CalendarEntrySerializer(serializers.Serializer):
    date = serializers.DateField()
    is_working = serializers.BooleanField()
    kind = serializers.ChoiceField(choices=["weekend", "holiday", "day_off", "working_weekend", "override"])
    name = serializers.CharField()


def _int(request, name: str, *, minimum: int, maximum: int, default: int | None = None) -> int:
    raw = request.query_params.get(name, "")
    if raw == "" and default is not None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: [_("Give a whole number.")]}) from None
    if not minimum <= value <= maximum:
        raise ValidationError({name: [_("Give a number from %(min)s to %(max)s.") % {"min": minimum,
                                                                                     "max": maximum}]})
    return value


class YearCalendar(APIView):
    """A year's days off (weekends, holidays, substituted days off, overrides) and worked weekend dates."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="The year (this year if omitted).")],
        responses=inline_serializer("YearCalendar", {
            "year": serializers.IntegerField(), "working_days": serializers.IntegerField(),
            "days_off": serializers.IntegerField(), "days": CalendarEntrySerializer(many=True)}))
    def get(self, request):
        year = _int(request, "year", minimum=services.MIN_YEAR, maximum=services.MAX_YEAR,
                    default=timezone.localdate().year)
        entries = selectors.year_calendar(year)
        total = (date(year + 1, 1, 1) - date(year, 1, 1)).days
        days_off = sum(1 for entry in entries if not entry.is_working)
        return Response({"year": year, "working_days": total - days_off, "days_off": days_off,
                         "days": CalendarEntrySerializer(entries, many=True).data})


class AddWorkingDays(APIView):
    """The date ``days`` working days after ``start`` (0: ``start`` itself if working, else the next one)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("start", OpenApiTypes.DATE, required=True),
                    OpenApiParameter("days", OpenApiTypes.INT, required=True, description="0 or more.")],
        responses=inline_serializer("AddWorkingDays", {
            "start": serializers.DateField(), "days": serializers.IntegerField(), "date": serializers.DateField(),
            "start_is_working_day": serializers.BooleanField()}))
    def get(self, request):
        try:
            start = date.fromisoformat(request.query_params.get("start", ""))
        except ValueError:
            raise ValidationError({"start": [_("Give a date as YYYY-MM-DD.")]}) from None
        if not services.MIN_YEAR <= start.year <= services.MAX_YEAR:
            raise ValidationError({"start": [_("Give a date between %(min)s and %(max)s.")
                                             % {"min": services.MIN_YEAR, "max": services.MAX_YEAR}]})
        days = _int(request, "days", minimum=0, maximum=MAX_DAYS)
        result = selectors.add_working_days(start, days)
        return Response({"start": start, "days": days, "date": result,
                         "start_is_working_day": selectors.is_working_day(start)})


urlpatterns = [
    path("calendar/", YearCalendar.as_view(), name="calendar-year"),
    path("calendar/add-working-days/", AddWorkingDays.as_view(), name="calendar-add-working-days"),
]
