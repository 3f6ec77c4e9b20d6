"""The portal's pages: thin, over :mod:`krai.portal.selectors`."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from krai.portal import selectors
from krai.portal.navigation import resident_sections


@require_GET
def home(request):
    return render(request, "portal/home.html", {
        "sections": resident_sections(),
        "municipality_count": selectors.municipality_list().count(),
    })


@require_GET
def municipalities(request):
    rows = list(selectors.municipality_list())
    return render(request, "portal/municipalities.html", {
        "municipalities": rows,
        "kind_labels": {m.kind: str(m.get_kind_display()) for m in rows},
    })


@require_GET
@cache_control(public=True, max_age=3600)
def municipalities_geojson(request):
    response = JsonResponse(selectors.municipalities_geojson(), json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/geo+json; charset=utf-8"
    return response


@require_GET
def municipality(request, code: str):
    page = selectors.municipality_page(code)
    return render(request, "portal/municipality.html", {
        "page": page,
    })


@require_GET
def structure(request):
    return render(request, "portal/structure.html", {"structure": selectors.public_structure()})


@require_GET
def organisation(request, code: str):
    return render(request, "portal/organisation.html", {"page": selectors.organisation_page(code)})
