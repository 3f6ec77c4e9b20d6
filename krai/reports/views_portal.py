"""The portal's published reports under /reports/: the editions of the templates published for residents (aggregate
figures only), the latest first, and their files — anonymous visitors welcome. An edition that is not published
answers 404 here, like a missing one."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from krai.reports import selectors
from krai.reports.views import edition_file

PER_PAGE = 30


@require_GET
def published(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.published_editions(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "reports/published.html", {"page": page})


@require_GET
def published_download(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    return edition_file(selectors.published_edition_get(pk), fmt)


urlpatterns = [
    path("reports/", published, name="published"),
    path("reports/<int:pk>/<str:fmt>/", published_download, name="published_download"),
]
