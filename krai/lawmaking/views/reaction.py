"""Pages of the government's reaction: the responsible body's form (decision, reasons, the act) with the
deadline from its control-engine assignment; for everyone else the reaction once given, or who owes it and by
when. Those who manage the initiative send it for the reaction from the expertise page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from krai.core.forms import service_errors_onto
from krai.lawmaking import policy
from krai.lawmaking.forms_expertise import ReactionForm
from krai.lawmaking.models import Initiative, Stage
from krai.lawmaking.selectors import expertise as selectors
from krai.lawmaking.selectors.initiatives import initiative_for
from krai.lawmaking.services import reactions as services
from krai.lawmaking.views.expertise import refused


def _may_give(user: Any, initiative: Initiative, state: Any) -> bool:
    return bool(initiative.stage == Stage.REACTION and state is not None and state.assignment is not None
                and policy.of_responsible_body(user, initiative)
                and user.has_perm("orders.report_assignment", state.assignment))


def detail_context(request: HttpRequest, initiative: Initiative) -> dict[str, Any]:
    """What the initiative's page shows of the reaction (its include ``lawmaking/_detail_reaction.html``)."""
    state = selectors.reaction_state(initiative)
    return {"reaction_state": state, "reaction_body": initiative.responsible_body,
            "reaction_may_give": _may_give(request.user, initiative, state)}


@require_http_methods(["GET", "POST"])
def reaction(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk)
    state = selectors.reaction_state(initiative)
    may_give = _may_give(request.user, initiative, state)
    form = ReactionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if form.is_valid():
            try:
                services.reaction_give(actor=request.user, initiative=initiative, **form.cleaned_data)
            except (PermissionDenied, ValidationError) as exc:
                service_errors_onto(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
                status = 403 if isinstance(exc, PermissionDenied) else 400
            else:
                messages.success(request, _("The reaction is given; everyone who took part is told."))
                return redirect("lawmaking:reaction", pk=initiative.pk)
        else:
            status = 400
    return render(request, "lawmaking/reaction/reaction.html", {
        "initiative": initiative, "state": state, "may_give": may_give,
        "form": form, "body": initiative.responsible_body, "today": timezone.localdate(),
        "show_form": may_give or (request.method == "POST" and status != 200)}, status=status)


@login_required
@require_POST
def reaction_request(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk)
    try:
        assignment = services.reaction_request(actor=request.user, initiative=initiative)
    except (PermissionDenied, ValidationError) as exc:
        refused(request, exc)
        return redirect("lawmaking:expertise", pk=initiative.pk)
    messages.success(request, _("The draft is sent for the government's reaction, due on %(date)s.")
                     % {"date": assignment.deadline.strftime("%d.%m.%Y")})
    return redirect("lawmaking:reaction", pk=initiative.pk)


urlpatterns = [
    path("lawmaking/<int:pk>/reaction/", reaction, name="reaction"),
    path("lawmaking/<int:pk>/reaction/request/", reaction_request, name="reaction_request"),
]
