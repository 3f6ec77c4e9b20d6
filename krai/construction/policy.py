"""Construction's shared checks, used by pages, the API and services alike: who keeps the registries (objects,
illegal constructions, imports, reports), who inspects a request, who manages a work.

Reads only; the writes live in ``services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from krai.construction import conf
from krai.org.scopes import scope_for
from krai.org.selectors import is_administrator, is_controller, is_staff_member


def is_active_user(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def ensure_signed_in(user: Any) -> None:
    if not is_active_user(user):
        raise PermissionDenied(_("Sign in to continue."))


def reaches(user: Any, organisation: Any) -> bool:
    """A staff member whose scope reaches ``organisation`` through his own organisation's subtree (a region-wide
    controller sees every body but answers for none)."""
    if organisation is None or not (is_active_user(user) and is_staff_member(user)):
        return False
    return any(organisation.path.startswith(path) for path in scope_for(user).org_paths)


def of_inspection(user: Any) -> bool:
    """Staff of the configured inspection body (or of a body above it)."""
    from krai.org.models import Organisation

    body = Organisation.objects.filter(code=conf.inspection_body_code()).first()
    return reaches(user, body)


def _granted_in_admin(user: Any, name: str) -> bool:
    """A Django permission given to the user or his group in the admin (asked of the model backend alone: the
    rules backend answers the same name through ``is_keeper`` itself)."""
    return name in ModelBackend().get_all_permissions(user)


def is_keeper(user: Any) -> bool:
    """Who keeps the registries (objects, illegal constructions, imports, reports) and every work: administrators
    and controllers on staff, the inspection body's staff, or holders of ``construction.change_constructionobject``
    (a "construction registry" group)."""
    if not is_active_user(user):
        return False
    if user.is_superuser or _granted_in_admin(user, "construction.change_constructionobject"):
        return True
    return bool(is_staff_member(user) and (is_administrator(user) or is_controller(user) or of_inspection(user)))


def ensure_keeper(user: Any) -> None:
    ensure_signed_in(user)
    if not is_keeper(user):
        raise PermissionDenied(_("Only the keepers of the construction registry may do this."))


def is_inspector(user: Any, request: Any) -> bool:
    """Who records the inspection of a request: the staff of its inspection body (the assignment's executor), and
    the registry's keepers."""
    return reaches(user, request.inspection_body) or is_keeper(user)


def ensure_inspector(user: Any, request: Any) -> None:
    ensure_signed_in(user)
    if not is_inspector(user, request):
        raise PermissionDenied(_("Only the inspection body's staff may record this inspection."))


def covers(user: Any, organisation: Any) -> bool:
    """A staff member whose scope covers ``organisation``: its own subtree, its block (a vice-governor) or its
    municipality (a mayor for the municipal administration)."""
    if organisation is None or not (is_active_user(user) and is_staff_member(user)):
        return False
    return scope_for(user).covers_organisation(organisation)


def manages_work(user: Any, work: Any) -> bool:
    """Who edits a work and moves its status: the staff whose scope covers the responsible body (its own staff,
    the block's vice-governor, the municipality's head) and the registry's keepers."""
    return covers(user, work.responsible_body) or is_keeper(user)


def ensure_work_manager(user: Any, work: Any) -> None:
    ensure_signed_in(user)
    if not manages_work(user, work):
        raise PermissionDenied(_("Only the responsible body's staff may change this work."))


def may_enter_works(user: Any) -> bool:
    """Who may add a work: keepers, and any staff member acting for a body, a block or a municipality (he enters
    the works of the bodies his scope covers)."""
    if is_keeper(user):
        return True
    if not (is_active_user(user) and is_staff_member(user)):
        return False
    scope = scope_for(user)
    return bool(scope.org_paths or scope.block_ids or scope.municipality_ids)
