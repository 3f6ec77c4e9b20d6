"""Staff pages of participation (under /workspace/participation/): polls, services' ratings, campaigns, ideas.

Each list is narrowed by the user's scope through the selectors; each write goes through a service,
which checks the permission on the object itself.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krai.participation import services
from krai.participation.forms import (
    AnswerForm,
    CampaignForm,
    ModerateForm,
    OrderForm,
    PollForm,
    add_service_errors,
)
from krai.participation.models import Idea
from krai.participation.selectors import ideas as idea_selectors
from krai.participation.selectors import polls as poll_selectors
from krai.participation.selectors import ratings as rating_selectors
from krai.participation.views._common import refusal, workspace_required
from krai.participation.views.polls import poll_state


@require_GET
@workspace_required
def home(request):
    user = request.user
    return render(request, "participation/ws/home.html", {
        "polls": poll_selectors.poll_list_managed(user=user)[:10],
        "campaigns": idea_selectors.campaign_list_managed(user=user)[:10],
        "pending": idea_selectors.moderation_queue(user=user).count(),
        "services": rating_selectors.services_of_organisations(user=user).count(),
        "can_add_poll": user.has_perm("participation.add_poll"),
        "can_add_campaign": user.has_perm("participation.add_campaign"),
    })


# --- polls -----------------------------------------------------------------------------------------

@require_GET
@workspace_required
def polls(request):
    rows = list(poll_selectors.poll_list_managed(user=request.user))
    for poll in rows:
        poll.state = poll_state(poll)
    return render(request, "participation/ws/polls.html", {
        "polls": rows, "can_add": request.user.has_perm("participation.add_poll")})


@require_http_methods(["GET", "POST"])
@workspace_required
def poll_new(request):
    if not request.user.has_perm("participation.add_poll"):
        raise PermissionDenied(_("Only the organisers of a body may create polls."))
    form = PollForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            poll = services.poll_create(actor=request.user, **data)
        except (PermissionDenied, ValidationError) as exc:
            general, fields, _status = refusal(exc)
            add_service_errors(form, fields, general)
        else:
            messages.success(request, _("The poll is saved as a draft. Check it, then publish it."))
            return redirect("participation:ws_poll", pk=poll.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "participation/ws/poll_new.html", {"form": form}, status=status)


def _managed_poll(request, pk: int):
    poll = poll_selectors.poll_get(user=request.user, pk=pk)
    if not request.user.has_perm("participation.change_poll", poll):
        raise Http404(_("No such poll."))
    return poll


@require_GET
@workspace_required
def poll(request, pk: int):
    poll = _managed_poll(request, pk)
    return render(request, "participation/ws/poll.html", {
        "poll": poll, "state": poll_state(poll), "voters": poll.participations.count(),
        "verified": services.poll_verify(poll=poll) if poll.is_closed else None,
    })


@require_POST
@workspace_required
def poll_action(request, pk: int, action: str):
    poll = _managed_poll(request, pk)
    service = {"publish": services.poll_publish, "close": services.poll_close}.get(action)
    if service is None:
        raise Http404
    try:
        service(actor=request.user, poll=poll)
    except (PermissionDenied, ValidationError) as exc:
        general, fields, status = refusal(exc)
        for message in general + [m for ms in fields.values() for m in ms]:
            messages.error(request, message)
        return render(request, "participation/ws/poll.html", {
            "poll": poll_selectors.poll_get(user=request.user, pk=pk), "state": poll_state(poll),
            "voters": poll.participations.count(), "verified": None}, status=status)
    messages.success(request, _("The poll is published.") if action == "publish"
                     else _("The poll is closed; its results are frozen."))
    return redirect("participation:ws_poll", pk=poll.pk)


# --- services' ratings -----------------------------------------------------------------------------

@require_GET
@workspace_required
def services_view(request):
    return render(request, "participation/ws/services.html", {
        "rows": rating_selectors.organisation_view(user=request.user)})


@require_GET
@workspace_required
def service(request, pk: int):
    service = rating_selectors.service_get(pk)
    comments = rating_selectors.service_comments(user=request.user, service=service)  # 404 out of scope
    summary = next((row for row in rating_selectors.organisation_view(user=request.user)
                    if row.service.pk == service.pk), None)
    return render(request, "participation/ws/service.html", {
        "service": service, "comments": comments, "summary": summary,
        "history": rating_selectors.rank_history(service=service)})


# --- campaigns and ideas ---------------------------------------------------------------------------

@require_GET
@workspace_required
def campaigns(request):
    return render(request, "participation/ws/campaigns.html", {
        "campaigns": idea_selectors.campaign_list_managed(user=request.user),
        "can_add": request.user.has_perm("participation.add_campaign")})


@require_http_methods(["GET", "POST"])
@workspace_required
def campaign_new(request):
    if not request.user.has_perm("participation.add_campaign"):
        raise PermissionDenied(_("Only the organisers of a body may run campaigns."))
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(actor=request.user, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            general, fields, _status = refusal(exc)
            add_service_errors(form, fields, general)
        else:
            messages.success(request, _("The campaign is open for ideas on its dates."))
            return redirect("participation:campaign", pk=campaign.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "participation/ws/campaign_new.html", {"form": form}, status=status)


@require_GET
@workspace_required
def moderation(request):
    state = request.GET.get("state", Idea.Moderation.PENDING)
    state = state if state in Idea.Moderation.values else Idea.Moderation.PENDING
    return render(request, "participation/ws/moderation.html", {
        "ideas": idea_selectors.moderation_queue(user=request.user, moderation=state)[:200], "state": state,
        "states": Idea.Moderation.choices})


def _idea_page(request, idea, *, moderate_form=None, answer_form=None, order_form=None, status: int = 200):
    return render(request, "participation/ws/idea.html", {
        "idea": idea, "moderate_form": moderate_form or ModerateForm(),
        "order_form": order_form or OrderForm(user=request.user),
        "answer_form": answer_form or AnswerForm(initial={"status": idea.status if idea.status != "new" else "",
                                                          "answer": idea.answer}),
    }, status=status)


def _moderated_idea(request, pk: int):
    idea = idea_selectors.idea_get(user=request.user, pk=pk)
    if not request.user.has_perm("participation.moderate_idea", idea):
        raise Http404(_("No such idea."))
    return idea


@require_GET
@workspace_required
def idea(request, pk: int):
    return _idea_page(request, _moderated_idea(request, pk))


@require_POST
@workspace_required
def idea_moderate(request, pk: int):
    idea = _moderated_idea(request, pk)
    form = ModerateForm(request.POST)
    if form.is_valid():
        try:
            services.idea_moderate(actor=request.user, idea=idea, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            general, fields, status = refusal(exc)
            add_service_errors(form, fields, general)
            return _idea_page(request, idea, moderate_form=form, status=status)
        messages.success(request, _("The moderation decision is saved."))
        return redirect("participation:ws_idea", pk=idea.pk)
    return _idea_page(request, idea, moderate_form=form, status=400)


@require_POST
@workspace_required
def idea_answer(request, pk: int):
    idea = _moderated_idea(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.idea_answer(actor=request.user, idea=idea, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            general, fields, status = refusal(exc)
            add_service_errors(form, fields, general)
            return _idea_page(request, idea, answer_form=form, status=status)
        messages.success(request, _("The answer is published with the idea."))
        return redirect("participation:ws_idea", pk=idea.pk)
    return _idea_page(request, idea, answer_form=form, status=400)


@require_POST
@workspace_required
def idea_order(request, pk: int):
    """Turn the idea into an order of the control engine (an assignment with a deadline in working days)."""
    idea = _moderated_idea(request, pk)
    form = OrderForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.idea_to_order(actor=request.user, idea=idea, **form.cleaned_data)
        except (PermissionDenied, ValidationError) as exc:
            general, fields, status = refusal(exc)
            add_service_errors(form, fields, general)
            return _idea_page(request, idea, order_form=form, status=status)
        messages.success(request, _("The idea is an order of the control engine now."))
        return redirect("participation:ws_idea", pk=idea.pk)
    return _idea_page(request, idea, order_form=form, status=400)
