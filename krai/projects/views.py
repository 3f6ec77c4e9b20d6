"""Pages of programmes and projects: the list, a programme, the forms, a project's card for the governor,
its risks and status reports. The plan's own pages are in ``views_plan``, the roadmap in ``views_gantt``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from krai.monitoring.indicators.selectors import deviation_table
from krai.orders.views import workspace_required
from krai.projects import analysis, forms, selectors, services
from krai.projects.models import Programme, Project, Risk, WorkItem

PAGE = 50


def guard(request: HttpRequest) -> None:
    if not request.user.has_perm("projects.view"):
        raise PermissionDenied(_("Projects are for the staff of the region's public bodies."))


def errors_to_form(form, error: ValidationError) -> None:
    """A service's refusal shown by the field it names (or above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def project_context(request: HttpRequest, project: Project) -> dict:
    return {"project": project, "programme": project.programme,
            "may_edit": request.user.has_perm("projects.edit_project", project)}


@workspace_required
def home(request: HttpRequest) -> HttpResponse:
    """Programmes with their projects and each project's health, filterable by level and health."""
    guard(request)
    level = request.GET.get("level", "")
    health = request.GET.get("health", "")
    query = request.GET.get("q", "").strip()[:100]
    projects = selectors.projects_for(request.user).select_related("programme", "owner_organisation", "manager")
    if level in Programme.Level.values:
        projects = projects.filter(programme__level=level)
    if query:
        projects = projects.filter(title__icontains=query) | projects.filter(code__icontains=query)
    status = request.GET.get("status", "open")
    if status == "open":
        projects = projects.exclude(status=Project.Status.CLOSED)
    everything = analysis.analyse_all(projects.order_by("programme__level", "programme__code", "code"))
    counts = analysis.health_counts(everything)
    rows = [r for r in everything if not health or r.health == health]
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(request, "projects/home.html", {
        "page": page, "levels": Programme.Level.choices, "level": level, "health": health, "q": query,
        "status": status,
        "healths": [(k, str(v)) for k, v in analysis.HEALTH.items()], "counts": counts,
        "programmes": selectors.programmes_for(request.user).annotate(n=Count("projects")).order_by("level", "code"),
        "may_create": request.user.has_perm("projects.create_programme")})


@workspace_required
def programme_new(request: HttpRequest) -> HttpResponse:
    guard(request)
    if not request.user.has_perm("projects.create_programme"):
        raise PermissionDenied(_("You may not create programmes."))
    form = forms.ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(actor=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            errors_to_form(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
        else:
            messages.success(request, _("The programme is created."))
            return redirect("projects:programme", code=programme.code)
    return render(request, "projects/programme_form.html", {"form": form, "programme": None})


@workspace_required
def programme_page(request: HttpRequest, code: str) -> HttpResponse:
    guard(request)
    programme = selectors.programme_get(user=request.user, code=code)
    visible = selectors.projects_for(request.user).filter(programme=programme).select_related(
        "owner_organisation", "manager")
    results = [analysis.analyse(p) for p in visible.order_by("code")]
    return render(request, "projects/programme.html", {
        "programme": programme, "results": results,
        "may_manage": request.user.has_perm("projects.manage_programme", programme)})


@workspace_required
def programme_edit(request: HttpRequest, code: str) -> HttpResponse:
    guard(request)
    programme = selectors.programme_get(user=request.user, code=code)
    if not request.user.has_perm("projects.manage_programme", programme):
        raise PermissionDenied(_("You may not change this programme."))
    names = ("code", "title", "level", "description", "owner_organisation", "curator", "starts_on", "ends_on")
    form = forms.ProgrammeForm(request.POST or None, initial={n: getattr(programme, n) for n in names})
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The programme is saved."))
            return redirect("projects:programme", code=programme.code)
    return render(request, "projects/programme_form.html", {"form": form, "programme": programme})


@workspace_required
def project_new(request: HttpRequest, code: str) -> HttpResponse:
    guard(request)
    programme = selectors.programme_get(user=request.user, code=code)
    if not request.user.has_perm("projects.manage_programme", programme):
        raise PermissionDenied(_("You may not add projects to this programme."))
    form = forms.ProjectForm(request.POST or None, initial={
        "owner_organisation": programme.owner_organisation_id, "starts_on": programme.starts_on,
        "ends_on": programme.ends_on, "manager": request.user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=request.user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The project is created: now add its stages and tasks."))
            return redirect("projects:project", code=project.code)
    return render(request, "projects/project_form.html", {"form": form, "programme": programme, "project": None})


@workspace_required
def project_edit(request: HttpRequest, code: str) -> HttpResponse:
    guard(request)
    project = selectors.project_get(user=request.user, code=code)
    if not request.user.has_perm("projects.edit_project", project):
        raise PermissionDenied(_("You may not change this project."))
    names = ("code", "title", "goal", "status", "owner_organisation", "manager", "curator", "starts_on", "ends_on",
             "budget_planned")
    form = forms.ProjectForm(request.POST or None, initial={
        **{n: getattr(project, n) for n in names},
        "indicators": ", ".join(project.indicators.order_by("code").values_list("code", flat=True))})
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(actor=request.user, project=project, **form.cleaned_data)
        except ValidationError as error:
            errors_to_form(form, error)
        else:
            messages.success(request, _("The project is saved."))
            return redirect("projects:project", code=form.cleaned_data["code"])
    return render(request, "projects/project_form.html", {"form": form, "programme": project.programme,
                                                          "project": project})


def next_control_points(result: analysis.Analysis, limit: int = 5) -> list[analysis.Row]:
    return [r for r in sorted(result.rows, key=lambda r: r.item.planned_finish)
            if r.item.kind == WorkItem.Kind.CONTROL_POINT and not r.item.is_done][:limit]


@workspace_required
def project_card(request: HttpRequest, code: str) -> HttpResponse:
    """The governor's card: goal, health with reasons, indicators, budget, risks, last reports, next control points."""
    guard(request)
    project = selectors.project_get(user=request.user, code=code)
    result = analysis.analyse(project, items=selectors.plan(project))
    indicators = []
    codes = set(project.indicators.values_list("code", flat=True))
    if codes:
        indicators = [row for row in deviation_table(user=request.user) if row.indicator.code in codes]
    return render(request, "projects/card.html", {
        **project_context(request, project), "analysis": result, "indicators": indicators,
        "risks": project.risks.filter(is_open=True)[:10], "reports": project.reports.select_related("author")[:3],
        "control_points": next_control_points(result),
        "late_items": [r for r in result.rows if r.overdue and not r.has_parts][:10]})


@workspace_required
def risks(request: HttpRequest, code: str) -> HttpResponse:
    guard(request)
    project = selectors.project_get(user=request.user, code=code)
    may_edit = request.user.has_perm("projects.edit_project", project)
    form = forms.RiskForm(request.POST or None)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("You may not change this project."))
        if "close" in request.POST:
            risk = get_object_or_404(Risk, pk=request.POST.get("close"), project=project)
            services.risk_update(actor=request.user, risk=risk, is_open=False)
            messages.success(request, _("The risk is closed."))
            return redirect("projects:risks", code=project.code)
        if form.is_valid():
            try:
                services.risk_add(actor=request.user, project=project, **form.cleaned_data)
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The risk is added."))
                return redirect("projects:risks", code=project.code)
    return render(request, "projects/risks.html", {**project_context(request, project), "form": form,
                                                   "risks": project.risks.all()})


@workspace_required
def reports(request: HttpRequest, code: str) -> HttpResponse:
    guard(request)
    project = selectors.project_get(user=request.user, code=code)
    may_edit = request.user.has_perm("projects.edit_project", project)
    form = forms.StatusReportForm(request.POST or None)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied(_("You may not change this project."))
        if form.is_valid():
            try:
                services.status_report_add(actor=request.user, project=project, text=form.cleaned_data["text"])
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("The report is published."))
                return redirect("projects:reports", code=project.code)
    page = Paginator(project.reports.select_related("author"), 20).get_page(request.GET.get("page"))
    return render(request, "projects/reports.html", {**project_context(request, project), "form": form,
                                                     "page": page})
