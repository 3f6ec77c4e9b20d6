"""Consolidation's pages under /workspace/integration/consolidation/: the start page (on a receiver, every source
with its last contact and counts, each count a link to the consolidated list filtered so; on a source, the push
state with "push now" and "resend everything"; on an installation with neither, a note that the part is idle),
and the consolidated list with its filters. Controllers and administrators only; anyone else is refused."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from krai.integration.consolidation import conf, selectors, services
from krai.integration.consolidation.forms import OrderFilterForm, ResendForm
from krai.integration.models import Direction

PAGE_SIZE = 50


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    selectors.require_reader(user)
    state = selectors.push_state(user=user)
    receiver = selectors.is_receiver()
    return render(request, "consolidation/home.html", {
        "installation": {"code": conf.installation_code(), "name": conf.installation_name()},
        "state": state, "receiver": receiver, "today": timezone.localdate(),
        "sources": selectors.sources_with_counts(user=user) if receiver else [],
        "sent": selectors.recent_messages(user=user, direction=Direction.OUT) if state else [],
        "received": selectors.recent_messages(user=user, direction=Direction.IN) if receiver else [],
        "may_push": state is not None and user.has_perm("consolidation.push"), "resend_form": ResendForm()})


@login_required
@require_GET
def orders(request: HttpRequest) -> HttpResponse:
    user = request.user
    selectors.require_reader(user)
    form = OrderFilterForm(request.GET or None)
    rows = selectors.consolidated_orders(user=user, filters=form.filters())
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "consolidation/orders.html", {
        "form": form, "page": page, "rows": page.object_list, "total": paginator.count, "query": query.urlencode(),
        "today": timezone.localdate(),
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))})


def _refusal(request: HttpRequest, exc: Exception) -> None:
    for message in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, message)


@login_required
@require_POST
def push(request: HttpRequest) -> HttpResponse:
    selectors.require_reader(request.user)
    try:
        services.push_request(actor=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("A push is queued; the state below follows it."))
    return redirect("consolidation:home")


@login_required
@require_POST
def resend(request: HttpRequest) -> HttpResponse:
    selectors.require_reader(request.user)
    form = ResendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to send again."))
        return redirect("consolidation:home")
    try:
        services.push_resend(actor=request.user, mode=form.cleaned_data["mode"])
    except (ValidationError, PermissionDenied) as exc:
        _refusal(request, exc)
    else:
        messages.success(request, _("Everything will be sent again; the receiver keeps only what is newer."))
    return redirect("consolidation:home")


urlpatterns = [
    path("workspace/integration/consolidation/", home, name="home"),
    path("workspace/integration/consolidation/orders/", orders, name="orders"),
    path("workspace/integration/consolidation/push/", push, name="push"),
    path("workspace/integration/consolidation/resend/", resend, name="resend"),
]
