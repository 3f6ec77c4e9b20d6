"""Pages of the monitor (Staff completeness): the fill-rate drill-down with risks and history, a body's table."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krai.monitoring.staffing import selectors, services
from krai.monitoring.staffing.forms import CloseForm, EmploymentForm, VacancyForm
from krai.monitoring.staffing.models import Employment, Vacancy


def _access(request) -> None:
    if not request.user.has_perm("monitoring.access"):
        raise PermissionDenied


@login_required
def home(request):
    _access(request)
    block, organisation = request.GET.get("block", ""), request.GET.get("organisation", "")
    history = selectors.history(request.user, organisation=organisation)
    chart = {"labels": [row["on"].strftime("%m.%Y") for row in history],
             "values": [row["percent"] for row in history]}
    rates = selectors.fill_rates(request.user, block=block, organisation=organisation)
    chart["threshold"] = round(rates["threshold"] * 100)
    return render(request, "staffing/home.html", {
        "rates": rates,
        "risks": selectors.risks(request.user), "history": history, "chart": chart,
        "block": block, "organisation": organisation,
    })


def _fail(request, exc: Exception) -> None:
    text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc) or _("Not allowed.")
    messages.error(request, text)


@login_required
def organisation(request, code: str):
    _access(request)
    body = selectors.organisation_for_user(request.user, code)
    page = selectors.organisation_page(request.user, body)
    may_change = request.user.has_perm("staffing.change_staffing", body)
    positions = page["positions"]
    vacancy_form = VacancyForm(positions=positions)
    employment_form = EmploymentForm(positions=positions)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "vacancy":
                vacancy_form = VacancyForm(request.POST, positions=positions)
                if vacancy_form.is_valid():
                    data = vacancy_form.cleaned_data
                    services.vacancy_open(actor=request.user, position=data["position"], opened_on=data["opened_on"],
                                          critical=data["critical"])
                    messages.success(request, _("The vacancy is open."))
                    return redirect(request.path)
            elif action == "employment":
                employment_form = EmploymentForm(request.POST, positions=positions)
                if employment_form.is_valid():
                    data = employment_form.cleaned_data
                    services.employment_record(actor=request.user, position=data["position"],
                                               person_name=data["person_name"], rate=data["rate"],
                                               started_on=data["started_on"], acting=data["acting"],
                                               on_leave=data["on_leave"])
                    messages.success(request, _("The employment is recorded."))
                    return redirect(request.path)
            elif action in ("close", "end"):
                form = CloseForm(request.POST)
                when = form.cleaned_data["closed_on"] if form.is_valid() else None
                model = Vacancy if action == "close" else Employment
                obj = model.objects.filter(pk=request.POST.get("pk"),
                                           staff_position__table__organisation=body).first()
                if obj is None:
                    raise Http404
                if action == "close":
                    services.vacancy_close(actor=request.user, vacancy=obj, closed_on=when)
                else:
                    services.employment_end(actor=request.user, employment=obj, ended_on=when)
                messages.success(request, _("Saved."))
                return redirect(request.path)
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
    return render(request, "staffing/organisation.html", {
        **page, "body": body, "may_change": may_change, "vacancy_form": vacancy_form,
        "employment_form": employment_form, "critical_days": selectors.critical_days(),
    })


@login_required
@require_POST
def vacancy_order(request, pk: int):
    _access(request)
    vacancy = selectors.open_vacancies(request.user).filter(pk=pk).first()
    if vacancy is None:
        raise Http404
    try:
        assignment = services.vacancy_to_order(actor=request.user, vacancy=vacancy)
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
        return redirect("monitoring:staffing:home")
    messages.success(request, _("The order is open."))
    return redirect("orders:assignment", assignment.pk)
