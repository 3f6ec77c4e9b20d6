"""Ideas pages for residents: campaigns, their ideas, suggesting one, supporting others'."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from krai.participation import services
from krai.participation.selectors import ideas as selectors
from krai.participation.views._common import public_write, refusal

STATES = ("open", "upcoming", "past")


@require_GET
def campaign_list(request):
    state = request.GET.get("state", "")
    state = state if state in STATES else ""
    page = Paginator(selectors.campaign_list(state=state), 20).get_page(request.GET.get("page"))
    return render(request, "participation/campaign_list.html", {"page": page, "state": state})


def _campaign(request, campaign, *, values=None, errors=None, general=None, status: int = 200):
    order = "new" if request.GET.get("order") == "new" else "support"
    page = Paginator(selectors.idea_list(user=request.user, campaign=campaign, order=order), 30).get_page(
        request.GET.get("page"))
    user = request.user
    return render(request, "participation/campaign_detail.html", {
        "campaign": campaign, "page": page, "order": order, "values": values or {}, "errors": errors or {},
        "general_errors": general or [], "is_open": campaign.is_open(),
        "can_suggest": user.is_authenticated and user.email_confirmed and campaign.is_open(),
    }, status=status)


@require_GET
def campaign_detail(request, pk: int):
    return _campaign(request, selectors.campaign_get(pk))


@require_POST
@public_write
def idea_suggest(request, pk: int):
    campaign = selectors.campaign_get(pk)
    values = {"title": request.POST.get("title", ""), "body": request.POST.get("body", "")}
    try:
        idea = services.idea_suggest(actor=request.user, campaign=campaign, **values)
    except (PermissionDenied, ValidationError) as exc:
        general, fields, status = refusal(exc)
        if fields and not general:
            general = [_("The idea is not sent: correct the fields below.")]
        return _campaign(request, campaign, values=values, errors=fields, general=general, status=status)
    messages.success(request, _("Thank you! Your idea is sent; it shows to others once a moderator publishes it."))
    return redirect("participation:idea", pk=idea.pk)


def _idea(request, idea, *, general=None, status: int = 200):
    template = "participation/_support.html" if request.htmx else "participation/idea_detail.html"
    user = request.user
    return render(request, template, {
        "idea": idea, "general_errors": general or [],
        "can_support": (user.is_authenticated and user.email_confirmed and idea.moderation == "published"
                        and idea.author_id != user.pk),
        "moderates": user.is_authenticated and user.has_perm("participation.moderate_idea", idea),
    }, status=200 if request.htmx else status)  # htmx swaps only a 200: the fragment carries the error


@require_GET
def idea_detail(request, pk: int):
    return _idea(request, selectors.idea_get(user=request.user, pk=pk))


@require_POST
@public_write
def idea_support(request, pk: int):
    """Support an idea, or withdraw the support (``action=withdraw``); htmx gets the button back."""
    idea = selectors.idea_get(user=request.user, pk=pk)
    withdraw = request.POST.get("action") == "withdraw"
    try:
        if withdraw:
            services.idea_unsupport(actor=request.user, idea=idea)
        else:
            services.idea_support(actor=request.user, idea=idea)
    except (PermissionDenied, ValidationError) as exc:
        general, fields, status = refusal(exc)
        return _idea(request, idea, general=general + [m for ms in fields.values() for m in ms], status=status)
    if not request.htmx:
        messages.success(request, _("Your support is withdrawn.") if withdraw else _("Thank you for your support."))
        return redirect("participation:idea", pk=idea.pk)
    return _idea(request, selectors.idea_get(user=request.user, pk=pk))
