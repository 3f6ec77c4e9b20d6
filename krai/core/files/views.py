"""Serving attachments to those who may see their target, and a plain upload form for pages."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from krai.core.files import selectors, services
from krai.core.files.models import Attachment


def ascii_fallback(name: str) -> str:
    """An ASCII stand-in of a file name for clients that ignore ``filename*`` ("Отчёт 2025.pdf" → "2025.pdf")."""
    def ascii_only(text: str) -> str:
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
        return re.sub(r"[^A-Za-z0-9()_ -]+", "_", text).strip("_ .-")

    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    stem, extension = ascii_only(stem) or "file", ascii_only(extension)
    return f"{stem}.{extension}" if extension else stem


def content_disposition(name: str, *, inline: bool) -> str:
    """RFC 6266 with the RFC 5987 ``filename*`` for the real (UTF-8) name, and an ASCII fallback."""
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


@require_GET
def download(request, pk: int):
    """The file itself; 404 alike for a missing attachment and one whose target the caller may not see."""
    attachment = selectors.attachment_get_for_user(user=request.user, pk=pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    content_type = attachment.mime_type
    if attachment.charset:
        content_type = f"{content_type}; charset={attachment.charset}"
    inline = attachment.kind == Attachment.Kind.IMAGE and request.GET.get("download") != "1"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition(attachment.original_name, inline=inline)
    response["Content-Length"] = str(attachment.size)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    response["ETag"] = f'"{attachment.sha256}"'
    return response


@login_required
@require_POST
def upload(request):
    """A plain form post (``{% attachments_for object %}``): attach one file, then go back."""
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = "/"
    try:
        target = selectors.resolve_target(request.POST.get("target_type"), request.POST.get("target_id"),
                                          user=request.user)
        upload_file = request.FILES.get("file")
        if upload_file is None:
            raise ValidationError(_("Choose a file to attach."))
        services.attachment_create(actor=request.user, target=target, upload=upload_file)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except PermissionDenied:
        messages.error(request, _("You may not attach files to this object."))
    else:
        messages.success(request, _("The file is attached."))
    return redirect(back)
