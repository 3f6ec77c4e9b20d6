"""The installable apps: one installation is two apps on a phone — the officials' (the workspace) and the residents'
(the portal) — each with its web app manifest, and one service worker for both (served from the site's root so that
it may control every page).

The service worker keeps the app's shell (styles, scripts, icons, the offline page) and every page the person opened
while online, so the last synced pages read offline; writes made offline wait in the page's queue
(``krai/static/krai/app.js``) and are sent with an ``Idempotency-Key`` (``krai.core.idempotency``) when the
connection is back, so that a copy sent twice is done once. Signing out clears the kept pages."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

#: the static files every page loads (base.html): kept by the service worker when it is installed
SHELL = ("vendor/bootstrap/bootstrap.min.css", "krai/krai.css", "vendor/htmx/htmx.min.js",
         "vendor/bootstrap/bootstrap.bundle.min.js", "krai/krai.js", "krai/app.js", "krai/favicon.svg",
         "krai/icons/icon-192.png")
#: the paths whose pages are never kept on the device (sign-in and account pages, the admin, the API, downloads)
NEVER_KEPT = ("/accounts/", "/admin/", "/api/", "/i18n/", "/files/", "/sw.js", "/manifest/")
THEME = "#0b5394"
#: where the officials' app opens: my day when the planner is installed (named, not imported: the kernel stays below
#: the areas), else the workspace home
WORKSPACE_START = ("planner:today", "workspace:home")


def workspace_start_url() -> str:
    """The officials' app's start page: the first of ``WORKSPACE_START`` that exists."""
    for name in WORKSPACE_START[:-1]:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return reverse(WORKSPACE_START[-1])


def _icons() -> list[dict]:
    return [{"src": static("krai/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("krai/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("krai/icons/maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"}]


@require_GET
@cache_control(max_age=3600)
def manifest(request: HttpRequest, face: str) -> JsonResponse:
    """The web app manifest of a face: the officials' app starts at my day (else the workspace), the residents' at
    the portal."""
    if face == "workspace":
        body = {"name": _("Krai — workspace"), "short_name": _("Krai work"), "start_url": workspace_start_url(),
                "scope": reverse("workspace:home"), "id": "/?app=workspace",
                "description": _("Orders, my day and my tasks, on the phone too")}
    elif face == "portal":
        body = {"name": _("Krai — for residents"), "short_name": _("Krai"), "start_url": "/", "scope": "/",
                "id": "/?app=portal", "description": _("Report a problem, follow your reports, vote and rate")}
    else:
        raise Http404
    body.update({"display": "standalone", "background_color": "#ffffff", "theme_color": THEME,
                 "lang": request.LANGUAGE_CODE, "icons": _icons()})
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


def _shell() -> list[str]:
    return [static(name) for name in SHELL] + [reverse("pwa-offline")]


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, from the root so that its scope is the whole site; its version changes with the shell's
    files (their hashed names), so a new release replaces the kept shell."""
    shell = _shell()
    version = hashlib.sha256(json.dumps([shell, settings.STATIC_URL]).encode()).hexdigest()[:12]
    response = render(request, "core/pwa/sw.js", {
        "version": version, "shell": json.dumps(shell), "offline": json.dumps(reverse("pwa-offline")),
        "never_kept": json.dumps(NEVER_KEPT), "logout": json.dumps(reverse("accounts:logout"))},
        content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # the browser checks for a new worker on every visit
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """What a page not kept on the device shows without a connection."""
    return render(request, "core/pwa/offline.html")


urlpatterns = [
    path("sw.js", service_worker, name="pwa-sw"),
    path("manifest/<str:face>.webmanifest", manifest, name="pwa-manifest"),
    path("offline/", offline, name="pwa-offline"),
]
