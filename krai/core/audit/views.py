"""The audit trail page: a filtered, paginated table for administrators and controllers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from krai.core.audit import selectors
from krai.core.audit.filters import AuditFilterForm

PAGE_SIZE = 50


@login_required
def index(request):
    if not selectors.can_view_audit(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    entries = selectors.audit_entries(user=request.user, **(form.filters() if form.is_bound and valid else {}))
    if not valid:
        entries = entries.none()  # the form shows what is wrong; no silently unfiltered table
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "audit/_results.html" if request.htmx else "audit/index.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})
