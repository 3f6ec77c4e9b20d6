"""The lists a workspace user reads and the control dashboard whose every number opens one of them.

Both read the same filters (``forms.DashboardForm``) and the same definition of a cell (``krai.orders.cells``), so
a number on the dashboard and the rows of the list it links to are one count.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from krai.orders import cells, dashboard, export, forms, selectors
from krai.orders.models import Status
from krai.orders.views import workspace_required

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
