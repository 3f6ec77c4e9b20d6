"""What people type in the community, made fit to store: one newline style, no control characters, trimmed, and
within its length — with the refusal said by the field ("body") in the writer's language."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def clean_body(value: Any, *, limit: int, too_long: str) -> str:
    """``value`` as text of 1 to ``limit`` characters; ``too_long`` says so with ``%(limit)s`` and ``%(length)s``."""
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    text = "".join(ch for ch in text if ch in "\n\t" or ch >= " ")
    if not text:
        raise ValidationError({"body": ValidationError(_("Write something first."), code="required")})
    if len(text) > limit:
        raise ValidationError({"body": ValidationError(too_long % {"limit": limit, "length": len(text)},
                                                       code="max_length")})
    return text
