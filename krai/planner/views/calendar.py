"""The planner's calendar under /workspace/planner/: a day, a week or a month of the person's entries beside what the
areas put in his days (read-only, linked to their pages), drawn by FullCalendar from ``events.json``; without
JavaScript the same page lists the period's items by day, with links to the previous and next period. And "what I
gave" (/workspace/planner/given/): the orders he issued and the assignments he delegated, to whom, by when, in
which state.

Members of staff only (``planner.use``): anyone else signed in gets 403. Each person sees his own planner; a deputy
acting for someone sees the principal's (the request is the principal's).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from krai.planner.forms import GivenFilter, QuickTaskForm
from krai.planner.selectors import entries as selectors

USE = "planner.use"
VIEWS = {"day": "timeGridDay", "week": "timeGridWeek", "month": "dayGridMonth"}
GIVEN_PAGE_SIZE = 25
#: the colours of the calendar's items: the person's own, the areas', and what is overdue
COLOURS = {"planner": "#0d6efd", "area": "#5c636a", "overdue": "#b02a37", "done": "#6c757d"}


def planner_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the login page; anyone who keeps no planner (not staff) gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(USE):
            raise PermissionDenied(_("Only members of staff keep a planner."))
        return view(request, *args, **kwargs)

    return wrapper


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate()


def period(view: str, day: date) -> tuple[date, date, date, date]:
    """The first and last day a view shows around ``day``, and the days its previous and next periods open on."""
    if view == "day":
        return day, day, day - timedelta(days=1), day + timedelta(days=1)
    if view == "month":
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        before = (first - timedelta(days=1)).replace(day=1)
        return first, following - timedelta(days=1), before, following
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6), monday - timedelta(days=7), monday + timedelta(days=7)


@require_GET
@planner_required
def home(request: HttpRequest) -> HttpResponse:
    """The calendar (``?view=day|week|month&date=YYYY-MM-DD``, a week by default) with its no-JavaScript list."""
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "week"
    day = _day(request.GET.get("date"))
    first, last, before, after = period(view, day)
    start, end = selectors.window(first, last + timedelta(days=1))
    items = selectors.calendar_items(request.user, start, end)
    return render(request, "planner/calendar.html", {
        "view": view, "views": list(VIEWS), "fc_view": VIEWS[view], "day": day, "first": first, "last": last,
        "before": before, "after": after, "today": timezone.localdate(), "days": selectors.by_day(items, first, last),
        "count": len(items), "language": translation.get_language() or "ru",
        "quick": QuickTaskForm(initial={"client_key": uuid.uuid4().hex, "due": day}),
    })


def _moment(value: str | None) -> date | datetime | None:
    """A window's edge as FullCalendar sends it (a date or an ISO moment; a "+" of the offset may arrive as a
    space)."""
    text = (value or "").strip().replace(" ", "+")
    if not text:
        return None
    try:
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    except ValueError:
        return None


def window_of(request: HttpRequest) -> tuple[datetime, datetime]:
    """``?start=&end=`` as the window to read; ValueError with a message when missing or wrong."""
    start, end = _moment(request.GET.get("start")), _moment(request.GET.get("end"))
    if start is None or end is None:
        raise ValueError(_("Give start and end as ISO dates or moments."))
    return selectors.window(start, end)


def _iso(value: date | datetime) -> str:
    return value.isoformat()


def event_json(item: selectors.CalendarItem) -> dict[str, Any]:
    """An item as a FullCalendar event: a whole day's end is exclusive there (the day after the last)."""
    end: date | datetime | None = item.end
    if item.all_day and end is not None:
        end = end + timedelta(days=1)
    colour = COLOURS["overdue"] if item.overdue else COLOURS["done"] if item.done else COLOURS[
        "planner" if item.editable else "area"]
    classes = [f"krai-cal-{item.source}", f"krai-cal-kind-{item.kind}"]
    classes += ["krai-cal-done"] if item.done else []
    classes += ["krai-cal-overdue"] if item.overdue else []
    return {
        "id": item.key, "title": item.title, "start": _iso(item.start), "end": _iso(end) if end else None,
        "allDay": item.all_day, "url": item.url, "color": colour, "classNames": classes, "editable": False,
        "extendedProps": {"source": item.source, "kind": item.kind, "kindLabel": item.kind_label,
                          "entry": item.entry.pk if item.entry else None, "occurrence": item.occurrence,
                          "readonly": not item.editable, "done": item.done, "overdue": item.overdue,
                          "status": item.status, "detail": item.detail},
    }


@require_GET
@planner_required
def events(request: HttpRequest) -> JsonResponse:
    """The calendar's items of ``?start=&end=`` for FullCalendar (a list of events); 400 with a message when the
    period is missing, reversed or too long."""
    try:
        start, end = window_of(request)
    except ValueError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    items = selectors.calendar_items(request.user, start, end)
    return JsonResponse([event_json(item) for item in items], safe=False)


@require_GET
@planner_required
def given(request: HttpRequest) -> HttpResponse:
    """What I gave: ``?state=open|overdue|done`` (all by default), paged, each row linked to its order."""
    state = GivenFilter(request.GET).state_or_default()
    today = timezone.localdate()
    paginator = Paginator(selectors.given(request.user, state, today), GIVEN_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    order_type = selectors.order_content_type_id()
    rows = [{"row": row, "url": reverse("orders:assignment", args=[row.pk]),
             "order_url": selectors.given_url(row, order_type), "executor": selectors.executor_name(row),
             "overdue": row.is_overdue(today)} for row in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    counts = selectors.given_counts(request.user, today)
    labels = {"all": pgettext("given", "All"), "open": pgettext("given", "Open"),
              "overdue": pgettext("given", "Overdue"), "done": pgettext("given", "Done")}
    return render(request, "planner/given.html", {
        "state": state, "states": [(name, labels[name], counts[name]) for name in selectors.GIVEN_STATES],
        "page": page, "rows": rows,
        "total": paginator.count, "query": query.urlencode(),
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
    })


urlpatterns = [
    path("workspace/planner/", home, name="home"),
    path("workspace/planner/events.json", events, name="events"),
    path("workspace/planner/given/", given, name="given"),
]
