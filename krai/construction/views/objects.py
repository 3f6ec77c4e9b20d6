"""Pages of the public registry of constructions: the registry (filters, a map with clustered markers and outlines,
the paged table, the filtered list's export as CSV or XLSX), an object's card (every field, the map, documents and
photos, the history of changes, the verification and illegal-construction sections of the other parts), and the
keepers' pages: entering and changing an object (the point picked on the map or found by the address; the stage
with a note) and adding its files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krai.construction import policy
from krai.construction.forms_objects import FileForm, FilterForm, ObjectForm
from krai.construction.models import ConstructionObject
from krai.construction.selectors import objects as selectors
from krai.construction.services import objects as services
from krai.core import exports
from krai.core.forms import service_errors_onto

PAGE_SIZE = 25
EXPORT_FILENAME = "construction-registry"


def _filters_data(request: HttpRequest) -> QueryDict:
    """The filters asked for; a first visit (no filter sent) starts at the signed-in resident's municipality."""
    data = request.GET.copy()
    data.pop("page", None)
    data.pop("format", None)
    home = getattr(request.user, "home_municipality_id", None) if request.user.is_authenticated else None
    if "municipality" not in data and home:
        data["municipality"] = str(home)
    return data


def _query(data: QueryDict) -> str:
    return data.urlencode()


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The registry: the filters, the map of what they find, and every found object in a paged table."""
    data = _filters_data(request)
    form = FilterForm(data)
    rows = selectors.object_list(form.filters())
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "construction/objects/home.html", {
        "section": "registry", "form": form, "page": page, "rows": page.object_list, "total": paginator.count,
        "query": _query(data), "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2,
                                                                                  on_ends=1)),
        "may_keep": policy.is_keeper(request.user)})


def export_table(rows: Any, request_base: str = "") -> tuple[list[str], Any]:
    """The header and the rows of the registry's export (what the table shows, and every field besides); the last
    column is the card's address (``request_base`` + its path)."""
    header = [_("No."), _("Name"), pgettext("construction", "Type"), pgettext("construction", "Stage"), _("Address"),
              _("Municipality"), _("Cadastral number"), _("Developer"), _("Developer's INN"), _("Permit number"),
              _("Permit date"), _("Issued by"), _("Permit valid until"), _("Approved floors"), _("Approved area, m²"),
              _("Approved purpose"), _("Latitude"), _("Longitude"), _("Card in the registry")]

    def lines() -> Any:
        for obj in rows.iterator(chunk_size=2000):
            yield [obj.pk, obj.name, obj.get_kind_display(), obj.get_stage_display(), obj.address,
                   obj.municipality.name if obj.municipality_id else "", obj.cadastral_number, obj.developer,
                   obj.developer_inn, obj.permit_number, obj.permit_date, obj.permit_authority,
                   obj.permit_valid_until, obj.approved_floors, obj.approved_area, obj.purpose, obj.lat, obj.lon,
                   request_base + obj.get_absolute_url()]

    return header, lines()


@require_GET
def export(request: HttpRequest) -> HttpResponse:
    """The filtered list (the page's filters) as ``?format=csv`` or ``?format=xlsx``, every row."""
    fmt = request.GET.get("format", "csv")
    if fmt not in exports.FORMATS:
        return HttpResponseBadRequest(_("Choose the format: csv or xlsx."))
    form = FilterForm(_filters_data(request))
    header, lines = export_table(selectors.object_list(form.filters()), request.build_absolute_uri("/").rstrip("/"))
    return exports.table_response(fmt, header, lines, filename=EXPORT_FILENAME, title=_("Construction registry"))


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An object's card: everything the registry knows, its place, files and history."""
    obj = selectors.object_get(pk)
    documents, photos = selectors.object_files(obj, user=request.user)
    may_keep = policy.is_keeper(request.user)
    return render(request, "construction/objects/detail.html", {
        "section": "registry", "object": obj, "documents": documents, "photos": photos,
        "history": selectors.history_rows(obj), "geojson": selectors.object_geojson(obj),
        "expired": selectors.permit_expired(obj), "may_keep": may_keep, "file_form": FileForm() if may_keep else None})


def _keeper_or_404(request: HttpRequest) -> None:
    """The keepers' pages do not exist for anyone else (the services check again)."""
    if not policy.is_keeper(request.user):
        raise Http404


def _save(request: HttpRequest, form: ObjectForm, obj: ConstructionObject | None = None) -> Any:
    """The object through its service; ``None`` (the form shows why) when refused."""
    try:
        if obj is None:
            return services.object_create(actor=request.user, **form.values())
        changed = {name: value for name, value in form.values().items() if name in form.changed_data}
        return services.object_update(actor=request.user, construction_object=obj,
                                      note=form.cleaned_data.get("note", ""), **changed)
    except ValidationError as exc:
        service_errors_onto(form, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


def _placed_message(request: HttpRequest, obj: ConstructionObject, form: ObjectForm) -> None:
    if obj.lat is None:
        messages.warning(request, _("The address was not found in the address registry: the object has no point "
                                    "on the map. Pick it on the map to place it."))
    elif form.cleaned_data.get("lat") is None and not form.cleaned_data.get("polygon"):
        messages.info(request, _("The point was found by the address: check it on the map."))


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest) -> HttpResponse:
    _keeper_or_404(request)
    form = ObjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        obj = _save(request, form)
        if obj is not None:
            messages.success(request, _("The object is entered in the registry."))
            _placed_message(request, obj, form)
            return redirect(obj.get_absolute_url())
    return render(request, "construction/objects/form.html", {"section": "registry", "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    _keeper_or_404(request)
    obj = selectors.object_get(pk)
    form = ObjectForm(request.POST or None, initial=ObjectForm.initial_of(obj), editing=True)
    if request.method == "POST" and form.is_valid():
        if not form.changed_data:
            messages.info(request, _("Nothing was changed."))
            return redirect(obj.get_absolute_url())
        if _save(request, form, obj) is not None:
            messages.success(request, _("The changes are saved and kept in the history."))
            return redirect(obj.get_absolute_url())
    return render(request, "construction/objects/form.html", {"section": "registry", "form": form, "object": obj})


@login_required
@require_POST
def add_file(request: HttpRequest, pk: int) -> HttpResponse:
    _keeper_or_404(request)
    obj = selectors.object_get(pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.object_attach(actor=request.user, construction_object=obj, upload=form.cleaned_data["file"],
                                   kind=form.cleaned_data["kind"])
        except (ValidationError, PermissionDenied) as exc:
            for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
                messages.error(request, message)
        else:
            messages.success(request, _("The file is added."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(obj.get_absolute_url() + "#files")


urlpatterns = [
    path("construction/", home, name="home"),
    path("construction/objects/export/", export, name="objects_export"),
    path("construction/objects/<int:pk>/", detail, name="object"),
    path("workspace/construction/objects/new/", new, name="object_new"),
    path("workspace/construction/objects/<int:pk>/edit/", edit, name="object_edit"),
    path("workspace/construction/objects/<int:pk>/files/", add_file, name="object_files"),
]
