"""Kernel endpoints: health, the rate-limit answer, language switching lives in Django's i18n views."""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _


def ratelimited(request, exception=None):
    message = _("Too many requests. Please wait a little and try again.")
    if request.path.startswith("/api/") or request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"error": {"status": 429, "code": "throttled", "message": message}}, status=429)
    from django.shortcuts import render

    return render(request, "core/error.html", {"status": 429, "message": message}, status=429)


def healthz(request):
    """Database and job queue both answer, or 503 with which one did not."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        from huey.contrib.djhuey import HUEY

        HUEY.pending_count()
        checks["queue"] = "ok"
    except Exception as exc:
        checks["queue"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
