"""Pages of the import kernel: start an import, check the mapping on a preview, see what came of it."""

from __future__ import annotations

import csv
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krai.core.forms import service_errors_onto
from krai.core.imports import registry, selectors, services
from krai.core.imports.models import ImportRecord
from krai.core.imports.schema import ImportRejected, type_label

PAGE_SIZE = 30


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (CSV, XLSX or JSON)"))


class MappingForm(forms.Form):
    """One choice per column of the schema: which column of the file feeds it."""

    def __init__(self, *args, columns: list, header: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("— not in the file —"))] + [(h, h) for h in header if h]
        for column in columns:
            self.fields[column.name] = forms.ChoiceField(
                label=column.title or column.name, choices=choices, required=column.required,
                help_text=f"{column.name} · {type_label(column.type)}" + (" · " + _("required") if column.required
                                                                          else ""))


def _options(request) -> dict:
    return {key[4:]: value for key, value in request.GET.items() if key.startswith("opt.")}


def _importer_or_404(kind: str) -> registry.Importer:
    importer = registry.get(kind)
    if importer is None:
        raise Http404
    return importer


@login_required
def index(request):
    records = selectors.records_for(user=request.user, kind=request.GET.get("kind", ""))
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "imports/index.html", {"page": page,
                                                  "importers": selectors.importers_for(user=request.user)})


@login_required
def start(request, kind: str):
    importer = _importer_or_404(kind)
    options = _options(request)
    if any(name not in options for name in importer.options) or not importer.allowed(request.user, options=options):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    rejected = None
    if request.method == "POST" and form.is_valid():
        try:
            record = services.preview(actor=request.user, kind=kind, upload=form.cleaned_data["file"],
                                      options=options, name=form.cleaned_data["file"].name)
        except ImportRejected as exc:
            rejected = exc
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            return redirect("imports:record", record.pk)
    return render(request, "imports/start.html", {
        "importer": importer, "columns": importer.columns(options=options), "form": form, "rejected": rejected,
        "query": request.GET.urlencode()}, status=400 if rejected or form.errors else 200)


@login_required
def template_csv(request, kind: str):
    """An empty CSV with the columns' names: the shape a file should have."""
    importer = _importer_or_404(kind)
    options = _options(request)
    if any(name not in options for name in importer.options) or not importer.allowed(request.user, options=options):
        raise PermissionDenied
    buffer = io.StringIO()
    csv.writer(buffer).writerow([c.name for c in importer.columns(options=options)])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{kind}.csv"'
    return response


@login_required
def record(request, pk: int):
    item = selectors.record_get(user=request.user, pk=pk)
    importer = registry.get(item.kind)
    columns = importer.columns(options=item.options) if importer else []
    can_confirm = (item.status == ImportRecord.Status.PREVIEWED and item.actor_id == request.user.pk
                   and importer is not None and importer.allowed(request.user, options=item.options))
    form = MappingForm(request.POST or None, columns=columns, header=item.header,
                       initial=item.mapping) if can_confirm else None
    rejected = None
    if request.method == "POST":
        if not can_confirm:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.confirm(actor=request.user, record=item, mapping=form.cleaned_data)
            except ImportRejected as exc:
                rejected = exc
            except ValidationError as exc:
                service_errors_onto(form, exc)
            else:
                messages.success(request, _("Imported: %(n)s rows.") % {"n": item.row_count})
                return redirect("imports:record", item.pk)
        if rejected is not None:
            form = None  # the record is finished (rejected); the page shows the errors and the way to retry
    result_url = importer.result_url(options=item.options, summary=item.summary) if (
        importer and item.status == ImportRecord.Status.STORED) else ""
    return render(request, "imports/record.html", {
        "record": item, "importer": importer, "columns": columns, "form": form, "rejected": rejected,
        "result_url": result_url, "retry_query": "&".join(f"opt.{k}={v}" for k, v in item.options.items())},
        status=400 if rejected or (form is not None and form.errors) else 200)
