"""Pages of the idea discussion: its part of the initiative's page (support and the threshold, the initiator's
questions and the answers, the subscription), the forms' endpoints (each goes back to the initiative's page with a
message), and "my subscriptions" (initiatives followed, filters of new initiatives)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from krai.core.forms import service_errors_onto
from krai.lawmaking import policy
from krai.lawmaking.forms_discussion import FilterForm, QuestionForm
from krai.lawmaking.models import Initiative
from krai.lawmaking.selectors import discussion as selectors
from krai.lawmaking.selectors.initiatives import initiative_for
from krai.lawmaking.services import discussion as services
from krai.lawmaking.services import subscriptions

BASES = ["lawmaking/base_lawmaking.html", "portal/base_portal.html"]


def base_template() -> Any:
    """The area's base page (the concept's part writes it), the portal's until it exists."""
    return select_template(BASES)


def detail_context(request: HttpRequest, initiative: Initiative) -> dict[str, Any]:
    """What the initiative's page shows of the discussion: support, questions, subscription (its include
    ``lawmaking/_detail_discussion.html``)."""
    user = request.user
    return {
        "discussion_initiative_pk": initiative.pk,
        "discussion_support": selectors.support_state(user, initiative),
        "discussion_questions": selectors.questions(user, initiative),
        "discussion_may_ask": user.has_perm("lawmaking.ask_question", initiative),
        "discussion_is_coordinator": policy.is_coordinator(user),
        "discussion_may_answer": policy.is_active_user(user) and bool(user.email_confirmed),
        "discussion_question_form": QuestionForm(auto_id="id_question_%s"),
        "discussion_subscription": selectors.subscription_for(user, initiative),
        "discussion_may_subscribe": user.has_perm("lawmaking.subscribe_initiative", initiative),
        "discussion_answer_max": services.ANSWER_MAX,
    }


def _back(initiative: Initiative) -> HttpResponse:
    return redirect(f"{initiative.get_absolute_url()}#discussion")


def _refused(request: HttpRequest, exc: Exception) -> None:
    for message in (exc.messages if isinstance(exc, ValidationError) else [str(exc) or _("You may not do this.")]):
        messages.error(request, message)


@login_required
@require_POST
def support(request: HttpRequest, pk: int) -> HttpResponse:
    """Support the initiative (with ``undo``: withdraw the support)."""
    initiative = initiative_for(request.user, pk)
    try:
        if request.POST.get("undo"):
            if services.support_remove(actor=request.user, initiative=initiative):
                messages.success(request, _("Your support is withdrawn."))
        else:
            _support, created = services.support_add(actor=request.user, initiative=initiative)
            messages.success(request, _("Thank you: your support is counted.") if created
                             else _("You already support this initiative."))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return _back(initiative)


@login_required
@require_POST
def question_ask(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk)
    try:
        services.question_ask(actor=request.user, initiative=initiative, text=request.POST.get("text", ""))
        messages.success(request, _("Your question is published."))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return _back(initiative)


@login_required
@require_POST
def question_close(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_for(request.user, pk)
    try:
        services.question_close(actor=request.user, question=question)
        messages.success(request, _("The question is closed."))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return _back(question.initiative)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_for(request.user, pk)
    try:
        _answer, created = services.answer_give(actor=request.user, question=question,
                                                text=request.POST.get("text", ""))
        messages.success(request, _("Your answer is published.") if created else _("Your answer is saved."))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return _back(question.initiative)


@login_required
@require_POST
def answer_hide(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.answer_for(request.user, pk)
    try:
        services.answer_hide(actor=request.user, answer=item, reason=request.POST.get("reason", ""))
        messages.success(request, _("The answer is hidden."))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return _back(item.question.initiative)


@login_required
@require_POST
def subscribe(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow the initiative's steps (with ``undo``: stop)."""
    initiative = initiative_for(request.user, pk)
    try:
        if request.POST.get("undo"):
            subscriptions.unsubscribe(actor=request.user, initiative=initiative)
            messages.success(request, _("You no longer follow this initiative."))
        else:
            subscriptions.subscribe(actor=request.user, initiative=initiative)
            messages.success(request, _("You will be told of this initiative's steps."))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    if request.POST.get("next") == "subscriptions":
        return redirect("lawmaking:subscriptions")
    return _back(initiative)


@login_required
@require_http_methods(["GET", "POST"])
def my_subscriptions(request: HttpRequest) -> HttpResponse:
    """The initiatives I follow and my filters of new initiatives; POST adds a filter."""
    form = FilterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _row, created = subscriptions.subscribe_filter(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The filter is added: you will be told of new initiatives that match.")
                             if created else _("You already have this filter."))
            return redirect("lawmaking:subscriptions")
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
                service_errors_onto(form, exc)
            else:
                _refused(request, exc)
    return render(request, "lawmaking/discussion/subscriptions.html", {
        "base_template": base_template(), "form": form,
        "followed": selectors.my_initiative_subscriptions(request.user),
        "filters": selectors.my_filters(request.user)}, status=400 if form.errors else 200)


@login_required
@require_POST
def filter_remove(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.filter_for(request.user, pk)
    try:
        subscriptions.unsubscribe_filter(actor=request.user, subscription=row)
        messages.success(request, _("The filter is removed."))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    return redirect(reverse("lawmaking:subscriptions"))


urlpatterns = [
    path("lawmaking/subscriptions/", my_subscriptions, name="subscriptions"),
    path("lawmaking/subscriptions/<int:pk>/remove/", filter_remove, name="filter_remove"),
    path("lawmaking/<int:pk>/support/", support, name="support"),
    path("lawmaking/<int:pk>/subscribe/", subscribe, name="subscribe"),
    path("lawmaking/<int:pk>/questions/", question_ask, name="question_ask"),
    path("lawmaking/questions/<int:pk>/close/", question_close, name="question_close"),
    path("lawmaking/questions/<int:pk>/answer/", answer, name="answer"),
    path("lawmaking/answers/<int:pk>/hide/", answer_hide, name="answer_hide"),
]
