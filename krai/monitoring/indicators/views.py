"""Pages of the indicators monitor: the deviation table, an indicator, the reports, a report and its form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krai.monitoring.indicators import forms, selectors, services
from krai.monitoring.indicators.models import ActualValue, Indicator
from krai.orders.selectors import control_for_subject
from krai.org.models import Block, Municipality, Organisation
from krai.org.scopes import scope_for

MONTHS_SHOWN = 24


def _guard(request: HttpRequest) -> None:
    if not request.user.has_perm("indicators.view"):
        raise PermissionDenied


def _defaults(user) -> dict:
    """What a person sees first: the governor the region, a vice-governor his block, a head his organisation."""
    scope = scope_for(user)
    if scope.region:
        return {}
    if scope.block_ids:
        return {"block": min(scope.block_ids)}
    if scope.org_paths:
        org = Organisation.objects.filter(path=scope.org_paths[0]).first()
        return {"organisation": org.pk} if org else {}
    return {}


def _choices(user) -> dict:
    visible = selectors.indicators_for(user)
    owners = Organisation.objects.filter(pk__in=visible.values("owner_organisation")).order_by("name")
    return {"blocks": Block.objects.filter(pk__in=owners.values("block")), "organisations": owners,
            "municipalities": Municipality.objects.filter(is_active=True).order_by("name"),
            "projects": sorted(set(visible.exclude(national_project="").values_list("national_project", flat=True)))}


@login_required
def table(request: HttpRequest) -> HttpResponse:
    _guard(request)
    data = request.GET if request.GET else _defaults(request.user)
    form = forms.Filters(data, **_choices(request.user))
    f = form.cleaned_data if form.is_valid() else {}
    organisation = Organisation.objects.filter(pk=f["organisation"]).first() if f.get("organisation") else None
    rows = selectors.deviation_table(user=request.user, as_of=f.get("as_of"), block=f.get("block"),
                                     organisation=organisation, municipality=f.get("municipality"),
                                     project=f.get("project", ""), query=f.get("q", ""))
    counts = selectors.colour_counts(rows)  # of everything the other filters leave, whichever colour is shown
    if f.get("colour"):
        rows = [r for r in rows if r.colour == f["colour"]]
    return render(request, "indicators/table.html", {
        "form": form, "rows": rows, "counts": counts, "as_of": f.get("as_of"), "today": timezone.localdate(),
        "overdue": selectors.overdue_reports(request.user).count()})


@login_required
def indicator(request: HttpRequest, code: str) -> HttpResponse:
    _guard(request)
    ind = selectors.indicator_get(user=request.user, code=code)
    form = forms.Filters(request.GET)
    as_of = form.cleaned_data.get("as_of") if form.is_valid() else None
    series = selectors.series(ind, as_of=as_of)
    chart = {"periods": [p["period"] for p in series], "actual": [float(p["actual"]) for p in series],
             "plan": [None if p["plan"] is None else float(p["plan"]) for p in series],
             "names": {"actual": _("Actual"), "plan": _("Plan to date")}, "unit": ind.unit}
    return render(request, "indicators/indicator.html", {
        "indicator": ind, "row": selectors.deviation_of(ind, as_of=as_of), "as_of": as_of,
        "series": list(reversed(series))[:MONTHS_SHOWN], "chart": chart, "versions": selectors.plan_history(ind),
        "order": control_for_subject(ind), "order_form": forms.OrderForm(),
        "may_order": request.user.has_perm("indicators.open_order", ind),
        "by_place": (ActualValue.objects.filter(indicator=ind, municipality__isnull=False,
                                                report_id=selectors.deviation_of(ind).report_id)
                     .select_related("municipality").order_by("municipality__name"))})


@login_required
@require_POST
def order(request: HttpRequest, code: str) -> HttpResponse:
    _guard(request)
    ind = selectors.indicator_get(user=request.user, code=code)
    form = forms.OrderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the order a deadline."))
        return redirect("monitoring:indicators:indicator", code)
    try:
        assignment = services.deviation_order(actor=request.user, indicator=ind, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("monitoring:indicators:indicator", code)
    messages.success(request, _("The order is on control."))
    return redirect("orders:assignment", assignment.pk)


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    _guard(request)
    qs = selectors.reports_for(request.user)
    status = request.GET.get("status", "")
    if status == "overdue":
        qs = selectors.overdue_reports(request.user)
    elif status in ("due", "submitted"):
        qs = qs.filter(status=status)
    return render(request, "indicators/reports.html", {
        "reports": qs.order_by("-year", "-month", "organisation__name")[:300], "status": status,
        "today": timezone.localdate()})


def _report_context(request: HttpRequest, pk: int) -> dict:
    report = selectors.report_get(user=request.user, pk=pk)
    return {"report": report, "today": timezone.localdate(),
            "may_submit": request.user.has_perm("indicators.submit_report", report),
            "assignment": control_for_subject(report)}


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    context = _report_context(request, pk)
    values = (context["report"].values.select_related("indicator", "municipality")
              .order_by("indicator__code", "municipality__name"))
    return render(request, "indicators/report.html", {**context, "values": values})


@login_required
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    _guard(request)
    context = _report_context(request, pk)
    report_ = context["report"]
    if not context["may_submit"]:
        raise PermissionDenied
    indicators: list[Indicator] = list(selectors.report_indicators(report_))
    initial = dict(report_.values.filter(municipality__isnull=True).values_list("indicator_id", "value"))
    form = forms.ReportValues(request.POST or None, indicators=indicators, initial_values=initial)
    if request.method == "POST" and form.is_valid():
        try:
            # the form carries the totals; values by municipality (from a file) stay as they were
            kept = [(v.indicator, v.municipality, v.value)
                    for v in report_.values.filter(municipality__isnull=False).select_related("indicator",
                                                                                               "municipality")]
            services.report_submit(actor=request.user, report=report_, values=form.values() + kept)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("The report is submitted."))
            return redirect("monitoring:indicators:report", report_.pk)
    return render(request, "indicators/submit.html", {**context, "form": form})
