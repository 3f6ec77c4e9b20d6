"""The bulk change of access: people ticked on the list, one change chosen under it → a preview saying what will
happen to each ("12 people: 10 will get the role, 2 already hold it") → applied all or nothing. Administrators
only; the preview and the change refuse alike what the other would."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from krai.administration.forms_access import BulkForm
from krai.administration.selectors.access_bulk import bulk_preview, summary
from krai.administration.services.access import bulk_access_change
from krai.administration.views.access_common import manager_or_403, reviewer_required
from krai.core.forms import service_errors_onto


@require_http_methods(["GET", "POST"])
@reviewer_required
def bulk(request: HttpRequest) -> HttpResponse:
    manager_or_403(request)
    if request.method == "GET":
        return redirect("administration:home")
    form = BulkForm(request.POST, auto_id="bulk_%s")
    preview = None
    people: list[int] = []
    if form.is_valid():
        values = form.values()
        people = values["people"]
        try:
            if "apply" in request.POST:
                done = bulk_access_change(actor=request.user, **values)
                messages.success(request, _("Done. %(summary)s") % {"summary": summary(done)})
                return redirect("administration:home")
            preview = bulk_preview(actor=request.user, **values)
        except ValidationError as exc:
            service_errors_onto(form, exc)
            try:  # show what stands in the way, person by person, when the choice itself is sound
                preview = bulk_preview(actor=request.user, **values)
            except ValidationError:
                preview = None
    return render(request, "administration/access/bulk.html", {
        "form": form, "preview": preview, "summary": summary(preview) if preview else "",
        "people": people},
        status=400 if form.errors else 200)
