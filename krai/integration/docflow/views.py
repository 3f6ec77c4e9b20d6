"""Document flow's pages under /workspace/integration/docflow/: the packages received (paged, by status and
system), a package with its items → orders and the answers sent back, the upload of a package, sending a failed
answer again, and the export of the orders that came through the exchange (CSV/XLSX).

The section is the Department of Control's and the administrators' (``integration.view_exchange``); loading a
package needs ``integration.load_packages``. An order on a package's page is linked only for a reader who may see
it; everyone else gets the same 404 for a missing package."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from krai.core import exports
from krai.core.imports import registry as import_registry
from krai.integration.docflow import selectors
from krai.integration.docflow.forms import PackageFilter, UploadForm
from krai.integration.docflow.importers import KIND as TABLE_KIND
from krai.integration.docflow.importers import may_import
from krai.integration.docflow.models import DocflowAnswer, PackageChannel
from krai.integration.docflow.services.answers import answer_retry
from krai.integration.docflow.services.packages import package_import

PAGE_SIZE = 30


def section_required(request: HttpRequest) -> None:
    if not request.user.has_perm("integration.view_exchange"):
        raise PermissionDenied(_("The document-flow exchange is for the Department of Control and administrators."))


def _table_import_urls(user: Any) -> list[tuple[Any, str]]:
    """(system, the import kernel's page for its table) for each system whose table the reader may import (the
    importer's own rule, ``may_import``, asked of the systems read with their channels: no query per system)."""
    if import_registry.get(TABLE_KIND) is None:
        return []
    try:
        base = reverse("imports:start", args=[TABLE_KIND])
    except NoReverseMatch:
        return []
    return [(system, f"{base}?{urlencode({'opt.system': system.code})}") for system in selectors.docflow_systems()
            if may_import(user, system)]


@login_required
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    section_required(request)
    systems = selectors.docflow_systems()
    form = PackageFilter(request.GET or None, systems=systems)
    status, system = "", None
    if form.is_valid():
        status, system = form.cleaned_data.get("status") or "", form.cleaned_data.get("system")
    paginator = Paginator(selectors.packages_for(request.user, status=status, system=system), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("status", status), ("system", system.pk if system else "")) if v})
    return render(request, "docflow/home.html", {
        "form": form, "page": page, "rows": page.object_list, "total": paginator.count, "query": query,
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "may_load": request.user.has_perm("integration.load_packages"),
        "may_manage": request.user.has_perm("integration.manage_systems"),
        "table_imports": _table_import_urls(request.user)})


@login_required
@require_http_methods(["GET"])
def package(request: HttpRequest, pk: int) -> HttpResponse:
    section_required(request)
    item = selectors.package_get(request.user, pk)
    return render(request, "docflow/package.html", {
        "package": item, "items": selectors.package_items(request.user, item),
        "answers": selectors.package_answers(item), "today": timezone.localdate(),
        "may_retry": request.user.has_perm("integration.load_packages")})


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("integration.load_packages"):
        raise PermissionDenied(_("You may not load document-flow packages."))
    systems = selectors.docflow_systems().filter(docflow_channel__isnull=False)
    form = UploadForm(request.POST or None, request.FILES or None, systems=systems)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        result = package_import(actor=request.user, system=form.cleaned_data["system"], content=upload_file.read(),
                                channel=PackageChannel.UPLOAD, file_name=upload_file.name or "")
        if result.repeated:
            messages.info(request, _("This package was already accepted: here is the first result."))
        elif result.accepted:
            messages.success(request, _("The package is accepted: %(n)s orders issued.") % {"n": len(result.orders)})
        else:
            messages.error(request, _("The package is refused; nothing was imported. See the errors below."))
        return redirect("docflow:package", result.package.pk)
    return render(request, "docflow/upload.html", {"form": form, "has_systems": systems.exists()},
                  status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a failed (or kept) answer again; the package must be visible to the reader, else 404."""
    section_required(request)
    answer = DocflowAnswer.objects.select_related("item").filter(pk=pk).first() if str(pk).isdigit() else None
    if answer is None:
        raise Http404
    package = selectors.package_get(request.user, answer.item.package_id)
    try:
        answer_retry(actor=request.user, answer=answer)
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", None) or [str(exc)]:
            messages.error(request, message)
    else:
        messages.success(request, _("The answer is back in the outbox and will be sent within a minute."))
    return redirect("docflow:package", package.pk)


def export_table(user: Any, fmt: str, *, system: Any = None) -> HttpResponseBase:
    """The orders that came through the exchange, as the reader may see them, with their control status."""
    today = timezone.localdate()
    header = [_("Number"), _("Title"), _("Executor"), _("Deadline"), _("Status"), _("Closed on"), _("Overdue"),
              _("System"), _("Package"), pgettext("docflow", "Item")]

    def rows():
        for item in selectors.exchanged_items(user, system=system).iterator(chunk_size=500):
            order, control = item.order, item.order.assignment
            yield [order.number, order.title, str(order.lead_organisation),
                   control.deadline if control else order.deadline,
                   str(control.get_status_display()) if control else _("draft"),
                   control.completed_on if control else None,
                   _("yes") if control is not None and control.is_overdue(today) else _("no"),
                   item.package.system.code, item.package.uid, item.number]

    return exports.table_response(fmt, header, rows(), filename=f"docflow-orders-{today:%Y-%m-%d}",
                                  title=_("Orders"))


@login_required
@require_http_methods(["GET"])
def export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    section_required(request)
    systems = selectors.docflow_systems()
    form = PackageFilter(request.GET or None, systems=systems)
    system = form.cleaned_data.get("system") if form.is_valid() else None
    return export_table(request.user, fmt, system=system)
