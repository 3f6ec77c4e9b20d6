"""Photos on a report of execution (a phone's camera on the spot): images only, at most ``MAX_PHOTOS``, each proved
before anything is written and stored with the kernel's attachments on the ``Report`` in the report's transaction,
so one refused photo refuses the whole report and nothing is saved."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from krai.core.files import validation
from krai.core.files.services import attachment_create
from krai.orders.models import Report

MAX_PHOTOS = 5
KINDS = ("image",)


def _check_photos(photos: Sequence[Any]) -> None:
    """Prove every photo before anything is written; a refusal names the file and lands on the ``photos`` field."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("At most %(n)s photos.") % {"n": MAX_PHOTOS}}, code="too_many")
    for photo in photos:
        try:
            validation.inspect_upload(photo, allowed_kinds=KINDS)
        except ValidationError as error:
            raise ValidationError({"photos": [f"{getattr(photo, 'name', '')}: {message}".lstrip(": ")
                                              for message in error.messages]}) from None
        finally:
            if hasattr(photo, "seek"):
                photo.seek(0)


def _attach_photos(actor: Any, report: Report, photos: Sequence[Any]) -> int:
    """Store the photos on ``report`` (``files.add_attachment``: its author while it waits for a decision)."""
    for photo in photos:
        try:
            attachment_create(actor=actor, target=report, upload=photo, allowed_kinds=KINDS)
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from None
    return len(photos)
