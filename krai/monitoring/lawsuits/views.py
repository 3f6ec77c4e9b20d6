"""Pages of the monitor (Lawsuits): the list with totals and flags, a case, the hearings calendar."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.monitoring.lawsuits import selectors, services
from krai.monitoring.lawsuits.forms import FilterForm, HearingForm, OutcomeForm, StageForm


def _access(request) -> None:
    if not request.user.has_perm("monitoring.access"):
        raise PermissionDenied


@login_required
def case_list(request):
    _access(request)
    form = FilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list(request.user, organisation=filters.get("organisation", ""),
                                category=filters.get("category", ""), stage=filters.get("stage", ""),
                                q=filters.get("q", ""), flagged=bool(filters.get("flagged")),
                                lawyer_me=bool(filters.get("mine")), soon=bool(filters.get("soon")))
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "lawsuits/list.html", {
        "form": form, "page": page, "query": query.urlencode(), "flagged": selectors.flagged_ids(request.user),
        "by_organisation": selectors.totals(request.user, by="organisation"),
        "by_category": selectors.totals(request.user, by="category"), "idle_days": selectors.idle_days(),
    })


@login_required
def hearing_calendar(request):
    _access(request)
    today = timezone.localdate()
    try:
        first = dt.datetime.strptime(request.GET.get("month", ""), "%Y-%m").date()
    except ValueError:
        first = today.replace(day=1)
    mine = request.GET.get("mine") == "1"
    return render(request, "lawsuits/calendar.html", {
        "calendar": selectors.month_calendar(request.user, year=first.year, month=first.month, lawyer_me=mine),
        "mine": mine})


def _post(request, case) -> bool:
    """Run the posted action; True when it succeeded (the page redirects)."""
    action = request.POST.get("action")
    forms = {"stage": StageForm, "hearing": HearingForm, "outcome": OutcomeForm}
    if action == "order":
        assignment = services.case_to_order(actor=request.user, case=case)
        messages.success(request, _("The order is open."))
        request.krai_redirect = ("orders:assignment", assignment.pk)
        return True
    if action == "result":
        hearing = case.hearings.filter(pk=request.POST.get("hearing")).first()
        if hearing is None:
            raise Http404
        services.hearing_record_result(actor=request.user, hearing=hearing, result=request.POST.get("result", ""))
        return True
    if action not in forms:
        return False
    form = forms[action](request.POST)
    if not form.is_valid():
        raise ValidationError(form.errors.as_text())
    data = form.cleaned_data
    if action == "stage":
        services.case_change_stage(actor=request.user, case=case, stage=data["stage"], on=data["on"],
                                   note=data["note"])
    elif action == "hearing":
        services.hearing_add(actor=request.user, case=case, starts_at=data["starts_at"], room=data["room"])
    else:
        services.case_record_outcome(actor=request.user, case=case, outcome=data["outcome"],
                                     amount_awarded=data["amount_awarded"])
    return True


@login_required
def case_detail(request, pk: int):
    _access(request)
    case = selectors.case_for_user(request.user, pk)
    may_change = request.user.has_perm("lawsuits.change_courtcase", case)
    if request.method == "POST":
        if request.POST.get("action") != "order" and not may_change:
            raise PermissionDenied
        try:
            if _post(request, case):
                target = getattr(request, "krai_redirect", None)
                if target:
                    return redirect(*target)
                messages.success(request, _("Saved."))
                return redirect(request.path)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(exc.messages) if isinstance(exc, ValidationError) else
                           (str(exc) or _("Not allowed.")))
    now = timezone.now()
    return render(request, "lawsuits/case.html", {
        "case": case, "may_change": may_change, "stages": case.stage_changes.select_related("actor"),
        "hearings": case.hearings.all(), "now": now, "flagged": case.pk in selectors.flagged_ids(request.user),
        "stage_form": StageForm(initial={"stage": case.stage}), "hearing_form": HearingForm(),
        "outcome_form": OutcomeForm(initial={"outcome": case.outcome or None,
                                             "amount_awarded": case.amount_awarded}),
    })
