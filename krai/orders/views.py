"""Workspace pages of orders control: lists, an order and its tree, an assignment with its actions (htmx),
the order form, the dashboard with its drill-down, chart and XLSX export. Thin: services and selectors decide."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krai.core.forms import service_errors_onto
from krai.orders import forms, selectors, services
from krai.orders.models import Extension, Status


def workspace_required(view):
    """Anonymous visitors go to the login page; signed-in non-staff get 403."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("workspace.access"):
            raise PermissionDenied(_("The workspace is for the staff of the region's public bodies."))
        return view(request, *args, **kwargs)

    return wrapper


@require_http_methods(["GET", "POST"])
@workspace_required
def order_create(request):
    if not request.user.has_perm("orders.add_order"):
        raise PermissionDenied(_("You may not give orders."))
    form = forms.OrderForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        issue = data.pop("issue")
        co = [(org, None) for org in data.pop("co_executors")]
        points = data.pop("control_points")
        data["period"] = data.get("period") or ""
        data["number"] = data.get("number") or ""
        try:
            with transaction.atomic():
                order = services.order_create(actor=request.user, co_executors=co, control_points=points, **data)
                if issue:
                    order = services.order_issue(actor=request.user, order=order)
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(request, _("The order is issued and taken on control.") if issue
                             else _("The draft is saved."))
            return redirect("orders:order", pk=order.pk)
    return render(request, "orders/order_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@workspace_required
def order_edit(request, pk: int):
    """The creation form over a draft: save it (``order_update``), or save and issue it in one step."""
    order = selectors.order_get_for_user(user=request.user, pk=pk)
    if not request.user.has_perm("orders.change_order", order):
        raise PermissionDenied(_("Only the issuer may change an order, and only while it is a draft."))
    form = forms.OrderForm(request.POST or None, order=order, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        issue = data.pop("issue")
        data.pop("number", None)  # the number is given when the draft is made
        users = {c.organisation_id: c.user for c in order.co_executors.all()}  # keep the named persons
        co = [(org, users.get(org.pk)) for org in data.pop("co_executors")]
        points = data.pop("control_points")
        data["period"] = data.get("period") or ""
        try:
            with transaction.atomic():
                order = services.order_update(actor=request.user, order=order, co_executors=co,
                                              control_points=points, **data)
                if issue:
                    order = services.order_issue(actor=request.user, order=order)
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(request, _("The order is issued and taken on control.") if issue
                             else _("The draft is saved."))
            return redirect("orders:order", pk=order.pk)
    return render(request, "orders/order_form.html", {"form": form, "order": order})


@require_GET
@workspace_required
def order_detail(request, pk: int):
    order = selectors.order_get_for_user(user=request.user, pk=pk)
    rows, visible, history = [], set(), []
    if order.assignment_id:
        # only the branches the user's scope reaches, and the path down to them (selectors.tree_for_user)
        shown = selectors.tree_for_user(user=request.user, root=order.assignment)
        rows, visible = shown.rows, shown.visible
        history = selectors.tree_history_for_user(user=request.user, root=order.assignment, shown=shown
                                                  ).order_by("at", "id")
    return render(request, "orders/order_detail.html", {
        "order": order, "tree": rows, "visible": visible, "history": history, "today": timezone.localdate(),
        "can_issue": request.user.has_perm("orders.issue_order", order),
        "can_edit": request.user.has_perm("orders.change_order", order),
    })


@require_POST
@workspace_required
def order_issue(request, pk: int):
    order = selectors.order_get_for_user(user=request.user, pk=pk)
    try:
        services.order_issue(actor=request.user, order=order)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The order is issued and taken on control."))
    return redirect("orders:order", pk=order.pk)


# --- an assignment and its actions -------------------------------------------------------------------

@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    perm: str
    form: type
    call: Any
    statuses: tuple[str, ...]
    style: str = "primary"


ACTIONS = (
    Action("report", gettext_lazy("Report execution"), "orders.report_assignment", forms.ReportForm,
           lambda u, a, d: services.control_report(actor=u, assignment=a, **d), (Status.ISSUED, Status.IN_PROGRESS)),
    Action("delegate", gettext_lazy("Delegate"), "orders.delegate_assignment", forms.DelegateForm,
           lambda u, a, d: services.control_delegate(actor=u, assignment=a, **d), (Status.ISSUED, Status.IN_PROGRESS),
           "secondary"),
    Action("accept", gettext_lazy("Accept: remove from control as executed"), "orders.accept_assignment", forms.Empty,
           lambda u, a, d: services.control_accept(actor=u, assignment=a), (Status.REPORTED,), "success"),
    Action("return", gettext_lazy("Return for rework"), "orders.return_assignment", forms.ReasonForm,
           lambda u, a, d: services.control_return(actor=u, assignment=a, **d), (Status.REPORTED,), "warning"),
    Action("request_extension", gettext_lazy("Ask for an extension"), "orders.request_extension_assignment",
           forms.DeadlineForm, lambda u, a, d: services.control_extension_request(actor=u, assignment=a, **d),
           (Status.ISSUED, Status.IN_PROGRESS), "secondary"),
    Action("extend", gettext_lazy("Extend the deadline"), "orders.extend_assignment", forms.DeadlineForm,
           lambda u, a, d: services.control_extend(actor=u, assignment=a, **d),
           (Status.ISSUED, Status.IN_PROGRESS, Status.REPORTED), "secondary"),
    Action("reassign", gettext_lazy("Reassign"), "orders.reassign_assignment", forms.ReassignForm,
           lambda u, a, d: services.control_reassign(actor=u, assignment=a, **d),
           (Status.ISSUED, Status.IN_PROGRESS), "secondary"),
    Action("cancel", gettext_lazy("Cancel"), "orders.cancel_assignment", forms.ReasonForm,
           lambda u, a, d: services.control_cancel(actor=u, assignment=a, **d),
           (Status.ISSUED, Status.IN_PROGRESS, Status.REPORTED), "danger"),
)
ACTION_BY_NAME = {a.name: a for a in ACTIONS}


def _make_form(action: Action, assignment, data=None, files=None):
    if action.form in (forms.DelegateForm, forms.ReassignForm):
        return action.form(data, files=files, assignment=assignment, prefix=action.name)
    return action.form(data, files=files, prefix=action.name)


def _available(user, assignment) -> list[tuple[Action, Any]]:
    return [(a, _make_form(a, assignment)) for a in ACTIONS
            if assignment.status in a.statuses and user.has_perm(a.perm, assignment)]


def _assignment_context(request, assignment, *, forms_override=None) -> dict:
    actions = _available(request.user, assignment)
    if forms_override:
        actions = [(a, forms_override.get(a.name, f)) for a, f in actions]
    extension = selectors.open_extension(assignment)
    shown = selectors.tree_for_user(user=request.user, root=assignment)
    reports = list(assignment.reports.select_related("author", "decided_by"))
    return {
        "a": assignment, "actions": actions, "order": selectors.order_for_assignment(assignment),
        "subject_url": selectors.subject_url(assignment) if assignment.kind != "order" else "",
        "reports": reports, "with_photos": selectors.reports_with_photos(reports),
        "extensions": assignment.extensions.select_related("requested_by", "decided_by"),
        "open_extension": extension,
        "decide_form": forms.DecideForm(prefix="decide") if extension and request.user.has_perm(
            "orders.extend_assignment", assignment) else None,
        "history": selectors.history(assignment).order_by("at", "id"),
        "tree": selectors.subtree_for_user(user=request.user, assignment=assignment, shown=shown),
        "visible": shown.visible,
        "today": timezone.localdate(),
    }


@require_GET
@workspace_required
def assignment_detail(request, pk: int):
    assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
    return render(request, "orders/assignment_detail.html", _assignment_context(request, assignment))


@require_POST
@workspace_required
def assignment_action(request, pk: int, action: str):
    assignment = selectors.assignment_get_for_user(user=request.user, pk=pk)
    act = ACTION_BY_NAME.get(action)
    if act is None:
        raise Http404
    form = _make_form(act, assignment, request.POST, request.FILES)
    if form.is_valid():
        try:
            act.call(request.user, assignment, dict(form.cleaned_data))
        except ValidationError as error:
            service_errors_onto(form, error)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": act.label})
            url = reverse("orders:assignment", args=[assignment.pk])
            if request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    if request.headers.get("HX-Request"):
        return render(request, "orders/_action_form.html", {"a": assignment, "action": act, "form": form})
    context = _assignment_context(request, assignment, forms_override={act.name: form})
    return render(request, "orders/assignment_detail.html", context, status=400)


@require_POST
@workspace_required
def extension_decide(request, pk: int):
    extension = Extension.objects.filter(pk=pk).first()
    if extension is None:
        raise Http404
    assignment = selectors.assignment_get_for_user(user=request.user, pk=extension.assignment_id)
    form = forms.DecideForm(request.POST, prefix="decide")
    if form.is_valid():
        try:
            services.control_extension_decide(actor=request.user, extension=extension, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The decision on the extension is recorded."))
    else:
        messages.error(request, _("Check the decision form."))
    return redirect("orders:assignment", pk=assignment.pk)
