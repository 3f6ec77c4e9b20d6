"""The exchange log's pages (``integration.view_exchange``): the paged list with its filters and search, the newest
first; one message with all its fields and its payload (escaped, pretty-printed when JSON or XML) or the day it was
removed; the payload's download. Anyone else gets 403 for the list, 404 for a message."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from krai.integration import payloads
from krai.integration.forms import LogFilterForm
from krai.integration.selectors import exchange as selectors
from krai.integration.views.home import log_query

PAGE_SIZE = 50


@login_required
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("integration.view_exchange"):
        raise PermissionDenied(_("The exchange log is for administrators and the Department of Control."))
    form = LogFilterForm(request.GET or None)
    filters = form.filters()
    paginator = Paginator(selectors.messages(user=request.user, filters=filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "integration/log/list.html", {
        "form": form, "page": page, "rows": page.object_list, "total": paginator.count,
        "query": log_query(filters), "filtered": any(v not in (None, "") for v in vars(filters).values()),
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))},
        status=400 if form.is_bound and not form.is_valid() else 200)


@login_required
@require_GET
def message(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.message_get(user=request.user, pk=pk)
    shown = payloads.shown(item.payload, item.content_type) if item.payload else None
    return render(request, "integration/log/detail.html", {"item": item, "shown": shown})


@login_required
@require_GET
def payload(request: HttpRequest, pk: int) -> HttpResponse:
    """The kept payload as a file (never rendered by the browser: an attachment, its type JSON, XML or text)."""
    item = selectors.message_get(user=request.user, pk=pk)
    if not item.payload:
        raise Http404
    content_type, extension = payloads.download_type(item.payload, item.content_type)
    response = HttpResponse(item.payload.encode("utf-8"), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="exchange-{item.pk}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
