"""The workspace's pages: staff only, everything through selectors scoped to the acting user."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from krai.workspace import selectors


def workspace_required(view):
    """Anonymous visitors go to the login page; signed-in non-staff get the friendly 403 page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("workspace.access"):
            raise PermissionDenied(_("The workspace is for the staff of the region's public bodies."))
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@workspace_required
def home(request):
    groups = selectors.organisations_by_block(request.user)
    return render(request, "workspace/home.html", {
        "home": selectors.home(request.user), "today": timezone.localdate(),
        "scope": selectors.scope_view(request.user),
        "groups": groups,
        "total_organisations": sum(len(group.rows) for group in groups),
        "total_positions": sum(group.positions for group in groups),
        "total_vacancies": sum(group.vacancies for group in groups),
    })


@require_GET
@workspace_required
def structure(request):
    return render(request, "workspace/structure.html", {
        "groups": selectors.organisations_by_block(request.user),
        "vacancies": selectors.vacancies_in_scope(request.user)[:500],
    })


@require_GET
@workspace_required
def organisation(request, pk: int):
    return render(request, "workspace/organisation.html", {
        "people": selectors.organisation_people(request.user, pk),
    })
