"""The CKAN entry points: ``action`` (one view for /api/3/action/<name> and /api/action/<name> that dispatches
to ``ACTIONS`` and wraps the result or the error in the envelope), ``util_status``, and the site-level actions
``status_show`` and ``help_show``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from krai.opendata.ckan.catalogue import (
    group_list,
    organization_list,
    organization_show,
    package_list,
    package_search,
    package_show,
    resource_show,
    tag_list,
)
from krai.opendata.ckan.protocol import ERRORS, ActionError, _envelope, _params
from krai.opendata.ckan.records import datastore_search

CKAN_VERSION = "2.12.0"


def status_show(request, params):
    return {"site_title": "Krai", "site_url": request.build_absolute_uri("/").rstrip("/"),
            "site_description": "", "locale_default": "ru", "error_emails_to": None,
            "extensions": ["datastore", "dcat"], "ckan_version": CKAN_VERSION}


def help_show(request, params):
    return f"CKAN-compatible action {params.get('name', '')} served by Krai; see /api/docs/ and docs/opendata.md."


ACTIONS: dict[str, Callable] = {f.__name__: f for f in (
    package_list, package_show, package_search, organization_list, organization_show, group_list, tag_list,
    resource_show, status_show, datastore_search, help_show)}


@csrf_exempt
def action(request, name: str):
    """One CKAN action: dispatch, wrap the result or the error in CKAN's envelope."""
    if request.method not in ("GET", "POST"):
        return _envelope(request, name, error={"message": "Bad request - GET or POST expected"}, status=400)
    func = ACTIONS.get(name)
    if func is None:
        return _envelope(request, name, error={"message": f"Bad request - Action name not known: {name}"},
                         status=400)
    try:
        result = func(request, _params(request))
    except ActionError as exc:
        error = {"__type": exc.kind}
        if exc.message:
            error["message"] = exc.message
        error.update(exc.fields)
        return _envelope(request, name, error=error, status=ERRORS.get(exc.kind, 400))
    return _envelope(request, name, result=result)


def util_status(request):
    """``/api/util/status``: what uData's CKAN harvester asks first."""
    return JsonResponse(status_show(request, {}))
