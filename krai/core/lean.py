"""A lean WSGI path for anonymous reads of public data (the open-data rows API, CKAN's read actions).

Why: an anonymous GET of a public page of rows went through the whole middleware stack — sessions, CSRF,
authentication, OTP, messages, the staff second factor, htmx, the login lock-out — and on 100-row pages that
fixed work cost more than the query (issue 12: four times Datasette's CPU a page). None of it can change such
an answer: without a session cookie the session is empty and the user anonymous, without an Authorization
header no API token is presented, and a GET of a read-only view writes nothing a CSRF token would guard.

So a request is served by a second handler, whose middleware is the project's list minus ``SKIPPED``, only when
all hold: the method is GET or HEAD, there is no ``Authorization`` header and no session cookie, and the path
resolves to a view whose name an area registered with ``register`` (views that read public data and never touch
``request.session``). Everything else — and every middleware added to ``MIDDLEWARE`` later, unless added to
``SKIPPED`` on purpose — goes the ordinary way. The security headers (SecurityMiddleware, the CSP,
X-Frame-Options), the request id, the language (Russian/English messages), metrics and rate limiting stay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.handlers.wsgi import WSGIHandler, get_path_info
from django.urls import Resolver404, ResolverMatch, get_resolver
from django.utils.cache import patch_vary_headers

SKIPPED = frozenset({
    "whitenoise.middleware.WhiteNoiseMiddleware",  # the path is a view's, never a static file's
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",  # replaced by AnonymousUser (no cookie, no token)
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "krai.accounts.second_factor.SecondFactorMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
})
_ROUTES: set[str] = set()
_MATCH = "krai.lean.match"


def register(*view_names: str) -> None:
    """Mark views (``namespace:name``) as public anonymous reads: GETs of them may take the lean path."""
    _ROUTES.update(view_names)


def registered() -> frozenset[str]:
    return frozenset(_ROUTES)


class LeanHandler(WSGIHandler):
    """Django's handler with the lean middleware list; the request's user is anonymous by construction."""

    def load_middleware(self, is_async: bool = False) -> None:
        # BaseHandler reads settings.MIDDLEWARE; it is swapped only while this handler builds its chain (at start-up,
        # before any request), so the ordinary handler and every other reader see the project's list.
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = lean_middleware(full)
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full

    def get_response(self, request):
        request.user = AnonymousUser()
        response = super().get_response(request)
        # the ordinary path says the answer depends on the cookie (it consulted the session for the user); so does
        # this one, so that a shared cache never gives an anonymous answer to someone who is logged in
        patch_vary_headers(response, ("Cookie",))
        return response

    def resolve_request(self, request) -> ResolverMatch:
        match = request.environ.get(_MATCH)
        if match is None or hasattr(request, "urlconf"):
            return super().resolve_request(request)
        request.resolver_match = match  # resolved once already, by the dispatch that chose this handler
        return match


def lean_middleware(middleware: Iterable[str]) -> list[str]:
    return [path for path in middleware if path not in SKIPPED]


class LeanDispatch:
    """The WSGI application: registered anonymous reads to the lean handler, everything else to Django's own."""

    def __init__(self, full: Callable, lean: Callable | None = None):
        self.full = full
        self.lean = lean or LeanHandler()
        self.session_cookie = settings.SESSION_COOKIE_NAME + "="

    def __call__(self, environ: dict, start_response: Callable):
        if self.is_lean(environ):
            return self.lean(environ, start_response)
        return self.full(environ, start_response)

    def is_lean(self, environ: dict) -> bool:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or environ.get("HTTP_AUTHORIZATION") is not None:
            return False
        if self.session_cookie in environ.get("HTTP_COOKIE", ""):  # any cookie of that name: the full path decides
            return False
        try:
            match = get_resolver().resolve(get_path_info(environ))
        except Resolver404:
            return False
        if match.view_name not in _ROUTES:
            return False
        environ[_MATCH] = match
        return True
