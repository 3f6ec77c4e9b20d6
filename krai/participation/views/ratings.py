"""Government-service pages: the registry, a service with its rating form and history, the monthly ranks."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from krai.participation import services
from krai.participation.models import ServiceRank
from krai.participation.models.ratings import MARK_MAX, MARK_MIN
from krai.participation.selectors import ratings as selectors
from krai.participation.views._common import public_write, refusal

CRITERIA = [(value, label) for value, label in ServiceRank.Criterion.choices]
MARKS = list(range(MARK_MIN, MARK_MAX + 1))


@require_GET
def service_list(request):
    search = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(selectors.service_list(search=search), 30).get_page(request.GET.get("page"))
    return render(request, "participation/service_list.html", {"page": page, "search": search})


def _history_chart(service) -> list[dict]:
    history = selectors.rank_history(service=service)
    months = sorted({rank.build.month for rank in history})
    labels = [month.strftime("%m.%Y") for month in months]
    series = []
    for criterion, label in CRITERIA:
        places = {rank.build.month: rank.position for rank in history if rank.criterion == criterion}
        series.append({"name": str(label), "type": "line", "data": [places.get(month) for month in months]})
    return [{"id": "service-history", "kind": "line", "option": {
        "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
        "grid": {"left": 8, "right": 24, "top": 32, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value", "inverse": True, "minInterval": 1, "min": 1},
        "series": series}}] if months else []


def _detail(request, service, *, values: dict | None = None, errors: dict | None = None,
            general: list[str] | None = None, status: int = 200):
    own = selectors.own_rating(user=request.user, service=service)
    if values is None:
        values = ({"quality": own.quality, "convenience": own.convenience, "speed": own.speed,
                   "comment": own.comment} if own else {})
    history = selectors.rank_history(service=service)
    by_month: dict[dt.date, dict] = {}
    for rank in history:
        row = by_month.setdefault(rank.build.month, {"month": rank.build.month})
        row[rank.criterion] = rank
    user = request.user
    return render(request, "participation/service_detail.html", {
        "service": service, "own": own, "values": values, "errors": errors or {}, "general_errors": general or [],
        "marks": MARKS, "criteria": [("quality", _("Quality")), ("convenience", _("Convenience")),
                                      ("speed", _("Speed"))],
        "history": sorted(by_month.values(), key=lambda row: row["month"], reverse=True),
        "chart": _history_chart(service),
        "can_rate": user.is_authenticated and user.email_confirmed and service.is_active,
        "manages": user.is_authenticated and user.has_perm("participation.view_service_ratings", service),
    }, status=status)


@require_GET
def service_detail(request, pk: int):
    return _detail(request, selectors.service_get(pk))


@require_POST
@public_write
def service_rate(request, pk: int):
    service = selectors.service_get(pk)
    values = {name: request.POST.get(name, "") for name in ("quality", "convenience", "speed", "comment")}
    had = selectors.own_rating(user=request.user, service=service) is not None
    try:
        services.service_rate(actor=request.user, service=service, **values)
    except (PermissionDenied, ValidationError) as exc:
        general, fields, status = refusal(exc)
        if fields and not general:
            general = [_("The rating is not saved: correct the marks below.")]
        return _detail(request, service, values=values, errors=fields, general=general, status=status)
    messages.success(request, _("Your rating is amended.") if had else _("Thank you: your rating is saved."))
    return redirect("participation:service", pk=service.pk)


def _month(value: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(value, "%Y-%m").date() if value else None
    except ValueError:
        raise Http404(_("No ranks for this month.")) from None


@require_GET
def service_ranks(request):
    criterion = request.GET.get("criterion") or ServiceRank.Criterion.OVERALL
    if criterion not in ServiceRank.Criterion.values:
        criterion = ServiceRank.Criterion.OVERALL
    month = _month(request.GET.get("month", ""))
    build, rows = selectors.ranks_for_month(month=month, criterion=criterion)
    if month and build is None:
        raise Http404(_("No ranks for this month."))
    return render(request, "participation/service_ranks.html", {
        "build": build, "rows": rows, "criterion": criterion, "criteria": CRITERIA,
        "builds": list(selectors.rank_builds()),
    })
