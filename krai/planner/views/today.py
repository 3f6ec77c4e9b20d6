"""My day (/workspace/planner/today/), the officials' app start page (the workspace manifest's ``start_url``): today's
timeline, the person's overdue assignments and those due in the next days (each with a link to report on it), a
quick task, the voice button and the ways on to his orders, the calendar and what he gave.

Members of staff only (``planner.use``); a deputy acting for someone sees that person's day (the request is the
principal's).
"""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from krai.orders.models.assignments import Status
from krai.planner.forms import QuickTaskForm
from krai.planner.selectors import today as selectors
from krai.planner.views.calendar import planner_required

#: an assignment in these states can be reported on (one reported waits for the issuer's decision)
REPORTABLE = (Status.ISSUED, Status.IN_PROGRESS)


@require_GET
@planner_required
def today(request: HttpRequest) -> HttpResponse:
    """Today for the signed-in official, in the current time zone."""
    day = selectors.my_day(request.user)
    return render(request, "planner/today.html", {
        "my_day": day, "reportable": [str(status) for status in REPORTABLE],
        "quick": QuickTaskForm(initial={"client_key": uuid.uuid4().hex, "due": day.day}),
    })


urlpatterns = [
    path("workspace/planner/today/", today, name="today"),
]
