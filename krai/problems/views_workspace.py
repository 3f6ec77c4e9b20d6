"""Workspace pages for the bodies that answer and for moderators: queue, moderation, a problem, statistics."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from krai.core.forms import service_errors_onto
from krai.problems import selectors, services
from krai.problems.forms import AnswerForm, MergeForm, PublishForm, ReassignForm, RejectForm
from krai.problems.forms_workspace import BulkModerationForm, ModerationFilterForm, QueueFilterForm


def workspace_required(view):
    """Anonymous visitors go to the login page; signed-in non-staff get the 403 page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("problems.access_workspace"):
            raise PermissionDenied(_("The workspace is for the staff of the region's public bodies."))
        return view(request, *args, **kwargs)

    return wrapper


def _workspace_problem(request, pk: int):
    problem = selectors.problem_get_for_user(user=request.user, pk=pk)
    user = request.user
    acts = (user.has_perm("problems.answer_problem", problem) or user.has_perm("problems.moderate_problem", problem)
            or user.has_perm("problems.reassign_problem", problem))
    # what a queue lists, its reader may open (the governor and the Department of Control read the region's)
    listed = (selectors.workspace_queue(user=user).filter(pk=problem.pk).exists()
              or selectors.moderation_queue(user=user).filter(pk=problem.pk).exists())
    if not (acts or listed):
        raise Http404(_("No such problem."))
    return problem


PAGE_SIZE = 30


def _paged(request, qs) -> dict:
    """A page of ``qs`` with numbered links that keep the filters, and the total count."""
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "query": query.urlencode(), "total": paginator.count,
            "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))}


@require_GET
@workspace_required
def queue(request):
    """Problems sent to the bodies in the user's scope: open ones first, the nearest deadline first."""
    form = QueueFilterForm(request.GET or None)
    filters = form.filters() if request.GET else selectors.Filters()
    return render(request, "problems/ws/queue.html", {
        "form": form, **_paged(request, selectors.workspace_queue(user=request.user, filters=filters)),
        "bodies": selectors.body_names(user=request.user),
        "moderation_count": selectors.moderation_queue(user=request.user).count()})


@require_GET
@workspace_required
def moderation(request):
    """Reports awaiting moderation, the oldest first, with filters and a decision on many at once."""
    form = ModerationFilterForm(request.GET or None)
    filters = form.filters() if request.GET else selectors.Filters()
    return render(request, "problems/ws/moderation.html", {
        "form": form, **_paged(request, selectors.moderation_queue(user=request.user, filters=filters)),
        "bulk_form": BulkModerationForm(initial={"next": request.get_full_path()})})


def _summary(request, result, missing: list[int]) -> None:
    """One message per outcome, naming each report: where it went and by when, or why it was refused."""
    if result.published:
        lines = [_("№%(n)s → %(body)s, answer due %(due)s") % {
            "n": item.pk, "body": item.organisation,
            "due": date_format(item.due_date, "d.m.Y") if item.due_date else "—"} for item in result.published]
        messages.success(request, _("Published and routed: %(n)s.") % {"n": len(lines)} + " " + "; ".join(lines))
    if result.rejected:
        messages.success(request, _("Rejected: %(n)s (%(list)s); the authors are told the reason.") % {
            "n": len(result.rejected), "list": ", ".join(f"№{pk}" for pk in result.rejected)})
    refused = [*result.refused, *[(pk, _("No longer awaiting moderation in your places.")) for pk in missing]]
    if refused:
        messages.error(request, _("Not done: %(n)s.") % {"n": len(refused)} + " " + "; ".join(
            f"№{pk}: {reason}" for pk, reason in refused))


@require_POST
@workspace_required
def moderate_many(request):
    """Publish or reject the ticked reports, each through its own service call; then back to the same page."""
    form = BulkModerationForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}) or not back.startswith("/"):
        back = reverse("problems:moderation")
    if not form.is_valid():
        messages.error(request, _("Tick the reports and choose what to do with them."))
        return redirect(back)
    ids = form.cleaned_data["ids"]
    found = list(selectors.moderation_queue(user=request.user).filter(pk__in=ids))
    missing = sorted(set(ids) - {problem.pk for problem in found})
    if found or not missing:
        try:
            result = services.problems_moderate_many(actor=request.user, problems=found,
                                                     action=form.cleaned_data["action"],
                                                     reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error))
            return redirect(back)
    else:  # every ticked report was moderated meanwhile (or is not the user's): nothing to call
        result = services.BulkResult()
    _summary(request, result, missing)
    return redirect(back)


@require_GET
@workspace_required
def statistics(request):
    by = "municipality" if request.GET.get("by") == "municipality" else "organisation"
    return render(request, "problems/ws/statistics.html",
                  {"rows": selectors.statistics(user=request.user, by=by), "by": by})


def _forms(problem, data=None, files=None, which: str = "") -> dict:
    def bound(name, form_class, initial=None):
        return form_class(data, files) if which == name else form_class(initial=initial)

    return {
        "publish_form": bound("publish", PublishForm, {"public_description": problem.public_description}),
        "reject_form": bound("reject", RejectForm),
        "merge_form": bound("merge", MergeForm),
        "answer_form": bound("answer", AnswerForm),
        "reassign_form": bound("reassign", ReassignForm),
    }


def _render_detail(request, problem, forms: dict, status: int = 200):
    user = request.user
    return render(request, "problems/ws/detail.html", {
        "problem": problem, **forms,
        "timeline": selectors.timeline(user=user, problem=problem),
        "photos": selectors.photos(user=user, problem=problem),
        "can_moderate": user.has_perm("problems.moderate_problem", problem),
        "can_answer": user.has_perm("problems.answer_problem", problem),
        "can_reassign": user.has_perm("problems.reassign_problem", problem),
        # after a decision the moderator goes on to the next report without returning to the list
        "next_new": selectors.moderation_queue(user=user).exclude(pk=problem.pk).values_list("pk", flat=True).first()
        if problem.status != "new" else None,
    }, status=status)


@require_GET
@workspace_required
def detail(request, pk: int):
    problem = _workspace_problem(request, pk)
    return _render_detail(request, problem, _forms(problem))


def _perform(request, problem, action: str, form):
    user = request.user
    if action == "take":
        return services.problem_take(actor=user, problem=problem)
    data = form.cleaned_data
    if action == "publish":
        return services.problem_publish(actor=user, problem=problem, public_description=data["public_description"],
                                        organisation=data.get("organisation"))
    if action == "reject":
        return services.problem_reject(actor=user, problem=problem, reason=data["reason"])
    if action == "merge":
        into = selectors.problem_get_for_user(user=user, pk=data["into"])
        return services.problem_merge(actor=user, problem=problem, into=into)
    if action == "answer":
        return services.problem_answer(actor=user, problem=problem, answer=data["answer"], text=data["text"],
                                       planned_date=data.get("planned_date"), programme=data.get("programme", ""),
                                       photos=request.FILES.getlist("photos"))
    if action == "reassign":
        return services.problem_reassign(actor=user, problem=problem, organisation=data["organisation"],
                                         reason=data["reason"])
    raise Http404


@require_POST
@workspace_required
def act(request, pk: int, action: str):
    """One of the workspace's acts on a problem; a refusal shows by the form it came from."""
    if action not in ("take", "publish", "reject", "merge", "answer", "reassign"):
        raise Http404
    problem = _workspace_problem(request, pk)
    forms = _forms(problem, request.POST, request.FILES, which=action)
    form = forms.get(f"{action}_form")
    if form is None or form.is_valid():
        try:
            _perform(request, problem, action, form)
        except ValidationError as error:
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect("problems:ws-detail", pk=pk)
            service_errors_onto(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error) or _("You may not do this."))
            return redirect("problems:ws-detail", pk=pk)
        else:
            if action == "publish":
                # the moderator lands on the report itself: where it went and by when, said twice
                problem.refresh_from_db()
                messages.success(request, _("Published and routed to %(body)s; the answer is due %(due)s.") % {
                    "body": problem.organisation.name if problem.organisation_id else "—",
                    "due": date_format(problem.due_date, "d.m.Y") if problem.due_date else "—"})
                return redirect("problems:ws-detail", pk=pk)
            messages.success(request, _("Done."))
            if action in ("reject", "merge"):
                return redirect("problems:moderation")
            return redirect("problems:ws-detail", pk=pk)
    problem.refresh_from_db()
    return _render_detail(request, problem, forms, status=400)
