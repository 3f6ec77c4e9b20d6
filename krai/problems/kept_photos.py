"""Photos kept between two tries of the report form.

A browser forgets the chosen files when the form comes back with an error, and a resident who took a photo
in the street cannot always take it again. So the photos of a refused try that are good images are kept: in
the file storage under ``pending-photos/`` (S3 in production, so any web worker finds them), named in the
resident's session (so only he can see or use them, and a posted name cannot point anywhere else). The form
shows them with a box to keep each; the next try sends them with any new ones, and a report made, or a fresh
form, removes them. A daily job removes what was left (``tasks.sweep_kept_photos``).
"""

from __future__ import annotations

import contextlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from krai.core.files import validation
from krai.core.files.models import Attachment
from krai.problems.services._common import max_photo_bytes, max_photos

SESSION_KEY = "krai.problems.kept_photos"
FOLDER = "pending-photos"


def _storage():
    return Attachment._meta.get_field("file").storage


def kept(request) -> list[dict]:
    """The photos kept for this session: ``[{"token", "name", "path", "mime"}]``."""
    return list(request.session.get(SESSION_KEY, []))


def keep(request, uploads: list) -> None:
    """Keep the good images among ``uploads`` (a bad file is left out: its error is on the form)."""
    items = kept(request)
    for upload in uploads:
        if len(items) >= max_photos():
            break
        try:
            inspected = validation.inspect_upload(upload, allowed_kinds=("image",), max_bytes=max_photo_bytes())
        except ValidationError:
            continue
        finally:
            if hasattr(upload, "seek"):
                upload.seek(0)
        token = secrets.token_urlsafe(16)
        path = _storage().save(f"{FOLDER}/{token}.{inspected.extension}", ContentFile(inspected.content))
        items.append({"token": token, "name": inspected.original_name, "path": path, "mime": inspected.mime_type})
    request.session[SESSION_KEY] = items


def find(request, token: str) -> dict | None:
    return next((item for item in kept(request) if item["token"] == token), None)


def read(item: dict) -> bytes:
    with _storage().open(item["path"], "rb") as handle:
        return handle.read()


def chosen(request, tokens: list[str]) -> list[ContentFile]:
    """The kept photos the form sent back (names unknown to this session are ignored), as files."""
    files = []
    for item in kept(request):
        if item["token"] in tokens:
            try:
                files.append(ContentFile(read(item), name=item["name"]))
            except OSError:
                continue  # swept meanwhile: the resident sees it gone from the form
    return files


def forget(request, *, keep_tokens: list[str] | None = None) -> None:
    """Remove the kept photos (all, or all but ``keep_tokens``) from the storage and the session."""
    items = kept(request)
    if not items:
        return
    storage = _storage()
    remaining = []
    for item in items:
        if keep_tokens is not None and item["token"] in keep_tokens:
            remaining.append(item)
            continue
        with contextlib.suppress(OSError):
            storage.delete(item["path"])
    request.session[SESSION_KEY] = remaining


def sweep(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete kept photos older than ``older_than`` (forms abandoned); returns how many."""
    storage = _storage()
    try:
        _dirs, files = storage.listdir(FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return 0
    cutoff, removed = timezone.now() - older_than, 0
    for name in files:
        path = f"{FOLDER}/{name}"
        try:
            if storage.get_modified_time(path) > cutoff:
                continue
        except (NotImplementedError, OSError):
            continue
        storage.delete(path)
        removed += 1
    return removed
