"""The reports' pages in the workspace under /workspace/reports/: the templates I keep or receive, a template's
form (new, change, remove), a template's page with its editions (dated, each downloadable as PDF and XLSX) and
"generate now", and an edition's files.

Members of staff only; a template or an edition of someone else answers 404 like a missing one. Every write goes
through ``krai.reports.services``; a refusal comes back on the form with nothing saved.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krai.core.exports import safe_filename
from krai.core.forms import carried_out, service_errors_onto
from krai.orders import pickers
from krai.reports import sections, selectors, services
from krai.reports.forms import TemplateForm
from krai.reports.models import Edition, Template

FORMATS = {"pdf": "application/pdf",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def reports_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the login page; anyone outside the staff gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.has_perm("reports.use"):
            raise PermissionDenied(_("Reports are kept by members of staff."))
        return view(request, *args, **kwargs)

    return wrapper


def edition_file(edition: Edition, fmt: str) -> FileResponse:
    """An edition's PDF or XLSX as a download (404 when it has none yet)."""
    stored = getattr(edition, fmt, None) if fmt in FORMATS else None
    if not stored or edition.status != Edition.Status.DONE:
        raise Http404
    name = safe_filename(f"report-{edition.template_id}-{edition.period_start:%Y-%m-%d}", fmt)
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name, content_type=FORMATS[fmt])


@require_GET
@reports_required
def home(request: HttpRequest) -> HttpResponse:
    templates = list(selectors.templates_visible_to(request.user))
    latest = {e.template_id: e for e in Edition.objects.filter(template__in=templates).order_by("period_start")}
    labels = dict(sections.choices())
    rows = [{"template": t, "latest": latest.get(t.pk), "mine": t.owner_id == request.user.pk,
             "sections": [str(labels.get(key, key)) for key in t.sections]} for t in templates]
    return render(request, "reports/home.html", {"rows": rows})


def _form_page(request: HttpRequest, template: Template | None) -> HttpResponse:
    initial = TemplateForm.initial_of(template) if template else {"publication": Template.Publication.WORKSPACE,
                                                                    "frequency": Template.Frequency.MONTHLY}
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if template is None:
                template = services.template_create(actor=request.user, **form.values())
            else:
                services.template_update(actor=request.user, template=template, **form.values())
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            return redirect("reports:template", pk=template.pk)
    return render(request, "reports/template_form.html", {"form": form, "template": template,
                                                          "kinds": sections.kinds()})


@require_http_methods(["GET", "POST"])
@reports_required
def template_new(request: HttpRequest) -> HttpResponse:
    return _form_page(request, None)


@require_http_methods(["GET", "POST"])
@reports_required
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.template_get(user=request.user, pk=pk)
    if not request.user.has_perm("reports.change_template", template):
        raise Http404  # a recipient reads the template; its form is the owner's
    return _form_page(request, template)


@require_GET
@reports_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.template_get(user=request.user, pk=pk)
    labels = dict(sections.choices())
    return render(request, "reports/template.html", {
        "template": template, "editions": selectors.editions_of(template),
        "sections": [str(labels.get(key, key)) for key in template.sections],
        "recipients": template.recipients.order_by("surname", "given_name"),
        "can_change": request.user.has_perm("reports.change_template", template)})


@require_POST
@reports_required
def template_generate(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.template_get(user=request.user, pk=pk)
    if not request.user.has_perm("reports.change_template", template):
        raise Http404
    carried_out(request, lambda: services.edition_generate_now(actor=request.user, template=template),
                _("The edition of the last period is being generated; the page shows it when it is ready."))
    return redirect("reports:template", pk=template.pk)


@require_POST
@reports_required
def template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    template = selectors.template_get(user=request.user, pk=pk)
    if not request.user.has_perm("reports.change_template", template):
        raise Http404
    if not request.POST.get("confirm"):
        messages.error(request, _("Tick the box to confirm the removal."))
        return redirect("reports:template", pk=template.pk)
    if carried_out(request, lambda: services.template_delete(actor=request.user, template=template),
                   _("The template and its editions are removed.")):
        return redirect("reports:home")
    return redirect("reports:template", pk=template.pk)


@require_GET
@reports_required
def edition_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    return edition_file(selectors.edition_get(user=request.user, pk=pk), fmt)


@require_GET
@reports_required
def pick_people(request: HttpRequest) -> JsonResponse:
    """The recipients picker's search: active members of staff whose name or unit has every word typed."""
    choices, more = pickers.people_choices(selectors.recipients_choosable(), search=request.GET.get("q", "")[:200])
    return JsonResponse({"results": [choice.as_json() for choice in choices], "more": more})


urlpatterns = [
    path("workspace/reports/", home, name="home"),
    path("workspace/reports/new/", template_new, name="new"),
    path("workspace/reports/people/", pick_people, name="people"),
    path("workspace/reports/<int:pk>/", template_detail, name="template"),
    path("workspace/reports/<int:pk>/edit/", template_edit, name="edit"),
    path("workspace/reports/<int:pk>/generate/", template_generate, name="generate"),
    path("workspace/reports/<int:pk>/delete/", template_delete, name="delete"),
    path("workspace/reports/editions/<int:pk>/<str:fmt>/", edition_download, name="download"),
]
