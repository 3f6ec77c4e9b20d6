"""What access management's pages share: the reader's and the changer's checks, links that may not resolve, the
list's query without its page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from krai.administration.selectors import access as selectors
from krai.core.audit.models import AuditEntry
from krai.org.models import Block, Municipality, Organisation, Role, ScopeKind


def reviewer_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous visitors go to the login page; anyone who may not review access gets 403."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        selectors.require_review(request.user)
        return view(request, *args, **kwargs)

    return wrapper


def manager_or_403(request: HttpRequest) -> None:
    if not request.user.has_perm(selectors.MANAGE):
        raise PermissionDenied(_("Only an administrator may change people's access."))


def url_or_empty(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # a part not installed: no link rather than a broken page
        return ""


def query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# --- the history of a person's access, in words --------------------------------------------------------------------

def _names(entries: list[AuditEntry]) -> dict[tuple[str, int], str]:
    """The names of the organisations, municipalities and blocks the entries' payloads name (three queries)."""
    wanted: dict[str, set[int]] = {"organisation": set(), "municipality": set(), "block": set()}
    for entry in entries:
        for key, ids in wanted.items():
            value = (entry.payload or {}).get(key)
            if isinstance(value, int):
                ids.add(value)
    found: dict[tuple[str, int], str] = {}
    for key, model in (("organisation", Organisation), ("municipality", Municipality), ("block", Block)):
        for pk, name in model.objects.filter(pk__in=wanted[key]).values_list("pk", "name"):
            found[(key, pk)] = name
    return found


def _role_words(payload: dict[str, Any], names: dict[tuple[str, int], str]) -> dict[str, str]:
    role, scope = payload.get("role", ""), payload.get("scope", "")
    target = next((names.get((key, payload[key]), f"#{payload[key]}") for key in ("organisation", "municipality",
                                                                                  "block")
                   if isinstance(payload.get(key), int)), "")
    scope_label = str(ScopeKind(scope).label) if scope in ScopeKind.values else scope
    return {"role": str(Role(role).label) if role in Role.values else role,
            "scope": f"{scope_label}: {target}" if target else scope_label}


def describe(entry: AuditEntry, names: dict[tuple[str, int], str]) -> str:
    """An audit entry about a person's access as a sentence."""
    payload = entry.payload or {}
    if entry.kind == "org.role_assigned":
        return _("Given the role “%(role)s” within %(scope)s") % _role_words(payload, names)
    if entry.kind == "org.role_revoked":
        return _("The role “%(role)s” within %(scope)s taken away") % _role_words(payload, names)
    if entry.kind == "org.user_updated":
        changed = payload.get("changed") or {}
        if "is_staff" in changed:
            staff = changed["is_staff"][1] if isinstance(changed["is_staff"], list) else changed["is_staff"]
            return _("Made a member of staff") if staff else _("The staff flag taken away")
        return _("Account details changed: %(fields)s") % {"fields": ", ".join(sorted(changed))}
    plain = {"org.user_created": _("Account opened"), "org.user_deactivated": _("Account closed"),
             "org.user_reactivated": _("Account opened again"),
             "org.deputy_appointed": _("Temporary deputyship appointed"),
             "org.deputyship_changed": _("Temporary deputyship changed"),
             "org.deputyship_ended": _("Temporary deputyship ended early")}
    return str(plain.get(entry.kind, entry.kind))


def described(entries: list[AuditEntry]) -> list[tuple[AuditEntry, str]]:
    names = _names(entries)
    return [(entry, describe(entry, names)) for entry in entries]
