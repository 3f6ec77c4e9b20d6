"""Pages of the expertise: the reviews and invitations of a draft, starting the expertise (those who manage the
initiative: fields, experts by name, the deadline), inviting one more expert, the invited expert's review form
(with its deadline; after it the form is not offered and a POST is refused), declining, hiding a review."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krai.core.forms import service_errors_onto
from krai.lawmaking import policy
from krai.lawmaking.forms_expertise import ExpertiseStartForm, InviteForm, ReasonForm, ReviewForm
from krai.lawmaking.models import Initiative, Review, Stage
from krai.lawmaking.selectors import expertise as selectors
from krai.lawmaking.selectors.initiatives import current_version, initiative_for
from krai.lawmaking.services import expertise as services
from krai.social.selectors.profiles import display_name


def refused(request: HttpRequest, exc: Exception) -> None:
    """A service's refusal as messages above the page."""
    if isinstance(exc, PermissionDenied):
        messages.error(request, str(exc) or _("You may not do this."))
    else:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)


def _conclusion_rows(initiative: Initiative) -> list[tuple[str, int]]:
    counts = selectors.conclusions(initiative)
    return [(str(label), counts[value]) for value, label in Review.Conclusion.choices]


def detail_context(request: HttpRequest, initiative: Initiative) -> dict[str, Any]:
    """What the initiative's page shows of the expertise (its include ``lawmaking/_detail_expertise.html``)."""
    invitations = list(selectors.invitations(initiative))
    shown = initiative.stage in (Stage.EXPERTISE, Stage.REACTION, Stage.CLOSED) or bool(invitations)
    manages = policy.manages(request.user, initiative)
    return {
        "expertise_shown": shown,
        "expertise_invited": len(invitations),
        "expertise_reviews_count": selectors.reviews(None, initiative).count(),
        "expertise_conclusions": _conclusion_rows(initiative),
        "expertise_due": invitations[0].due if invitations else None,
        "expertise_open": initiative.stage == Stage.EXPERTISE,
        "expertise_may_review": selectors.may_review(request.user, initiative),
        "expertise_may_start": manages and initiative.stage == Stage.ELABORATION,
    }


@require_GET
def expertise(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk)
    manages = policy.manages(request.user, initiative)
    at_expertise = initiative.stage == Stage.EXPERTISE
    invitations = list(selectors.invitations(initiative))
    my_invitation = selectors.invitation_of(request.user, initiative)
    return render(request, "lawmaking/expertise/expertise.html", {
        "initiative": initiative, "invitations": invitations,
        "reviews": selectors.reviews(request.user, initiative), "conclusions": _conclusion_rows(initiative),
        "due": invitations[0].due if invitations else initiative.stage_due, "manages": manages,
        "is_coordinator": policy.is_coordinator(request.user), "my_invitation": my_invitation,
        "my_review": selectors.review_of(request.user, initiative),
        "may_review": selectors.may_review(request.user, initiative),
        "may_decline": bool(my_invitation and my_invitation.status == "invited" and at_expertise),
        "invite_form": InviteForm() if manages and at_expertise else None,
        "may_start": manages and initiative.stage == Stage.ELABORATION,
        "may_request": manages and at_expertise, "today": timezone.localdate()})


@login_required
@require_http_methods(["GET", "POST"])
def expertise_start(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk)
    if not policy.manages(request.user, initiative):
        raise PermissionDenied(_("Only coordinators and the staff of the responsible body manage the expertise."))
    q = request.GET.get("q", "").strip()[:100]
    form = ExpertiseStartForm(request.POST or None, q=q,
                              initial={"due": selectors.default_due(), "fields": list(initiative.fields.all())})
    if request.method == "POST" and form.is_valid():
        try:
            invitations = services.expertise_start(actor=request.user, initiative=initiative,
                                                   due=form.cleaned_data["due"],
                                                   fields=list(form.cleaned_data["fields"]),
                                                   experts=list(form.cleaned_data["experts"]))
        except (PermissionDenied, ValidationError) as exc:
            service_errors_onto(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, _("The expertise has started: %(n)s experts are invited.")
                             % {"n": len(invitations)})
            return redirect("lawmaking:expertise", pk=initiative.pk)
    return render(request, "lawmaking/expertise/start.html", {
        "initiative": initiative, "form": form, "q": q,
        "has_version": current_version(initiative) is not None,
        "at_elaboration": initiative.stage == Stage.ELABORATION}, status=400 if form.errors else 200)


@login_required
@require_POST
def expertise_invite(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    else:
        try:
            invitation = services.expert_invite(actor=request.user, initiative=initiative,
                                                expert=form.cleaned_data["expert"], field=form.cleaned_data["field"])
        except (PermissionDenied, ValidationError) as exc:
            refused(request, exc)
        else:
            messages.success(request, _("%(name)s is invited.") % {"name": display_name(invitation.expert)})
    return redirect("lawmaking:expertise", pk=initiative.pk)


@login_required
@require_POST
def invitation_decline(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk)
    invitation = selectors.invitation_of(request.user, initiative)
    form = ReasonForm(request.POST)
    if invitation is None:
        messages.error(request, _("You are not invited to review this draft."))
    elif not form.is_valid():
        messages.error(request, _("Say why you decline."))
    else:
        try:
            services.invitation_decline(actor=request.user, invitation=invitation,
                                        reason=form.cleaned_data["reason"])
        except (PermissionDenied, ValidationError) as exc:
            refused(request, exc)
        else:
            messages.success(request, _("You declined the invitation."))
    return redirect("lawmaking:expertise", pk=initiative.pk)


@login_required
@require_POST
def review_hide(request: HttpRequest, pk: int, review_id: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk)
    review = selectors.review_for(request.user, initiative, review_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the review is hidden."))
    else:
        try:
            services.review_hide(actor=request.user, review=review, reason=form.cleaned_data["reason"])
        except (PermissionDenied, ValidationError) as exc:
            refused(request, exc)
        else:
            messages.success(request, _("The review is hidden."))
    return redirect("lawmaking:expertise", pk=initiative.pk)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """The invited expert's form: a new review, or his own to change, until the deadline."""
    initiative = initiative_for(request.user, pk)
    invitation = selectors.invitation_of(request.user, initiative)
    if invitation is None:
        raise PermissionDenied(_("Only experts invited to this expertise may review the draft."))
    mine = selectors.review_of(request.user, initiative)
    initial = {name: getattr(mine, name) for name in ReviewForm.base_fields} if mine else None
    form = ReviewForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if mine is None:
                    services.review_submit(actor=request.user, initiative=initiative, **form.cleaned_data)
                else:
                    services.review_update(actor=request.user, review=mine, **form.cleaned_data)
            except (PermissionDenied, ValidationError) as exc:
                service_errors_onto(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
                status = 403 if isinstance(exc, PermissionDenied) else 400
            else:
                messages.success(request, _("Your review is saved.") if mine else _("Your review is submitted."))
                return redirect("lawmaking:expertise", pk=initiative.pk)
        else:
            status = 400
    today = timezone.localdate()
    return render(request, "lawmaking/expertise/review.html", {
        "initiative": initiative, "invitation": invitation, "form": form,
        "mine": mine, "open": selectors.may_review(request.user, initiative, today),
        "deadline_passed": today > invitation.due, "version": current_version(initiative)}, status=status)


urlpatterns = [
    path("lawmaking/<int:pk>/expertise/", expertise, name="expertise"),
    path("lawmaking/<int:pk>/expertise/start/", expertise_start, name="expertise_start"),
    path("lawmaking/<int:pk>/expertise/invite/", expertise_invite, name="expertise_invite"),
    path("lawmaking/<int:pk>/expertise/decline/", invitation_decline, name="invitation_decline"),
    path("lawmaking/<int:pk>/expertise/reviews/<int:review_id>/hide/", review_hide, name="review_hide"),
    path("lawmaking/<int:pk>/review/", review, name="review"),
]
