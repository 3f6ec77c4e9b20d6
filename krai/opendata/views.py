"""Pages of open data: the catalogue, a dataset (passport, table, map, downloads) and the publishers' workspace."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from krai.core.forms import service_errors_onto
from krai.opendata import export, machine, quality, reader, selectors, services
from krai.opendata.datastore import QueryError
from krai.opendata.ingest import UploadRejected
from krai.opendata.models import Dataset, Frequency
from krai.org.selectors import organisations_in_scope

PAGE_SIZE = 20
MAP_POINTS = 5000
FACET_LABELS = {"owner": gettext_lazy("Organisation"), "subject": gettext_lazy("Subject"),
                "format": gettext_lazy("Format"), "frequency": gettext_lazy("Update frequency"),
                "keyword": gettext_lazy("Keyword")}


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@require_safe
def home(request):
    """The catalogue: full-text search and facets (organisation, subject, format, frequency, keyword)."""
    p = request.GET
    chosen = {"owner": p.get("owner", ""), "subject": p.get("subject", ""), "fmt": p.get("format", ""),
              "frequency": p.get("frequency", ""), "keyword": p.get("keyword", "")}
    try:
        page = max(1, int(p.get("page", 1)))
    except ValueError:
        page = 1
    result = selectors.catalogue(user=request.user, q=p.get("q", ""), offset=(page - 1) * PAGE_SIZE,
                                 limit=PAGE_SIZE, **chosen)
    facets = []
    for name, items in result.facets.items():
        param = "format" if name == "format" else name
        current = p.get(param, "")
        links = []
        for value, label, count in items:
            if name == "subject":  # topics and formats are codes: the reader sees their names in his language
                label = reader.subject_label(value)
            elif name == "format":
                label = reader.FORMATS.get(value, value)
            query = p.copy()
            query.pop("page", None)
            if current == value:
                query.pop(param, None)
            else:
                query[param] = value
            links.append({"label": label, "count": count, "active": current == value, "query": query.urlencode()})
        if links:
            facets.append({"name": name, "label": FACET_LABELS[name], "links": links})
    pages = (result.count + PAGE_SIZE - 1) // PAGE_SIZE
    base = p.copy()
    base.pop("page", None)
    for ds in result.datasets:
        ds.subject_label = reader.subject_label(ds.subject) if ds.subject else ""
    return render(request, "opendata/home.html", {
        "result": result, "facets": facets, "q": p.get("q", ""), "page": page, "pages": pages,
        "base_query": base.urlencode(), "can_publish": request.user.has_perm("opendata.access_workspace")})


@require_safe
def dataset(request, identifier: str):
    """The passport (with RDFa), the table, the map, the chart and the downloads of a dataset; a URL naming a view of
    the table (a filter, a sort, a page) opens on the table, showing the same rows with or without JavaScript."""
    ds = selectors.dataset_get_for_user(user=request.user, identifier=identifier)
    info = machine.passport(request, ds)
    coords = quality.coordinate_fields(ds.fields)
    table_ = reader.table_context(request.GET, ds) if ds.current_version else None
    return render(request, "opendata/dataset.html", {
        "chart": reader.chart_spec(ds.fields, coords), "subject": reader.subject_label(ds.subject),
        "dataset": ds, "info": info, "version": ds.current_version, "coords": coords,
        "fields": [{**f, "label": reader.column_title(f)} for f in ds.fields],
        "table_open": bool(table_) and reader.has_view(request.GET),
        "versions": machine.versions_of(ds)[::-1], "can_change": request.user.has_perm("opendata.change_dataset", ds),
        "table": table_, "formats": ("csv", "json", "xml", "xlsx")},
        status=400 if table_ and table_["error"] else 200)  # the page shows the first rows and the reason


@require_safe
def table(request, identifier: str):
    """The table of the current version: htmx swaps this fragment (and puts the view in the address bar as the
    dataset page's URL); without htmx the whole page."""
    ds = selectors.dataset_get_for_user(user=request.user, identifier=identifier)
    if ds.current_version is None:
        raise Http404
    if not _is_htmx(request):
        return dataset(request, identifier)
    # a refused query is shown in the fragment with 200: htmx swaps no 4xx answer, so a 400 would hide it
    context = reader.table_context(request.GET, ds)
    response = render(request, "opendata/_table.html", {"dataset": ds, "table": context})
    view = reader.view_params(request.GET)
    for key in ("page", "cursor"):  # the position too: the copied URL opens on the same page
        if request.GET.get(key):
            view[key] = request.GET[key]
    view["tab"] = "table"
    response["HX-Push-Url"] = reverse("opendata:dataset", args=[ds.identifier]) + "?" + view.urlencode()
    return response


@require_safe
def export_view(request, identifier: str, fmt: str):
    """The current version (filtered by the same parameters as the table) as a streamed download; ``bom=1`` starts a
    CSV with a byte-order mark (Excel then reads it as UTF-8). HEAD answers the headers without reading a row."""
    ds = selectors.dataset_get_for_user(user=request.user, identifier=identifier)
    params = request.GET.copy()
    try:
        query = selectors.query_from_params(params, default_limit=10 ** 9, max_limit=10 ** 9)
        query.limit = 0 if "limit" not in params else query.limit
        query.cursor, query.offset = "", 0  # a download is the whole (filtered) view: it has no page position
        table_ = selectors.datastore_table(ds)
        table_.check(query)  # before the first byte: a query refused mid-stream would leave a cut-off file
        if not table_.selected(query):
            raise QueryError(_("Name at least one field to download."))
    except QueryError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    bom = fmt == "csv" and params.get("bom") == "1"
    if request.method == "HEAD":
        return export.head(fmt=fmt, filename=ds.identifier)
    return export.stream(table_, query, fmt=fmt, filename=ds.identifier, bom=bom)


@require_safe
def version_download(request, identifier: str, number: int, fmt: str):
    ds = selectors.dataset_get_for_user(user=request.user, identifier=identifier)
    version = selectors.version_get(ds, number)
    if request.method == "HEAD":  # an old version is re-read from its file: not for headers alone
        return export.head(fmt=fmt, filename=f"{ds.identifier}-v{number}")
    return machine.version_download(version, fmt, f"{ds.identifier}-v{number}",
                                    bom=fmt == "csv" and request.GET.get("bom") == "1")


@require_safe
def map_points(request, identifier: str):
    """GeoJSON points of the rows with coordinates (the first ``MAP_POINTS`` of the filtered view)."""
    ds = selectors.dataset_get_for_user(user=request.user, identifier=identifier)
    coords = quality.coordinate_fields(ds.fields)
    if coords is None or ds.current_version is None:
        raise Http404
    try:
        query = selectors.query_from_params(request.GET, default_limit=MAP_POINTS, max_limit=MAP_POINTS)
        query.filters += [(coords[0], "isnull", "false"), (coords[1], "isnull", "false")]
        page = selectors.rows_page(dataset=ds, query=query)
    except QueryError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    names = [f["name"] for f in page.fields]
    lat_i, lon_i = names.index(coords[0]) + 1, names.index(coords[1]) + 1
    label_field = next((f["name"] for f in page.fields if f["type"] == "string"), None)
    features = []
    for row in page.rows:
        props = {"_id": row[0]}
        if label_field:
            props["label"] = row[names.index(label_field) + 1]
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [row[lon_i], row[lat_i]]},
                         "properties": props})
    return JsonResponse({"type": "FeatureCollection", "features": features,
                         "truncated": page.next_cursor is not None})


# --- workspace -------------------------------------------------------------------------------------

class DatasetForm(forms.Form):
    owner = forms.ModelChoiceField(label=gettext_lazy("Owner"), queryset=Dataset.objects.none())
    code = forms.SlugField(label=gettext_lazy("Latin code"), max_length=80,
                           help_text=gettext_lazy("The identifier will be the owner's INN, a dash and this code."))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=500)
    description = forms.CharField(label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 4}),
                                  required=False)
    keywords = forms.CharField(label=gettext_lazy("Keywords (comma separated)"), required=False)
    subject = forms.CharField(label=gettext_lazy("Subject"), required=False, max_length=100)
    frequency = forms.ChoiceField(label=gettext_lazy("Update frequency"), choices=Frequency.choices)
    licence = forms.CharField(label=gettext_lazy("Licence"), initial="CC-BY-4.0", max_length=200)
    spatial = forms.CharField(label=gettext_lazy("Spatial coverage"), required=False, max_length=300)
    temporal_start = forms.DateField(label=gettext_lazy("Covers from"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))
    temporal_end = forms.DateField(label=gettext_lazy("Covers until"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}))
    responsible_name = forms.CharField(label=gettext_lazy("Responsible person"), required=False, max_length=300)
    responsible_phone = forms.CharField(label=gettext_lazy("Phone"), required=False, max_length=64)
    responsible_email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    documentation_url = forms.URLField(label=gettext_lazy("Documentation"), required=False)
    structure = forms.CharField(label=gettext_lazy("Structure (JSON: a list of fields with name, type, title, "
                                                   "description, required)"),
                                widget=forms.Textarea(attrs={"rows": 8, "class": "font-monospace"}))
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Dataset.Status.choices)

    def __init__(self, *args, user=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisations_in_scope(user) if user is not None else Dataset.objects.none()
        if editing:
            del self.fields["owner"]
            del self.fields["code"]
        _bootstrap(self)


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs["class"] = f"{css} {field.widget.attrs.get('class', '')}".strip()


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (CSV, XLSX or JSON)"))
    provenance = forms.CharField(label=gettext_lazy("What changed"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


def _require_workspace(request) -> None:
    if not request.user.has_perm("opendata.access_workspace"):
        raise PermissionDenied


@login_required
def workspace(request):
    _require_workspace(request)
    datasets = list(selectors.datasets_managed_by(request.user))
    for ds in datasets:
        ds.late = quality.is_late(ds)
    return render(request, "opendata/workspace.html", {"datasets": datasets})


def _passport_data(cleaned: dict) -> dict:
    data = dict(cleaned)
    data["keywords"] = [k.strip() for k in data.get("keywords", "").split(",") if k.strip()]
    return data


@login_required
def workspace_new(request):
    _require_workspace(request)
    form = DatasetForm(request.POST or None, user=request.user,
                       initial={"structure": json.dumps([{"name": "name", "type": "string", "title": "Наименование",
                                                          "description": "", "required": True}],
                                                        ensure_ascii=False, indent=1)})
    if request.method == "POST" and form.is_valid():
        data = _passport_data(form.cleaned_data)
        try:
            ds = services.dataset_create(actor=request.user, **data)
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(request, _("The dataset is created. Upload its first version."))
            return redirect("opendata:workspace-dataset", ds.identifier)
    return render(request, "opendata/workspace_form.html", {"form": form, "dataset": None})


@login_required
def workspace_dataset(request, identifier: str):
    _require_workspace(request)
    ds = selectors.dataset_get_for_user(user=request.user, identifier=identifier)
    if not request.user.has_perm("opendata.change_dataset", ds):
        raise Http404
    initial = {k: getattr(ds, k) for k in ("title", "description", "subject", "frequency", "licence", "spatial",
                                           "temporal_start", "temporal_end", "responsible_name", "responsible_phone",
                                           "responsible_email", "documentation_url", "status")}
    initial["keywords"] = ", ".join(ds.keywords or [])
    initial["structure"] = json.dumps(ds.fields, ensure_ascii=False, indent=1)
    form = DatasetForm(request.POST if request.POST.get("action") == "passport" else None, user=request.user,
                       editing=True, initial=initial)
    upload = UploadForm(request.POST if request.POST.get("action") == "upload" else None,
                        request.FILES if request.POST.get("action") == "upload" else None)
    rejected = None
    if request.method == "POST" and request.POST.get("action") == "passport" and form.is_valid():
        try:
            services.dataset_update(actor=request.user, dataset=ds, **_passport_data(form.cleaned_data))
        except ValidationError as exc:
            service_errors_onto(form, exc)
        else:
            messages.success(request, _("The passport is saved."))
            return redirect("opendata:workspace-dataset", ds.identifier)
    if request.method == "POST" and request.POST.get("action") == "upload" and upload.is_valid():
        try:
            version = services.version_upload(actor=request.user, dataset=ds, upload=upload.cleaned_data["file"],
                                              provenance=upload.cleaned_data["provenance"])
        except UploadRejected as exc:
            rejected = exc
        except ValidationError as exc:
            upload.add_error(None, exc.messages)
        else:
            messages.success(request, _("Version %(n)s is published: %(rows)s rows.")
                             % {"n": version.number, "rows": version.row_count})
            return redirect("opendata:workspace-dataset", ds.identifier)
    ds = selectors.dataset_get_for_user(user=request.user, identifier=identifier)
    return render(request, "opendata/workspace_dataset.html", {
        "dataset": ds, "form": form, "upload": upload, "rejected": rejected, "criteria": quality.criteria(ds),
        "score": quality.score(ds), "late": quality.is_late(ds), "versions": machine.versions_of(ds)[::-1],
        "public_url": reverse("opendata:dataset", args=[ds.identifier])},
        status=400 if rejected else 200)
