"""Residence verification pages: the resident's request (his profile) and the staff's queue (the workspace).

The staff pages live here rather than in the workspace app: they are one area's queue, and accounts sit below
the workspace in the layers. Who decides is the rule ``org.verify_residencerequest`` (``krai/org/rules.py``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from krai.accounts.forms import ResidenceForm, ResidenceRefusalForm
from krai.accounts.views._common import errors_onto
from krai.org import selectors as org_selectors
from krai.org import services as org_services
from krai.org.models import ResidenceRequest


@login_required
def residence(request):
    """Where my residence stands, my requests and their answers, and the form to ask (again)."""
    user = request.user
    initial = {"municipality": user.home_municipality_id}
    form = ResidenceForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                org_services.residence_request(actor=user, municipality=form.cleaned_data["municipality"],
                                               document=form.cleaned_data["document"],
                                               note=form.cleaned_data["note"])
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                errors_onto(form, exc)
            else:
                messages.success(request, _("Your request has been sent. Staff will check the document."))
                return redirect("accounts:residence")
        status = 400
    requests = org_selectors.residence_requests_of(user=user)[:20]
    return render(request, "accounts/residence.html", {
        "form": form, "requests": requests,
        "pending": any(r.status == ResidenceRequest.Status.PENDING for r in requests),
    }, status=status)


def _require_reviewer(request) -> None:
    if not (request.user.is_authenticated and request.user.has_perm("org.review_residences")):
        raise Http404


@login_required
def residence_queue(request):
    """The staff's queue of requests in their municipalities, the oldest first; decided ones on a tab."""
    _require_reviewer(request)
    status = request.GET.get("status", ResidenceRequest.Status.PENDING)
    if status not in ResidenceRequest.Status.values:
        status = ResidenceRequest.Status.PENDING
    try:
        municipality = int(request.GET.get("municipality") or 0) or None
    except ValueError:
        municipality = None
    rows = org_selectors.residence_queue(user=request.user, status=status, municipality_id=municipality)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "accounts/ws/residence_queue.html", {
        "page": page, "status": status, "statuses": ResidenceRequest.Status.choices, "municipality": municipality,
        "municipalities": org_selectors.municipality_list(), "total": page.paginator.count,
    })


@login_required
def residence_review(request, pk: int):
    """One request: who asks, for where, the document; verify, or refuse with a reason."""
    _require_reviewer(request)
    item = org_selectors.residence_request_get(user=request.user, pk=pk)
    if not request.user.has_perm("org.verify_residencerequest", item):
        raise Http404
    return _review_page(request, item, ResidenceRefusalForm())


def _review_page(request, item: ResidenceRequest, refusal: ResidenceRefusalForm, status: int = 200):
    return render(request, "accounts/ws/residence_review.html", {"item": item, "refusal": refusal}, status=status)


@require_POST
@login_required
def residence_decide(request, pk: int, decision: str):
    _require_reviewer(request)
    item = org_selectors.residence_request_get(user=request.user, pk=pk)
    if decision not in ("verify", "refuse"):
        raise Http404
    refusal = ResidenceRefusalForm(request.POST if decision == "refuse" else None)
    if refusal.is_bound and not refusal.is_valid():
        return _review_page(request, item, refusal, status=400)
    try:
        if decision == "verify":
            org_services.residence_verify(actor=request.user, request=item)
            messages.success(request, _("The residence is verified; the resident has been told."))
        else:
            org_services.residence_refuse(actor=request.user, request=item, reason=refusal.cleaned_data["reason"])
            messages.success(request, _("The request is refused; the resident reads your reason."))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        if refusal.is_bound:
            errors_onto(refusal, exc)
        else:
            messages.error(request, " ".join(exc.messages))
        item.refresh_from_db()
        return _review_page(request, item, refusal, status=400)
    return redirect("accounts:residence-queue")
