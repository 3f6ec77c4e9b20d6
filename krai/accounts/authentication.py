"""API token authentication (personal tokens and tokens of integrated systems) and scope checks.

A client sends ``Authorization: Bearer krai_<prefix>_<secret>`` (``Token krai_…`` works too). The answer
is ``(user, token)``, so a view finds the token in ``request.auth``. The scopes are checked here too, for
every view of every area, before the view runs: an unsafe method needs ``write`` and the area's own write
scope (``orders:write`` for a view of ``krai.orders``; see :mod:`krai.accounts.scopes`), a safe one needs
``read``. Checking at authentication rather than in a permission class means a view that replaces its
``permission_classes`` cannot drop the check, and the refusal comes before any lookup or write.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import SAFE_METHODS, BasePermission

KEYWORDS = (b"bearer", b"token")


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer krai_<prefix>_<secret>``; revoked, expired or wrong tokens get 401."""

    keyword = "Bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header: give the token after the keyword."))
        try:
            raw = parts[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from exc
        from krai.accounts import services  # late: the settings import this module before apps are ready

        token = services.token_find(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token has been revoked."))
        if token.expires_at is not None and token.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed(_("This token has expired."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The account of this token is closed."))
        services.token_touch(token)
        _check_scopes(token, _view_of(request), request.method)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


def _view_of(request: Any) -> Any:
    """The DRF view handling ``request`` (DRF hands it to the request as its parser context)."""
    return (getattr(request, "parser_context", None) or {}).get("view")


def _check_scopes(token: Any, view: Any, method: str) -> None:
    from krai.accounts.scopes import scopes_missing

    missing = scopes_missing(token, view, method)
    if not missing:
        return
    if method in SAFE_METHODS and "read" in missing:
        raise exceptions.PermissionDenied(_("This token may not read: it lacks the \"read\" scope."))
    if method not in SAFE_METHODS and "write" in missing:
        raise exceptions.PermissionDenied(_("This token may only read: it lacks the \"write\" scope."))
    raise exceptions.PermissionDenied(_("This token lacks the scopes: %(scopes)s.") % {"scopes": ", ".join(missing)})


def _token(request):
    from krai.accounts.models import ApiToken

    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


class TokenScopes(BasePermission):
    """The same scope check as at authentication, for views that list it; sessions pass untouched.

    Kept so that views naming it keep working; the check that matters runs in
    :class:`ApiTokenAuthentication` for every view, whatever its permission classes.
    """

    message = _("This token lacks a scope this request needs.")

    def has_permission(self, request, view) -> bool:
        from krai.accounts.scopes import scopes_missing

        token = _token(request)
        if token is None:
            return True
        missing = scopes_missing(token, view, request.method)
        if missing:
            self.message = _("This token lacks the scopes: %(scopes)s.") % {"scopes": ", ".join(missing)}
            return False
        return True
