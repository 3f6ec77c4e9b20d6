"""The production calendar page for administrators: a year at a glance and the overrides."""

from __future__ import annotations

import calendar
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krai.core.workcalendar import selectors, services
from krai.core.workcalendar.forms import CalendarDayForm


def _require_editor(request) -> None:
    if not request.user.has_perm(services.PERMISSION):
        raise PermissionDenied


def _year(value: str | None) -> int:
    try:
        year = int(value or "")
    except ValueError:
        return timezone.localdate().year
    return year if services.MIN_YEAR <= year <= services.MAX_YEAR else timezone.localdate().year


def _months(year: int) -> list[dict]:
    entries = {entry.date: entry for entry in selectors.year_calendar(year)}
    today = timezone.localdate()
    months = []
    for month in range(1, 13):
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            weeks.append([
                None if day.month != month else {
                    "date": day, "entry": entries.get(day), "today": day == today,
                    "is_working": entries[day].is_working if day in entries else True,
                }
                for day in week
            ])
        months.append({"number": month, "name": MONTHS[month], "weeks": weeks})
    return months


def _context(request, year: int, form: CalendarDayForm) -> dict:
    days_off = selectors.days_off(year)
    total = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    return {
        "year": year, "form": form, "months": _months(year),
        "overrides": selectors.overrides(year=year),
        "working_count": total - len(days_off), "days_off_count": len(days_off),
        "weekday_names": [date_format(date(2024, 1, day), "D")[:2] for day in range(1, 8)],
        "can_edit": request.user.has_perm(services.PERMISSION),
    }


@login_required
def index(request):
    """Every member of staff reads the calendar his deadlines are counted on; its editors also change it."""
    if not (request.user.has_perm("workspace.access") or request.user.has_perm(services.PERMISSION)):
        raise PermissionDenied
    year = _year(request.GET.get("year"))
    return render(request, "workcalendar/index.html", _context(request, year, CalendarDayForm()))


@login_required
@require_POST
def set_day(request):
    _require_editor(request)
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        day = form.cleaned_data["date"]
        try:
            services.calendar_day_set(actor=request.user, day=day, is_working=form.cleaned_data["is_working"],
                                      note=form.cleaned_data["note"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("The calendar is changed for %(date)s.") % {"date": date_format(day)})
            return redirect(f"{reverse('workcalendar:index')}?year={day.year}")
    year = form.cleaned_data["date"].year if form.cleaned_data.get("date") else _year(request.GET.get("year"))
    return render(request, "workcalendar/index.html", _context(request, year, form), status=400)


@login_required
@require_POST
def remove_day(request, day: str):
    _require_editor(request)
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        parsed = None
    if parsed is None or not services.calendar_day_remove(actor=request.user, day=parsed):
        messages.error(request, _("There was no change of the calendar on that date."))
        return redirect("workcalendar:index")
    messages.success(request, _("The official calendar applies again on %(date)s.") % {"date": date_format(parsed)})
    return redirect(f"{reverse('workcalendar:index')}?year={parsed.year}")
