"""Suggestions outside campaigns: the resident's form and his suggestion; the staff's queue and answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from krai.participation import services
from krai.participation.forms import SuggestionAnswerForm, SuggestionForm, add_service_errors
from krai.participation.models import Suggestion
from krai.participation.selectors import suggestions as selectors
from krai.participation.views._common import public_write, refusal, workspace_required


@login_required
@require_http_methods(["GET", "POST"])
@public_write
def suggest(request):
    """``/suggest/?kind=solution&problem=12``: the form, opened from a problem's page for a solution."""
    initial = {"kind": request.GET.get("kind", "category"), "problem": request.GET.get("problem") or None}
    form = SuggestionForm(request.POST or None, initial=initial)
    status = 200
    problem_pk = form.data.get("problem") if form.is_bound else initial["problem"]
    problem = selectors.problem_for_suggestion(user=request.user, pk=problem_pk) if problem_pk else None
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            try:
                suggestion = services.suggestion_create(
                    actor=request.user, kind=data["kind"], title=data["title"], body=data["body"],
                    problem=problem if data["kind"] == Suggestion.Kind.SOLUTION else None)
            except (PermissionDenied, ValidationError) as exc:
                general, fields, status = refusal(exc)
                add_service_errors(form, fields, general)
            else:
                messages.success(request, _("Thank you! Your suggestion is sent; you will be told of the answer."))
                return redirect("participation:suggestion", pk=suggestion.pk)
        else:
            status = 400
    return render(request, "participation/suggest.html", {
        "form": form, "problem": problem, "mine": selectors.suggestions_of(user=request.user)[:10]}, status=status)


@login_required
def suggestion_detail(request, pk: int):
    return render(request, "participation/suggestion_detail.html",
                  {"suggestion": selectors.suggestion_get(user=request.user, pk=pk)})


@workspace_required
def ws_suggestions(request):
    """Suggestions to answer (oldest first), or the answered ones; by kind."""
    if not request.user.has_perm("participation.answer_suggestion"):
        raise Http404
    status = request.GET.get("status", Suggestion.Status.NEW)
    status = status if status in Suggestion.Status.values else Suggestion.Status.NEW
    kind = request.GET.get("kind", "")
    kind = kind if kind in Suggestion.Kind.values else ""
    page = Paginator(selectors.suggestion_queue(user=request.user, status=status, kind=kind), 25).get_page(
        request.GET.get("page"))
    return render(request, "participation/ws/suggestions.html", {
        "tab": "suggestions", "page": page, "status": status, "kind": kind,
        "statuses": Suggestion.Status.choices, "kinds": Suggestion.Kind.choices})


@workspace_required
@require_http_methods(["GET", "POST"])
def ws_suggestion(request, pk: int):
    suggestion = selectors.suggestion_get(user=request.user, pk=pk)
    if not request.user.has_perm("participation.answer_suggestion", suggestion):
        raise Http404
    form = SuggestionAnswerForm(request.POST or None)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                services.suggestion_answer(actor=request.user, suggestion=suggestion, **form.cleaned_data)
            except (PermissionDenied, ValidationError) as exc:
                general, fields, status = refusal(exc)
                add_service_errors(form, fields, general)
            else:
                messages.success(request, _("The answer is sent to the author."))
                return redirect("participation:ws_suggestions")
        else:
            status = 400
    return render(request, "participation/ws/suggestion.html",
                  {"tab": "suggestions", "suggestion": suggestion, "form": form}, status=status)
