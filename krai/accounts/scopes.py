"""Which token scopes a request needs: decided here, once, for every API view of every area.

Every unsafe request made with a token needs ``write`` and the write scope of the area the view belongs to,
taken from the view's module (``krai.orders.api.views`` → ``orders:write``; a kernel app's
``krai.core.comments.api`` → ``comments:write``). A view may add scopes with ``required_scopes`` (a list, or a
dict by HTTP method). The area is derived rather than declared so that no view can forget it, and a view
whose area has no scope in ``TOKEN_SCOPES`` cannot be written to with a token at all (it fails closed).
Safe requests need ``read``.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS

from krai.accounts.models import TOKEN_SCOPES


def area_write_scope(view: Any) -> str | None:
    """``<area>:write`` for a view of ``krai.<area>…`` (or ``krai.core.<app>…``), or None outside Krai."""
    module = type(view).__module__ if view is not None else ""
    parts = module.split(".")
    if len(parts) < 2 or parts[0] != "krai":
        return None
    area = parts[2] if parts[1] == "core" and len(parts) > 2 else parts[1]
    return f"{area}:write"


def declared_scopes(view: Any, method: str) -> list[str]:
    declared = getattr(view, "required_scopes", None) or []
    if isinstance(declared, dict):
        declared = declared.get(method, [])
    return list(declared)


def scopes_needed(view: Any, method: str) -> set[str]:
    """Every scope a token must hold for ``method`` on ``view``."""
    if method in SAFE_METHODS:
        return {"read", *declared_scopes(view, method)}
    needed = {"write", *declared_scopes(view, method)}
    area = area_write_scope(view)
    if area is not None:
        needed.add(area)
    elif len(needed) == 1:
        # outside every area and nothing declared: no scope names this write, so no token may make it
        needed.add("<undeclared>:write")
    return needed


def scopes_missing(token: Any, view: Any, method: str) -> list[str]:
    """The scopes ``token`` lacks for the request, sorted; an area scope unknown to TOKEN_SCOPES is always missing."""
    return sorted(scope for scope in scopes_needed(view, method)
                  if scope not in TOKEN_SCOPES or not token.has_scope(scope))
