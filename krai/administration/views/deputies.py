"""Administration: temporary deputies under /workspace/administration/deputies/ — the deputyships in force now,
coming and past (each list paged), appointing one, a deputyship's page (its end moved or brought forward, and what
the deputy did while acting, from the audit trail), and the people picker's search.

Administrators only (``administration.manage_deputies``): anyone else signed in gets 403 and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krai.administration.forms_deputies import AppointForm, ChangeEndForm, staff
from krai.core.forms import carried_out, service_errors_onto
from krai.orders import pickers
from krai.org import deputies as selectors
from krai.org.models import Deputyship
from krai.org.services import deputies as services

MANAGE = services.MANAGE
PAGE_SIZE = 25
ACTIONS_PAGE_SIZE = 50


def manager_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the login page; anyone who may not manage deputies gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm(MANAGE):
            raise PermissionDenied(_("Only an administrator may appoint and end temporary deputyships."))
        return view(request, *args, **kwargs)

    return wrapper


def _page(request: HttpRequest, rows: QuerySet[Any], param: str, size: int = PAGE_SIZE) -> dict[str, Any]:
    """One list's page by its own query parameter, with the other lists' pages kept in its links."""
    paginator = Paginator(rows, size)
    page: Page = paginator.get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    return {"page": page, "param": param, "query": query.urlencode(), "total": paginator.count,
            "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))}


@require_GET
@manager_required
def deputies_home(request: HttpRequest) -> HttpResponse:
    today = selectors.today()
    return render(request, "administration/deputies/home.html", {
        "today": today,
        "now": _page(request, selectors.in_force(today), "now"),
        "coming": _page(request, selectors.coming(today), "coming"),
        "past": _page(request, selectors.past(today), "page")})


@require_http_methods(["GET", "POST"])
@manager_required
def deputy_new(request: HttpRequest) -> HttpResponse:
    """Appoint a deputy: whom for, who, from which day until which, why."""
    form = AppointForm(request.POST or None, initial={"starts_on": selectors.today()})
    if request.method == "POST" and form.is_valid():
        try:
            deputyship = services.deputyship_appoint(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(request, _("%(deputy)s will act for %(principal)s from %(start)s to %(end)s; both are "
                                        "told.") % _names(deputyship))
            return redirect("administration:deputyship", pk=deputyship.pk)
    return render(request, "administration/deputies/new.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _names(deputyship: Deputyship) -> dict[str, str]:
    return {"deputy": deputyship.deputy.short_name, "principal": deputyship.principal.short_name,
            "start": deputyship.starts_on.strftime("%d.%m.%Y"), "end": deputyship.ends_on.strftime("%d.%m.%Y")}


def _detail(request: HttpRequest, deputyship: Deputyship, *, change_form: ChangeEndForm | None = None,
            status: int = 200) -> HttpResponse:
    today = selectors.today()
    state = deputyship.state_on(today)
    changeable = state in ("in_force", "coming")
    return render(request, "administration/deputies/detail.html", {
        "item": deputyship, "state": state, "today": today, "changeable": changeable,
        "change_form": change_form or ChangeEndForm(initial={"ends_on": deputyship.ends_on}),
        "actions": _page(request, selectors.done_while_acting(deputyship), "page", ACTIONS_PAGE_SIZE)},
        status=status)


@require_GET
@manager_required
def deputyship_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.deputyship_get(pk))


@require_POST
@manager_required
def deputyship_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the last day; a refusal comes back on the form, nothing changed."""
    item = selectors.deputyship_get(pk)
    form = ChangeEndForm(request.POST)
    if form.is_valid():
        try:
            services.deputyship_change_end(actor=request.user, deputyship=item, ends_on=form.cleaned_data["ends_on"])
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(request, _("The last day is changed; the deputy and the principal are told."))
            return redirect("administration:deputyship", pk=item.pk)
    return _detail(request, selectors.deputyship_get(pk), change_form=form, status=400)


@require_POST
@manager_required
def deputyship_end(request: HttpRequest, pk: int) -> HttpResponse:
    """End the deputyship now (or call off one not yet begun)."""
    item = selectors.deputyship_get(pk)
    carried_out(request, lambda: services.deputyship_end(actor=request.user, deputyship=item),
                _("The deputyship is ended; the deputy and the principal are told."))
    return redirect("administration:deputyship", pk=item.pk)


@require_GET
@manager_required
def pick_people(request: HttpRequest) -> JsonResponse:
    """The people picker's search: active members of staff whose name or unit has every word typed."""
    choices, more = pickers.people_choices(staff(), search=request.GET.get("q", "")[:200])
    return JsonResponse({"results": [choice.as_json() for choice in choices], "more": more})


urlpatterns = [
    path("workspace/administration/deputies/", deputies_home, name="deputies"),
    path("workspace/administration/deputies/new/", deputy_new, name="deputies_new"),
    path("workspace/administration/deputies/people/", pick_people, name="deputies_people"),
    path("workspace/administration/deputies/<int:pk>/", deputyship_detail, name="deputyship"),
    path("workspace/administration/deputies/<int:pk>/change/", deputyship_change, name="deputyship_change"),
    path("workspace/administration/deputies/<int:pk>/end/", deputyship_end, name="deputyship_end"),
]
