"""Attaching files to objects, and removing them.

The upload is proved and cleaned before anything is written (``validation.inspect_upload``); the file is
stored under a random name and the row written in one transaction, and the file is deleted again if the
row cannot be written, so a refused or failed upload leaves nothing behind. Should an enclosing
transaction roll back after the file was stored, the daily ``sweep_orphan_files`` job removes it.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.core.files import selectors, validation
from krai.core.files.models import Attachment

STORAGE_DIR = "attachments"


def _storage():
    return Attachment._meta.get_field("file").storage


def _random_name(extension: str) -> str:
    now = timezone.now()
    return f"{STORAGE_DIR}/{now:%Y/%m}/{secrets.token_hex(16)}.{extension}"


def attachment_create(*, actor, target: models.Model, upload, allowed_kinds: Iterable[str] = validation.DEFAULT_KINDS,
                      max_bytes: int | None = None, name: str | None = None) -> Attachment:
    """Attach ``upload`` (a Django ``File``/``UploadedFile``) to ``target`` for ``actor``.

    ``allowed_kinds`` narrows the accepted kinds ("image", "pdf", "office", "text"); ``max_bytes`` may
    lower (never raise) ``settings.KRAI_UPLOAD_MAX_BYTES``. Raises ``PermissionDenied`` unless the actor
    has ``files.add_attachment`` on the target, and ``ValidationError`` for a file that is not accepted.
    """
    if actor is None or not actor.has_perm("files.add_attachment", target):
        raise PermissionDenied(_("You may not attach files to this object."))
    inspected = validation.inspect_upload(upload, allowed_kinds=allowed_kinds, max_bytes=max_bytes, name=name)
    storage = _storage()
    stored = storage.save(_random_name(inspected.extension), ContentFile(inspected.content))
    try:
        with transaction.atomic():
            attachment = Attachment.objects.create(
                content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk), file=stored,
                original_name=inspected.original_name, size=inspected.size, mime_type=inspected.mime_type,
                kind=inspected.kind, charset=inspected.charset, sha256=inspected.sha256, uploaded_by=actor)
            record_event(kind="files.attachment_added", actor=actor, subject=attachment, payload={
                "target_type": selectors.target_label(target), "target_id": str(target.pk),
                "name": attachment.original_name, "size": attachment.size, "mime_type": attachment.mime_type,
                "sha256": attachment.sha256})
    except BaseException:
        storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_delete(*, actor, attachment: Attachment) -> None:
    """Remove an attachment (``files.delete_attachment``); its file goes once the removal commits."""
    if actor is None or not actor.has_perm("files.delete_attachment", attachment):
        raise PermissionDenied(_("You may not remove this file."))
    record_event(kind="files.attachment_removed", actor=actor, subject=attachment, payload={
        "target_type": attachment.target_type, "target_id": attachment.object_id,
        "name": attachment.original_name, "sha256": attachment.sha256})
    name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: _storage().delete(name), robust=True)


def sweep_orphan_files(*, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete stored files that no attachment names (left by a rolled-back transaction); returns how many.

    Only files older than ``older_than`` are touched, so an upload in progress is never swept.
    """
    storage = _storage()
    cutoff = timezone.now() - older_than
    removed = 0
    for folder in _folders(storage, STORAGE_DIR):
        _dirs, files = storage.listdir(folder)
        names = [f"{folder}/{file}" for file in files]
        known = set(Attachment.objects.filter(file__in=names).values_list("file", flat=True))
        for name in names:
            if name in known:
                continue
            try:
                if storage.get_modified_time(name) > cutoff:
                    continue
            except (NotImplementedError, OSError):
                continue
            storage.delete(name)
            removed += 1
    return removed


def _folders(storage, root: str):
    try:
        dirs, _files = storage.listdir(root)
    except (FileNotFoundError, NotImplementedError):
        return
    yield root
    for directory in dirs:
        yield from _folders(storage, f"{root}/{directory}")
