"""Access management's pages under /workspace/administration/: the people of the staff (paged, searched, filtered;
each with his roles in short), a person's page (roles with scopes, posts, deputyships, the history of his access)
and the changes made there — a role given within a scope, one taken away (confirmed), the staff flag, closing the
account (confirmed). The bulk change and the review of who can see what are in ``access_bulk`` and
``access_review``; their paths are listed here too.

Administrators and the Department of Control read (``administration.review_access``); administrators change
(``administration.manage_access``; the structure's services check ``org.manage_users`` again and record the
events). Anyone else gets 403; a person outside the reader's reach 404, like a missing one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from krai.administration.forms_access import BulkForm, PeopleFilterForm, RoleForm
from krai.administration.selectors import access as selectors
from krai.administration.views import access_bulk, access_review
from krai.administration.views.access_common import (
    described,
    manager_or_403,
    query_without,
    reviewer_required,
    url_or_empty,
)
from krai.core.forms import carried_out, service_errors_onto
from krai.org import services as org_services
from krai.org.models import RoleAssignment

PAGE_SIZE = 30
HISTORY_PAGE_SIZE = 25


@require_GET
@reviewer_required
def people(request: HttpRequest) -> HttpResponse:
    form = PeopleFilterForm(request.GET or None)
    rows = selectors.people_list(user=request.user, **form.arguments())
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    manager = request.user.has_perm(selectors.MANAGE)
    return render(request, "administration/access/people.html", {
        "form": form, "page": page, "rows": page.object_list, "total": paginator.count,
        "query": query_without(request, "page"), "manager": manager,
        "bulk_form": BulkForm(auto_id="bulk_%s") if manager else None,
        "systems": selectors.system_account_ids(), "deputies_url": url_or_empty("administration:deputies"),
        "efficiency_url": url_or_empty("administration:efficiency"),
        "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))})


def _person_page(request: HttpRequest, person: Any, role_form: RoleForm | None, status: int = 200) -> HttpResponse:
    history = Paginator(selectors.access_history(person), HISTORY_PAGE_SIZE)
    history_page = history.get_page(request.GET.get("history"))
    return render(request, "administration/access/person.html", {
        "person": person, "assignments": list(person.role_assignments.all()),
        "positions": selectors.positions_of(person), "deputyships": selectors.deputyships_of(person),
        "history": history_page, "history_rows": described(list(history_page.object_list)),
        "history_range": list(history.get_elided_page_range(history_page.number, on_each_side=2, on_ends=1)),
        "history_query": query_without(request, "history"),
        "manager": request.user.has_perm(selectors.MANAGE), "role_form": role_form,
        "is_system": person.pk in selectors.system_account_ids(),
        "deputies_url": url_or_empty("administration:deputies")}, status=status)


@require_GET
@reviewer_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.person_get(user=request.user, pk=pk)
    manager = request.user.has_perm(selectors.MANAGE)
    return _person_page(request, found, RoleForm(auto_id="role_%s") if manager else None)


@require_POST
@reviewer_required
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    manager_or_403(request)
    found = selectors.person_get(user=request.user, pk=pk)
    form = RoleForm(request.POST, auto_id="role_%s")
    if form.is_valid():
        try:
            org_services.role_assign(actor=request.user, user=found, **form.values())
        except ValidationError as exc:
            service_errors_onto(form, exc, aliases={"user": "role"})
        else:
            messages.success(request, _("The role is given."))
            return redirect("administration:access_person", pk=found.pk)
    return _person_page(request, found, form, status=400)


def _assignment_of(person: Any, assignment_pk: int) -> RoleAssignment:
    assignment = next((a for a in person.role_assignments.all() if a.pk == assignment_pk), None)
    if assignment is None:
        raise Http404(_("No such role assignment."))
    return assignment


@require_http_methods(["GET", "POST"])
@reviewer_required
def role_remove(request: HttpRequest, pk: int, assignment: int) -> HttpResponse:
    manager_or_403(request)
    found = selectors.person_get(user=request.user, pk=pk)
    chosen = _assignment_of(found, assignment)
    if request.method == "POST":
        carried_out(request, lambda: org_services.role_revoke(actor=request.user, assignment=chosen),
                    _("The role is taken away."))
        return redirect("administration:access_person", pk=found.pk)
    return render(request, "administration/access/confirm.html", {
        "person": found, "what": "role", "assignment": chosen, "target": selectors.target_of(chosen)})


@require_POST
@reviewer_required
def staff_flag(request: HttpRequest, pk: int) -> HttpResponse:
    manager_or_403(request)
    found = selectors.person_get(user=request.user, pk=pk)
    wanted = request.POST.get("is_staff") == "1"
    carried_out(request, lambda: org_services.user_update(actor=request.user, user=found, is_staff=wanted),
                _("He is a member of staff now.") if wanted
                else _("He is no longer a member of staff: his staff roles grant nothing."))
    return redirect("administration:access_person", pk=found.pk)


@require_http_methods(["GET", "POST"])
@reviewer_required
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    manager_or_403(request)
    found = selectors.person_get(user=request.user, pk=pk)
    if request.method == "POST":
        carried_out(request, lambda: org_services.user_deactivate(actor=request.user, user=found),
                    _("The account is closed."))
        return redirect("administration:access_person", pk=found.pk)
    return render(request, "administration/access/confirm.html", {
        "person": found, "what": "deactivate", "positions": selectors.positions_of(found)})


@require_POST
@reviewer_required
def reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a closed account again (administrators)."""
    manager_or_403(request)
    found = selectors.person_get(user=request.user, pk=pk)
    org_services.user_reactivate(actor=request.user, user=found)
    messages.success(request, _("The account is open again."))
    return redirect("administration:access_person", pk=found.pk)


urlpatterns = [
    path("workspace/administration/", people, name="home"),
    path("workspace/administration/people/<int:pk>/", person, name="access_person"),
    path("workspace/administration/people/<int:pk>/roles/", role_add, name="access_role_add"),
    path("workspace/administration/people/<int:pk>/roles/<int:assignment>/remove/", role_remove,
         name="access_role_remove"),
    path("workspace/administration/people/<int:pk>/staff/", staff_flag, name="access_staff"),
    path("workspace/administration/people/<int:pk>/deactivate/", deactivate, name="access_deactivate"),
    path("workspace/administration/people/<int:pk>/reactivate/", reactivate, name="access_reactivate"),
    path("workspace/administration/bulk/", access_bulk.bulk, name="access_bulk"),
    path("workspace/administration/review/", access_review.review, name="access_review"),
    path("workspace/administration/review/people/<int:pk>/", access_review.review_person,
         name="access_review_person"),
    path("workspace/administration/review/<str:kind>/<int:pk>/", access_review.review, name="access_review_of"),
]
