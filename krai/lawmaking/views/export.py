"""The export of a draft as a file: ``/lawmaking/<pk>/export.pdf`` and ``.docx``, for whoever may see the
initiative (a missing one and one hidden from the reader answer the same 404)."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from krai.lawmaking import export_data, export_docx, export_pdf
from krai.lawmaking.selectors.initiatives import initiative_for


def disposition(initiative_id: int, title: str, extension: str) -> str:
    """``attachment`` with an ASCII name for old clients and the title as the UTF-8 name (RFC 6266)."""
    name = re.sub(r"[\x00-\x1f\x7f\\/:*?\"<>|]+", " ", title).strip()[:100].strip() or f"initiative-{initiative_id}"
    return (f'attachment; filename="initiative-{initiative_id}.{extension}"; '
            f"filename*=UTF-8''{quote(f'{name}.{extension}', safe='')}")


@require_GET
def export_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk)
    response = HttpResponse(export_pdf.render(export_data.document(initiative)), content_type=export_pdf.PDF)
    response["Content-Disposition"] = disposition(initiative.pk, initiative.title, "pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def export_docx_view(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = initiative_for(request.user, pk)
    response = HttpResponse(export_docx.render(export_data.document(initiative)), content_type=export_docx.DOCX)
    response["Content-Disposition"] = disposition(initiative.pk, initiative.title, "docx")
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("lawmaking/<int:pk>/export.pdf", export_pdf_view, name="export_pdf"),
    path("lawmaking/<int:pk>/export.docx", export_docx_view, name="export_docx"),
]
