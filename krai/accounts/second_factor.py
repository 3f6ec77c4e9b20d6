"""The second factor that staff roles must use, on every way into a session.

Which roles must have one is a setting (``KRAI_TWO_FACTOR_ROLES``, by default administrators — superusers
included —, the governor, vice-governors and the Department of Control). A session of such a person
counts as complete only when it passed a second factor: the code after the password (django-otp marks the
session), or an identity provider that says it asked for one (the ``amr`` claim). :class:`SecondFactorMiddleware`
holds every other session back, whichever way it was opened (password form, ``/admin/``, which logs in through
the same form, OpenID Connect, an old session): a person with an authenticator is sent to enter its code, a
person without one can reach nothing but the page that sets it up.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from krai.org.selectors import scope_for

#: the session's log-in waiting for its code: user, backend, start time, where to go next, wrong codes so far
PENDING = "krai_2fa_pending"
#: the user id whose identity provider asserted a second factor for this session
PROVIDER_VERIFIED = "krai_2fa_by_provider"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

#: ``amr`` values (RFC 8176) that mean the provider asked for more than a password
SECOND_FACTOR_AMR = frozenset({"mfa", "otp", "hwk", "swk", "sms", "sc", "tel"})

#: what every session held back may still open
ALWAYS_OPEN = frozenset({"accounts:logout", "set_language", "healthz", "metrics"})
#: and what a person without an authenticator may open besides: its setup. Someone with an authenticator
#: whose session skipped the code gets none of these (new backup codes would be a way round the code).
SETUP_VIEWS = frozenset({"accounts:two-factor", "accounts:two-factor-start", "accounts:login",
                         "accounts:login-verify"})


def required_roles() -> frozenset[str]:
    return frozenset(getattr(settings, "KRAI_TWO_FACTOR_ROLES", ()) or ())


def required_for(user: Any) -> bool:
    """Whether ``user`` holds a role that must log in with a second factor (a superuser is an administrator)."""
    roles = required_roles()
    if not roles or user is None or not user.is_authenticated:
        return False
    return bool(scope_for(user).roles & roles)


def amr_asserts_second_factor(*claim_sets: dict[str, Any] | None) -> bool:
    """Whether any of the provider's claim sets (ID token, userinfo) lists a second-factor method in ``amr``."""
    for claims in claim_sets:
        amr = (claims or {}).get("amr") or []
        values: Iterable[Any] = [amr] if isinstance(amr, str) else amr if isinstance(amr, list) else []
        if any(str(value).lower() in SECOND_FACTOR_AMR for value in values):
            return True
    return False


def session_verified(request: HttpRequest) -> bool:
    """Whether this session passed a second factor: Krai's own code, or the identity provider's."""
    user = request.user
    is_verified = getattr(user, "is_verified", None)
    if callable(is_verified) and is_verified():
        return True
    return request.session.get(PROVIDER_VERIFIED) == user.pk


def pending_start(request: HttpRequest, *, user: Any, backend: str, next_url: str) -> HttpResponseRedirect:
    """Hold the log-in of ``user`` until the code is entered on the second page."""
    request.session[PENDING] = {"user": user.pk, "backend": backend, "at": time.time(), "next": next_url,
                                "attempts": 0}
    return HttpResponseRedirect(reverse("accounts:login-verify"))


def _has_device(user: Any) -> bool:
    from krai.accounts.services import has_two_factor

    return has_two_factor(user)


class SecondFactorMiddleware:
    """Holds back the sessions of people whose role requires a second factor until they pass one.

    Runs after django-otp's middleware (which tells whether the session passed a code). Token requests of the
    API carry no session and are not touched here: their scopes are their limit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
                     ) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        view_name = request.resolver_match.view_name if request.resolver_match is not None else ""
        if view_name in ALWAYS_OPEN or not required_for(user) or session_verified(request):
            return None
        has_device = _has_device(user)
        if not has_device and view_name in SETUP_VIEWS:
            return None
        if request.path.startswith("/api/"):
            message = (_("Enter the code of your authenticator: log in again on the site.") if has_device else
                       _("Your role requires two-factor authentication: set it up on the site first."))
            return JsonResponse({"error": {"status": 403, "code": "second_factor_required", "message": message}},
                                status=403)
        if has_device:
            # a session opened without the code (an identity provider that did not ask for a second factor,
            # a session older than the rule): it starts again at the code
            backend = request.session.get(BACKEND_SESSION_KEY) or MODEL_BACKEND
            next_url = request.get_full_path() if request.method == "GET" else resolve_url(settings.LOGIN_REDIRECT_URL)
            logout(request)
            target = pending_start(request, user=user, backend=backend, next_url=next_url).url
        else:
            target = reverse("accounts:two-factor")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        return HttpResponseRedirect(target)
