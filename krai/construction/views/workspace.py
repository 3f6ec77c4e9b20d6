"""The staff's pages of construction under /workspace/construction/: the start page (the inspection queue of the
reader's body — open requests by due date with the overdue marked, those verified lately — and the links into the
other parts' workspace pages), the inspector's form that answers a request, and a keeper's cancellation of one.

Any staff member may open the start page (it is in the workspace's menu); his queue is his body's, a keeper's
every body's. The inspection form is only for the request's inspectors: anyone else gets 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from krai.construction import policy
from krai.construction.forms_verification import CancelForm, InspectForm
from krai.construction.selectors import verification as selectors
from krai.construction.services import verification as services
from krai.core.forms import service_errors_onto
from krai.core.imports import registry as import_registry

PAGE_SIZE = 30
RECENT_SHOWN = 20
ILLEGAL_IMPORT = "construction.illegal"


def _staff_only(request: HttpRequest) -> None:
    if not request.user.has_perm("construction.access_workspace"):
        raise PermissionDenied(_("The workspace is for the staff of the region's public bodies."))


def _import_url(user: Any) -> str:
    """The import kernel's page for illegal constructions, when the importer is there and the reader may use it."""
    importer = import_registry.get(ILLEGAL_IMPORT)
    if importer is None or importer.options or not importer.allowed(user, options={}):
        return ""
    try:
        return reverse("imports:start", args=[ILLEGAL_IMPORT])
    except NoReverseMatch:
        return ""


@login_required
@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    user = request.user
    paginator = Paginator(selectors.queue_open(user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "construction/workspace/home.html", {
        "page": page, "rows": page.object_list, "total": paginator.count, "query": "",
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "resolved": selectors.queue_resolved(user)[:RECENT_SHOWN], "recent_days": selectors.RECENT_DAYS,
        "today": timezone.localdate(), "keeper": policy.is_keeper(user),
        "enters_works": policy.may_enter_works(user), "import_url": _import_url(user)})


def _inspectable(request: HttpRequest, pk: int) -> Any:
    item = selectors.request_get(pk)
    if not policy.is_inspector(request.user, item):
        raise Http404
    return item


@login_required
@require_http_methods(["GET", "POST"])
def inspect(request: HttpRequest, pk: int) -> HttpResponse:
    """The inspector records the visit, the findings and the decision with photos (the request's inspectors)."""
    _staff_only(request)
    item = _inspectable(request, pk)
    form = InspectForm(request.POST or None, request.FILES or None)
    if item.status != "open":
        messages.info(request, _("This request is no longer open."))
        return redirect(item.get_absolute_url())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_inspect(actor=request.user, request=item, visited_on=data["visited_on"],
                                     findings=data["findings"], decision=data["decision"],
                                     floors_found=data["floors_found"], photos=data["photos"])
        except ValidationError as exc:
            service_errors_onto(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The inspection is recorded and published; the author is told."))
            return redirect(item.get_absolute_url())
    return render(request, "construction/workspace/inspect.html", {
        "item": item, "form": form, "photos": selectors.photos_of(item), "overdue": selectors.is_overdue(item),
        "cancel_form": CancelForm() if policy.is_keeper(request.user) else None},
        status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """A keeper cancels a request (a duplicate) with a reason; anyone else: 404."""
    item = selectors.request_get(pk)
    if not policy.is_keeper(request.user):
        raise Http404
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            services.request_cancel(actor=request.user, request=item, reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as exc:
            for message in getattr(exc, "messages", None) or [str(exc)]:
                messages.error(request, message)
        else:
            messages.success(request, _("The request is cancelled; the author is told."))
    else:
        messages.error(request, _("Say why the request is cancelled: the author is told."))
    return redirect(item.get_absolute_url())


urlpatterns = [
    path("workspace/construction/", home, name="workspace"),
    path("workspace/construction/requests/<int:pk>/inspect/", inspect, name="request_inspect"),
    path("workspace/construction/requests/<int:pk>/cancel/", cancel, name="request_cancel"),
]
