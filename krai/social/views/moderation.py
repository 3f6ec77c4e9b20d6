"""Pages of the community's moderation: reporting (portal) and the moderators' queue, a report with its
decisions, and bans (workspace; anyone but a moderator gets 404).

Opening a report about a message is the one staff path to a message's text: the page calls
``services.message_inspect``, which records the audited event before the messages are shown.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from krai.core.forms import service_errors_onto
from krai.social import policy, services
from krai.social.forms_moderation import BanForm, HideForm, LiftForm, NoteForm, QueueFilterForm, ReportForm
from krai.social.models import AbuseReport, Message
from krai.social.selectors import moderation as selectors

PAGE_SIZE = 30


def _moderator(request: HttpRequest) -> None:
    if not policy.is_moderator(request.user):
        raise Http404


def _block_url(user: Any, owner_id: int | None) -> str:
    """The block page for the reported account, if the profiles part offers one and blocking makes sense."""
    if not owner_id or owner_id == user.pk or policy.has_blocked(user, owner_id):
        return ""
    try:
        return reverse("social:block", args=[owner_id])
    except NoReverseMatch:
        return ""


# --- reporting -------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, kind: str, pk: str) -> HttpResponse:
    """Report something: the reasons, a few words for the moderators, then a thank-you."""
    target = selectors.report_target(user=request.user, kind=kind, pk=pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(actor=request.user, target=target, **form.cleaned_data)
        except ValidationError as error:
            service_errors_onto(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect("social:report_done", kind=kind, pk=pk)
    return render(request, "social/moderation/report.html", {
        "form": form, "kind": kind, "target": target, "target_text": selectors.target_text(target)
        if kind != "message" else "", "already": selectors.has_open_report(reporter=request.user, obj=target)})


@login_required
def report_done(request: HttpRequest, kind: str, pk: str) -> HttpResponse:
    target = selectors.report_target(user=request.user, kind=kind, pk=pk)
    return render(request, "social/moderation/report_done.html", {
        "kind": kind, "target": target,
        "block_url": _block_url(request.user, selectors.owner_id_of(target))})


# --- the queue -------------------------------------------------------------------------------------

@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """Open reports grouped by the object reported, the longest waiting first."""
    _moderator(request)
    form = QueueFilterForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    groups = selectors.queue(user=request.user, reason=cleaned.get("reason", ""), kind=cleaned.get("kind", ""))
    paginator = Paginator(groups, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "social/moderation/queue.html", {
        "form": form, "page": page, "rows": selectors.queue_rows(page.object_list), "total": paginator.count,
        "query": query.urlencode(),
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))})


def _decide(request: HttpRequest, report: AbuseReport, target: Any, forms: dict[str, Any]) -> bool:
    """Apply the posted decision; ``False`` (the form shows why) when the service refused."""
    action = request.POST.get("action", "")
    form = forms.get(action)
    if form is None or not form.is_valid():
        return False
    user = request.user
    try:
        if action == "hide":
            services.content_hide(actor=user, target=target, reason=form.cleaned_data["reason"])
        elif action == "restore":
            services.content_restore(actor=user, target=target, note=form.cleaned_data["note"])
        elif action == "dismiss":
            services.report_dismiss(actor=user, report=report, note=form.cleaned_data["note"])
        elif action == "ban":
            services.ban_create(actor=user, user=report.target_owner, report=report, **form.cleaned_data)
    except ValidationError as error:
        service_errors_onto(form, error)
        return False
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A report, the object reported and the decisions. A message shows only here, only while the report is open,
    with up to five messages before it — each opening recorded."""
    _moderator(request)
    report = selectors.report_get(user=request.user, pk=pk)
    target = selectors.target_of(report)
    posted = request.POST if request.method == "POST" else None
    action = request.POST.get("action", "") if posted else ""
    forms = {"hide": HideForm(posted if action == "hide" else None, prefix="hide"),
             "restore": NoteForm(posted if action == "restore" else None, prefix="restore"),
             "dismiss": NoteForm(posted if action == "dismiss" else None, prefix="dismiss"),
             "ban": BanForm(posted if action == "ban" else None, prefix="ban")}
    if posted is not None and target is not None and _decide(request, report, target, forms):
        messages.success(request, _("Done."))
        return redirect("social:moderation_report", pk=report.pk)
    conversation = []
    if isinstance(target, Message) and report.status == AbuseReport.Status.OPEN:
        conversation = services.message_inspect(actor=request.user, report=report)
    kind = selectors.kind_of(target) if target is not None else None
    active_ban = policy.active_ban(report.target_owner)
    return render(request, "social/moderation/report_detail.html", {
        "report": report, "target": target, "kind": kind, "target_text": selectors.target_text(target),
        "hidden": target is not None and selectors.is_hidden(target), "conversation": conversation,
        "others": selectors.reports_on_target(report), "forms": forms,
        "may_hide": target is not None and kind != "profile",
        # hiding first closes the report, and the author may still deserve a ban: offered while none is in force
        "may_ban": report.target_owner is not None and active_ban is None,
        "active_ban": active_ban})


# --- bans ------------------------------------------------------------------------------------------

@login_required
def bans(request: HttpRequest) -> HttpResponse:
    _moderator(request)
    past = Paginator(selectors.bans_for(user=request.user, active=False), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "social/moderation/bans.html", {
        "active": selectors.bans_for(user=request.user, active=True), "past": past, "lift_form": LiftForm()})


@login_required
@require_POST
def ban_lift(request: HttpRequest, pk: int) -> HttpResponse:
    _moderator(request)
    ban = selectors.ban_get(user=request.user, pk=pk)
    form = LiftForm(request.POST)
    if form.is_valid():
        try:
            services.ban_lift(actor=request.user, ban=ban, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The ban is lifted."))
    else:
        messages.error(request, _("Say why the ban is lifted."))
    return redirect("social:bans")


urlpatterns = [
    path("community/report/<str:kind>/<str:pk>/", report, name="report"),
    path("community/report/<str:kind>/<str:pk>/done/", report_done, name="report_done"),
    path("workspace/community/reports/", queue, name="moderation"),
    path("workspace/community/reports/<int:pk>/", report_detail, name="moderation_report"),
    path("workspace/community/bans/", bans, name="bans"),
    path("workspace/community/bans/<int:pk>/lift/", ban_lift, name="ban_lift"),
]
