"""A project's plan out of and into Krai: the XLSX and MS Project XML exports, and the import page.

Exports are for whoever sees the project (``selectors.project_get``: 404 alike for missing and hidden).
Importing needs ``projects.edit_project``. An XLSX (or CSV) goes through the import kernel's pages: the
import page sends the user to its start page with the project and the chosen mode, and the kernel shows the
mapping, the row errors and the result. An MS Project XML file is uploaded here: read into the WBS rows
(``interchange.mspdi_read``), which are then stored through the same kernel importer, so it leaves the same
kept record, errors and result page (the record keeps the rows as JSON).
"""

from __future__ import annotations

import contextlib
import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from krai.core.imports import reading
from krai.core.imports import services as imports
from krai.core.imports.schema import ImportRejected
from krai.projects import selectors
from krai.projects.importers import KIND
from krai.projects.interchange import mspdi, mspdi_read, wbsrows, xlsx
from krai.projects.models import Project

MODES = (("append", _("Append: the rows become new items after the existing ones")),
         ("replace", _("Replace: every existing item, its links and its open assignments are removed first")))


class XmlForm(forms.Form):
    file = forms.FileField(label=_("MS Project XML file"))
    mode = forms.ChoiceField(label=_("The project already has a plan"), choices=MODES, widget=forms.RadioSelect,
                             required=False)

    def __init__(self, *args, has_plan: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mode"].required = has_plan


def _project(request: HttpRequest, code: str) -> Project:
    if not request.user.has_perm("projects.view"):
        raise PermissionDenied
    return selectors.project_get(user=request.user, code=code)


def _download(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def export_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    project = _project(request, code)
    return _download(xlsx.export(project), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"plan-{project.code}-{timezone.localdate():%Y-%m-%d}.xlsx")


@login_required
@require_GET
def export_mspdi(request: HttpRequest, code: str) -> HttpResponse:
    project = _project(request, code)
    return _download(mspdi.export(project), "application/xml; charset=utf-8",
                     f"plan-{project.code}-{timezone.localdate():%Y-%m-%d}.xml")


def _store_xml(request: HttpRequest, project: Project, form: XmlForm) -> int:
    """Read the uploaded MSPDI file and store its rows through the kernel; the import record's id."""
    upload = form.cleaned_data["file"]
    parsed = mspdi_read.parse(reading.read_bytes(upload))
    options = {"project": project.code, "mode": form.cleaned_data.get("mode") or "", "format": "mspdi"}
    content = json.dumps(parsed.rows, ensure_ascii=False).encode()
    record = imports.preview(actor=request.user, kind=KIND, upload=content, options=options,
                             name=f"{upload.name[:240]}.json")
    with contextlib.suppress(ImportRejected, ValidationError):  # the record is then rejected; its page says why
        imports.confirm(actor=request.user, record=record, mapping={c.name: c.name for c in wbsrows.columns()})
    return record.pk


@login_required
@require_http_methods(["GET", "POST"])
def import_plan(request: HttpRequest, code: str) -> HttpResponse:
    project = _project(request, code)
    if not request.user.has_perm("projects.edit_project", project):
        raise PermissionDenied
    has_plan = project.items.exists()
    form = XmlForm(request.POST or None, request.FILES or None, has_plan=has_plan)
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            return redirect("imports:record", _store_xml(request, project, form))
        except (mspdi_read.MspdiError, ImportRejected) as exc:
            problem = str(exc)
    return render(request, "projects/import.html", {
        "project": project, "has_plan": has_plan, "form": form, "problem": problem, "kind": KIND,
        "modes": MODES, "columns": wbsrows.columns()}, status=400 if problem or form.errors else 200)
