"""Keyset cursors: the opaque, URL-safe text that carries the last row's ``(_id, sort value)`` of a page, and
its strict decoding (anything forged or out of range is a ``QueryError``).
"""

from __future__ import annotations

import base64
import datetime as dt
import json

from django.utils.translation import gettext as _

from krai.opendata.datastore.base import MAX_BIGINT, QueryError


def encode_cursor(last_id: int, value) -> str:
    if isinstance(value, dt.date | dt.datetime):
        value = value.isoformat()
    raw = json.dumps([last_id, value], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text: str) -> tuple[int, object]:
    """The (row number, sort value) a cursor carries; any other content — bad base64, not JSON, other types, a
    row number past the table's range — is a ``QueryError``."""
    try:
        padded = text + "=" * (-len(text) % 4)
        last_id, value = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if isinstance(last_id, bool) or not isinstance(last_id, int) or not 0 <= last_id <= MAX_BIGINT:
            raise ValueError
        if isinstance(value, dict | list):
            raise ValueError
        return last_id, value
    except (ValueError, TypeError) as exc:
        raise QueryError(_("The cursor is not valid; start again from the first page.")) from exc
