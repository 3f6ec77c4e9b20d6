"""Pages of a project's plan: the work breakdown table, an item with its links, its forms (change, move dates,
report progress, delete), dependencies, and baselines with the slippage against one of them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from krai.orders.selectors import control_for_subject
from krai.orders.views import workspace_required
from krai.projects import analysis, forms, selectors, services
from krai.projects.models import Dependency, WorkItem
from krai.projects.views import errors_to_form, guard, project_context

PLAN_PAGE = 200


def _editable(request: HttpRequest, project) -> None:
    if not request.user.has_perm("projects.edit_project", project):
        raise PermissionDenied(_("You may not change this project's plan."))


@workspace_required
def project_page(request: HttpRequest, code: str) -> HttpResponse:
    guard(request)
    project = selectors.project_get(user=request.user, code=code)
    result = analysis.analyse(project, items=selectors.plan(project))
    # the plan in outline order, a page at a time (the totals are the whole plan's)
    page = Paginator(result.rows, PLAN_PAGE).get_page(request.GET.get("page"))
    return render(request, "projects/project.html", {**project_context(request, project), "analysis": result,
                                                     "page": page})


def _shift_message(request: HttpRequest, plan) -> None:
    shifted = len(plan.shifted)
    if shifted:
        messages.info(request, ngettext("%(n)s following item shifted.", "%(n)s following items shifted.", shifted)
                      % {"n": shifted})
    for warning in plan.warnings:
        messages.warning(request, warning.message)


@workspace_required
def item_new(request: HttpRequest, code: str) -> HttpResponse:
    guard(request)
    project = selectors.project_get(user=request.user, code=code)
    _editable(request, project)
    parents = [i for i in selectors.plan(project) if i.kind != WorkItem.Kind.CONTROL_POINT]
    initial = {"parent": request.GET.get("parent"), "planned_start": project.starts_on,
               "planned_finish": project.ends_on}
    form = forms.ItemForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parent = next((p for p in parents if p.pk == data["parent"]), None)
        try:
            item = services.item_create(
                actor=request.user, project=project, parent=parent, kind=data["kind"], title=data["title"],
                planned_start=data["planned_start"] or data["planned_finish"], planned_finish=data["planned_finish"],
                owner_organisation=data["owner_organisation"], responsible=data["responsible"],
                budget_planned=data["budget_planned"], pinned=data["pinned"], description=data["description"])
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The item «%(i)s» is added.") % {"i": item})
            return redirect("projects:project", code=project.code)
    return render(request, "projects/item_form.html", {**project_context(request, project), "form": form,
                                                       "item": None})


@workspace_required
def item_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    guard(request)
    project = selectors.project_get(user=request.user, code=code)
    item = selectors.item_get(user=request.user, project=project, pk=pk)
    return render(request, "projects/item.html", {
        **project_context(request, project), "item": item, "assignment": control_for_subject(item),
        "children": item.children.select_related("owner_organisation").order_by("path"),
        "before": item.predecessor_links.select_related("predecessor", "predecessor__project"),
        "after": item.successor_links.select_related("successor", "successor__project"),
        "may_report": request.user.has_perm("projects.report_item", item),
        "dates_form": forms.DatesForm(initial={"planned_start": item.planned_start,
                                               "planned_finish": item.planned_finish}),
        "link_form": forms.LinkForm(), "progress_form": forms.ProgressForm(initial={
            "progress": item.progress, "actual_start": item.actual_start, "actual_finish": item.actual_finish,
            "budget_spent": item.budget_spent})})


@workspace_required
def item_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    guard(request)
    project = selectors.project_get(user=request.user, code=code)
    _editable(request, project)
    item = selectors.item_get(user=request.user, project=project, pk=pk)
    fields = ("kind", "title", "owner_organisation", "responsible", "budget_planned", "pinned", "description")
    form = forms.ItemForm(request.POST or None, editing=True, initial={f: getattr(item, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(actor=request.user, item=item, **{f: form.cleaned_data[f] for f in fields})
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The item is saved."))
            return redirect("projects:item", code=project.code, pk=item.pk)
    return render(request, "projects/item_form.html", {**project_context(request, project), "form": form,
                                                       "item": item})


@workspace_required
def item_dates(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Move an item's planned dates; what follows shifts. Warnings are shown for confirmation first."""
    guard(request)
    project = selectors.project_get(user=request.user, code=code)
    _editable(request, project)
    item = selectors.item_get(user=request.user, project=project, pk=pk)
    form = forms.DatesForm(request.POST or None, initial={"planned_start": item.planned_start,
                                                          "planned_finish": item.planned_finish})
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.reschedule(actor=request.user, project=project, confirm=data["confirm"],
                                       moves={item: (data["planned_start"], data["planned_finish"])})
        except services.NeedsConfirmation as pending:
            warnings = pending.plan.warnings
            form = forms.DatesForm(initial={**data, "confirm": True})
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The dates are moved."))
            _shift_message(request, plan)
            return redirect("projects:project", code=project.code)
    return render(request, "projects/item_dates.html", {**project_context(request, project), "form": form,
                                                        "item": item, "warnings": warnings})


@workspace_required
def item_report(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    guard(request)
    project = selectors.project_get(user=request.user, code=code)
    item = selectors.item_get(user=request.user, project=project, pk=pk)
    if not request.user.has_perm("projects.report_item", item):
        raise PermissionDenied(_("You may not report on this item."))
    form = forms.ProgressForm(request.POST or None, initial={
        "progress": item.progress, "actual_start": item.actual_start, "actual_finish": item.actual_finish,
        "budget_spent": item.budget_spent})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.item_progress(actor=request.user, item=item, progress=data["progress"],
                                   actual_start=data["actual_start"],
                                   actual_finish=data["actual_finish"] if not item.actual_finish else None,
                                   budget_spent=data["budget_spent"], note=data["note"])
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The report on the item is saved."))
            return redirect("projects:item", code=project.code, pk=item.pk)
    return render(request, "projects/item_report.html", {**project_context(request, project), "form": form,
                                                         "item": item})


@require_POST
@workspace_required
def item_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    guard(request)
    project = selectors.project_get(user=request.user, code=code)
    _editable(request, project)
    item = selectors.item_get(user=request.user, project=project, pk=pk)
    services.item_delete(actor=request.user, item=item)
    messages.success(request, _("The item and its parts are deleted."))
    return redirect("projects:project", code=project.code)


@workspace_required
def links(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Add a predecessor to an item (the item and what follows it shift if the link needs it)."""
    guard(request)
    project = selectors.project_get(user=request.user, code=code)
    _editable(request, project)
    item = selectors.item_get(user=request.user, project=project, pk=pk)
    form = forms.LinkForm(request.POST or None)
    warnings = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        predecessor = selectors.item_by_wbs(project=project, reference=data["predecessor"])
        if predecessor is None:
            form.add_error("predecessor", _("No item with this number in the programme."))
        else:
            try:
                _link, plan = services.dependency_add(actor=request.user, predecessor=predecessor, successor=item,
                                                      type=data["type"], lag=data["lag"], confirm=data["confirm"])
            except services.NeedsConfirmation as pending:
                warnings = pending.plan.warnings
                form = forms.LinkForm(initial={**data, "confirm": True})
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The dependency is added."))
                _shift_message(request, plan)
                return redirect("projects:item", code=project.code, pk=item.pk)
    return render(request, "projects/link_form.html", {**project_context(request, project), "form": form,
                                                       "item": item, "warnings": warnings})


@require_POST
@workspace_required
def link_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    guard(request)
    project = selectors.project_get(user=request.user, code=code)
    _editable(request, project)
    link = get_object_or_404(Dependency.objects.select_related("predecessor", "successor", "successor__project"),
                             pk=pk, successor__project=project)
    services.dependency_remove(actor=request.user, dependency=link)
    messages.success(request, _("The dependency is removed."))
    return redirect("projects:item", code=project.code, pk=link.successor_id)


@workspace_required
def baselines(request: HttpRequest, code: str) -> HttpResponse:
    """Saved baselines; save one; compare today's plan with one (slippage per item in days)."""
    guard(request)
    project = selectors.project_get(user=request.user, code=code)
    may_edit = request.user.has_perm("projects.edit_project", project)
    form = forms.BaselineForm(request.POST or None)
    if request.method == "POST":
        _editable(request, project)
        if form.is_valid():
            try:
                saved = services.baseline_save(actor=request.user, project=project, name=form.cleaned_data["name"])
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The baseline «%(b)s» is saved.") % {"b": saved.name})
                return redirect(f"{request.path}?baseline={saved.pk}")
    saved_list = list(selectors.baselines_of(project))
    chosen = None
    if request.GET.get("baseline", "").isdigit():
        chosen = next((b for b in saved_list if b.pk == int(request.GET["baseline"])), None)
    chosen = chosen or (saved_list[0] if saved_list else None)
    slips, moved_only = [], request.GET.get("moved") == "1"
    if chosen is not None:
        result = analysis.analyse(project, items=selectors.plan(project))
        slips = analysis.slippage(result, chosen)
        if moved_only:
            slips = [s for s in slips if s.status != "same"]
    return render(request, "projects/baselines.html", {
        **project_context(request, project), "form": form, "baselines": saved_list, "chosen": chosen,
        "slips": slips, "moved_only": moved_only, "may_edit": may_edit,
        "late_count": sum(1 for s in slips if s.finish_days > 0)})
