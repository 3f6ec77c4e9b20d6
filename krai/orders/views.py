"""Workspace pages of orders control: lists, an order and its tree, an assignment with its actions (htmx),
the order form, the dashboard with its drill-down, chart and XLSX export. Thin: services and selectors decide."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krai.core.forms import service_errors_onto
from krai.orders import cells, dashboard, export, forms, selectors, services
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


TABS = (
    ("mine", gettext_lazy("My assignments")),
    ("given", gettext_lazy("Given by me")),
    ("to_accept", gettext_lazy("To accept")),
    ("overdue", gettext_lazy("Overdue")),
    ("all", gettext_lazy("All I can see")),
)
BUCKETS = {"total": gettext_lazy("counted (cancelled ones aside)"), "done": gettext_lazy("executed"),
           "open": gettext_lazy("on control"), "overdue": gettext_lazy("overdue"),
           "late": gettext_lazy("executed late")}
#: the dashboard's filters, carried by its links to the lists (the list reads them with the same form)
FILTERS = ("period_from", "period_to", "priority", "source", "kind", "as_of")
PLACES = ("block", "body", "executor", "issuer")


def _int(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


def _day(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _list_filter(params, cleaned: dict) -> selectors.ListFilter:
    which = params.get("list", "mine")
    return selectors.ListFilter(
        which=which if which in selectors.LISTS else "mine", kind=cleaned.get("kind") or "",
        status=params.get("status", "") if params.get("status", "") in Status.values else "",
        priority=cleaned.get("priority") or "", source=cleaned.get("source") or "",
        block=_int(params.get("block")), body=_int(params.get("body")), executor=_int(params.get("executor")),
        issuer=_int(params.get("issuer")), bucket=params.get("bucket", "") if params.get("bucket") in BUCKETS else "",
        top_only=params.get("top") == "1", search=params.get("q", "")[:200], period_from=cleaned.get("period_from"),
        period_to=cleaned.get("period_to"), as_of=cleaned.get("as_of"), done_from=_day(params.get("done_from")))


@require_GET
@workspace_required
def assignment_list(request):
    form = forms.DashboardForm({k: v for k, v in request.GET.items() if k in FILTERS})
    cleaned = form.cleaned_data if form.is_valid() else {}
    f = _list_filter(request.GET, cleaned)
    if "list" not in request.GET and any(k in request.GET for k in (*PLACES, "bucket")):
        f.which = "all"  # a dashboard number's link
    elif "list" not in request.GET:
        f.which = selectors.default_list(request.user)  # "under my control" for those who give orders
    qs = selectors.assignment_list(user=request.user, filters=f)
    if request.GET.get("format") == "xlsx":
        rows = qs[:export.MAX_ROWS]
        return export.assignments_xlsx(cells.as_it_was(rows) if f.as_of else rows, today=f.as_of)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    if f.as_of:  # the rows as they stood that day
        page.object_list = cells.as_it_was(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "orders/list.html", {
        "tabs": TABS, "which": f.which, "page": page, "filters": f, "query": query.urlencode(), "form": form,
        "places": [(k, request.GET[k]) for k in PLACES if _int(request.GET.get(k)) is not None],
        "bucket_label": BUCKETS.get(f.bucket, ""), "today": f.as_of or timezone.localdate(),
        "can_give": request.user.has_perm("orders.add_order"),
        "can_dashboard": request.user.has_perm("orders.view_dashboard"),
    })


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


def _make_form(action: Action, assignment, data=None):
    if action.form in (forms.DelegateForm, forms.ReassignForm):
        return action.form(data, assignment=assignment, prefix=action.name)
    return action.form(data, prefix=action.name)


def _available(user, assignment) -> list[tuple[Action, Any]]:
    return [(a, _make_form(a, assignment)) for a in ACTIONS
            if assignment.status in a.statuses and user.has_perm(a.perm, assignment)]


def _assignment_context(request, assignment, *, forms_override=None) -> dict:
    actions = _available(request.user, assignment)
    if forms_override:
        actions = [(a, forms_override.get(a.name, f)) for a, f in actions]
    extension = selectors.open_extension(assignment)
    shown = selectors.tree_for_user(user=request.user, root=assignment)
    return {
        "a": assignment, "actions": actions, "order": selectors.order_for_assignment(assignment),
        "reports": assignment.reports.select_related("author", "decided_by"),
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
    form = _make_form(act, assignment, request.POST)
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


# --- dashboard ---------------------------------------------------------------------------------------

@require_GET
@workspace_required
def dashboard_view(request):
    if not request.user.has_perm("orders.view_dashboard"):
        raise PermissionDenied(_("The dashboard is for heads, vice-governors, the governor and controllers."))
    form = forms.DashboardForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = dashboard.Filters(period_from=cleaned.get("period_from"), period_to=cleaned.get("period_to"),
                                priority=cleaned.get("priority", ""), source=cleaned.get("source", ""),
                                kind=cleaned.get("kind", ""))
    level = request.GET.get("level", "region")
    ids = {k: _int(request.GET.get(k)) for k in ("block", "body", "executor")}
    load = dashboard.control_load(user=request.user, level=level, filters=filters, as_of=cleaned.get("as_of"), **ids)
    level_label = {"region": _("Block"), "block": _("Organisation"), "body": _("Executor"),
                   "executor": _("Given by")}[load.level]
    if request.GET.get("format") == "xlsx":
        return export.dashboard_xlsx(load)
    if request.GET.get("format") == "pdf":
        worst = dashboard.worst_overdue(user=request.user, filters=filters, as_of=load.as_of, **ids)
        return export.dashboard_pdf(load, level_label=level_label, filters=_applied(form, cleaned), worst=worst)
    # the filters in force (as validated), carried by every drill-down and every number's link
    filter_params = {k: request.GET[k] for k in FILTERS if cleaned.get(k) not in (None, "")}
    list_url = reverse("orders:list")

    def numbers(link: dict) -> dict:
        return {b: f"{list_url}?{urlencode({'list': 'all', **link, **filter_params, 'bucket': b})}"
                for b in ("total", "done", "open", "overdue", "late")}

    rows = [{"row": row, "drill": (f"?{urlencode({**row.drill, **filter_params})}" if row.drill else ""),
             "links": numbers(row.link)} for row in load.rows]
    totals_links = numbers(load.totals.link)
    top_links = numbers(load.top.link) if load.top else {}
    chart = {"labels": [r.label for r in load.rows], "done": [r.done for r in load.rows],
             "open": [r.open - r.overdue for r in load.rows], "overdue": [r.overdue for r in load.rows],
             "names": {"done": _("executed"), "open": _("on control, in time"), "overdue": _("overdue")}}
    trend = dashboard.trend(user=request.user, filters=filters, level=load.level, as_of=load.as_of, **ids)
    worst = dashboard.worst_overdue(user=request.user, filters=filters, as_of=load.as_of, **ids)
    crumbs = [(label, f"?{urlencode({**params, **filter_params})}") for label, params in load.crumbs]
    export_query = request.GET.copy()
    export_query["format"] = "xlsx"
    pdf_query = request.GET.copy()
    pdf_query["format"] = "pdf"
    return render(request, "orders/dashboard.html", {
        "form": form, "load": load, "rows": rows, "totals_links": totals_links, "top_links": top_links,
        "chart": chart,
        "trend": {"months": [t["month"] for t in trend], "given": [t["given"] for t in trend],
                  "done": [t["done"] for t in trend], "late": [t["late"] for t in trend],
                  "names": {"given": _("given"), "done": _("executed"), "late": _("executed late")}},
        "worst": worst, "crumbs": crumbs, "export_url": f"?{export_query.urlencode()}",
        "pdf_url": f"?{pdf_query.urlencode()}", "level_label": level_label,
    })


def _applied(form, cleaned: dict) -> list[tuple[str, str]]:
    """The dashboard filters in force as (label, shown value) pairs, for the PDF's heading."""
    out = []
    for name, field in form.fields.items():
        value = cleaned.get(name)
        if value in (None, ""):
            continue
        if hasattr(field, "choices"):
            value = dict(field.choices).get(value, value)
        elif hasattr(value, "strftime"):
            value = f"{value:%d.%m.%Y}"
        out.append((str(field.label), str(value)))
    return out
