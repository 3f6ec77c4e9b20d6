"""API token authentication (personal tokens and tokens of integrated systems) and scope checks.

A client sends ``Authorization: Bearer krai_<prefix>_<secret>`` (``Token krai_…`` works too). The answer
is ``(user, token)``, so a view finds the token in ``request.auth``. A token without the ``write`` scope
is refused every unsafe method (and one without ``read`` every safe one) here, for every view of every
area; a view narrows further by declaring ``required_scopes`` and listing :class:`TokenScopes` among its
permission classes (see docs/accounts.md).
"""

from __future__ import annotations

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
        if request.method not in SAFE_METHODS and not token.has_scope("write"):
            raise exceptions.PermissionDenied(_("This token may only read: it lacks the \"write\" scope."))
        if request.method in SAFE_METHODS and not token.has_scope("read"):
            raise exceptions.PermissionDenied(_("This token may not read: it lacks the \"read\" scope."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'


def _token(request):
    from krai.accounts.models import ApiToken

    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, ApiToken) else None


class TokenScopes(BasePermission):
    """Refuse a token request whose token lacks a scope the view needs; sessions pass untouched.

    A view declares ``required_scopes`` as a list (needed for every method) or a dict by HTTP method
    (``{"POST": ["orders:write"]}``). Unsafe methods always need ``write``; safe ones need ``read``.
    """

    message = _("This token lacks a scope this request needs.")

    def has_permission(self, request, view) -> bool:
        token = _token(request)
        if token is None:
            return True
        needed = {"read"} if request.method in SAFE_METHODS else {"write"}
        declared = getattr(view, "required_scopes", None) or []
        if isinstance(declared, dict):
            declared = declared.get(request.method, [])
        needed.update(declared)
        missing = sorted(scope for scope in needed if not token.has_scope(scope))
        if missing:
            self.message = _("This token lacks the scopes: %(scopes)s.") % {"scopes": ", ".join(missing)}
            return False
        return True
