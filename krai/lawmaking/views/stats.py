"""The statistics page (``/lawmaking/statistics/``): totals and a table per responsible body, filtered by period,
level and municipality. Every number links to the list of initiatives it summarises (``lawmaking:home`` with the
same filters plus the body and the stage), so a reader can check it.

The list's query parameters used: ``body``, ``stage``, ``level``, ``municipality``, ``published_from``,
``published_to`` (dates, ISO), ``reaction`` (``on_time`` | ``late``) and ``overdue`` (``1``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET

from krai.lawmaking.forms_discussion import StatsForm
from krai.lawmaking.models import Stage
from krai.lawmaking.selectors.stats import STAT_STAGES, Row, statistics
from krai.lawmaking.views.discussion import base_template


def _filters(data: dict[str, Any]) -> dict[str, str]:
    """The list's query of the filters chosen (what every link carries)."""
    query = {"published": "1"}  # the statistics count published initiatives only
    if data.get("date_from"):
        query["published_from"] = data["date_from"].isoformat()
    if data.get("date_to"):
        query["published_to"] = data["date_to"].isoformat()
    if data.get("level"):
        query["level"] = data["level"]
    if data.get("municipality") is not None:
        query["municipality"] = str(data["municipality"].pk)
    return query


def _cells(row: Row, home: str, base: dict[str, str]) -> dict[str, Any]:
    """The row's numbers with the link of each."""
    scope = {**base, **({"body": str(row.body_id), "exact_body": "1"} if row.body_id else {})}

    def link(**extra: str) -> str:
        return f"{home}?{urlencode({**scope, **extra})}" if {**scope, **extra} else home

    everything = link()
    closed = Stage.CLOSED.value
    return {
        "row": row,
        "total": (row.total, everything),
        "stages": [(stage, Stage(stage).label, row.stages[stage], link(stage=stage)) for stage in STAT_STAGES],
        "participants": (row.participants, everything),
        "comments": (row.comments, everything),
        "amendments_proposed": (row.amendments_proposed, everything),
        "amendments_accepted": (row.amendments_accepted, everything),
        "reactions": (row.reactions, link(stage=closed)),
        "reactions_on_time": (row.reactions_on_time, link(stage=closed, reaction="on_time")),
        "reactions_late": (row.reactions_late, link(stage=closed, reaction="late")),
        "reactions_owed": (row.reactions_owed, link(stage=Stage.REACTION.value)),
        "reactions_overdue": (row.reactions_overdue, link(stage=Stage.REACTION.value, overdue="1")),
    }


@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    form = StatsForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    figures = statistics(date_from=data.get("date_from"), date_to=data.get("date_to"),
                         level=data.get("level") or "", municipality=data.get("municipality"))
    home, base = reverse("lawmaking:home"), _filters(data)
    return render(request, "lawmaking/stats/stats.html", {
        "base_template": base_template(), "form": form, "stage_labels": [Stage(s).label for s in STAT_STAGES],
        "totals": _cells(figures.totals, home, base),
        "bodies": [_cells(row, home, base) for row in figures.bodies]}, status=400 if form.errors else 200)


urlpatterns = [
    path("lawmaking/statistics/", stats, name="stats"),
]
