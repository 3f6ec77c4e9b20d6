"""The datastore's common ground: ``QueryError``, the checks every operand passes (no NUL, no lone surrogate,
positions within BIGINT), table names and quoting, the database vendor, and the conversion of typed values
to and from the columns of SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils.translation import gettext as _

MAX_BIGINT = 2 ** 63 - 1  # row numbers, limits and offsets past it are no position in any table


class QueryError(ValueError):
    """A query the datastore cannot run (unknown field, bad operator or value); the message says why."""


def _text(value) -> str:
    """A text operand as the database takes it: no NUL byte (PostgreSQL text cannot hold one) and no lone
    surrogate (no UTF-8 for it) — refused alike on both databases, before any SQL runs."""
    text = value if isinstance(value, str) else str(value)
    if "\x00" in text:
        raise QueryError(_("A value holds a NUL character, which no field can contain."))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise QueryError(_("A value holds a broken character (a lone UTF-16 surrogate).")) from exc
    return text


def _position(value, name: str) -> int:
    """A limit or an offset: a whole number from 0 to the largest row number a table can have."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_BIGINT:
        raise QueryError(_("%(name)s must be a whole number from 0 to %(max)s.") % {"name": name, "max": MAX_BIGINT})
    return value


def table_name(version_id: int) -> str:
    return f"opendata_ds_{int(version_id)}"


def _qn(name: str) -> str:
    return connection.ops.quote_name(name)


def _is_pg() -> bool:
    return connection.vendor == "postgresql"


def _db_value(value, kind: str):
    """A typed Python value as the database column takes it."""
    if value is None:
        return None
    if not _is_pg():
        if kind == "boolean":
            return 1 if value else 0
        if kind in ("date", "datetime"):
            return value.isoformat()
    return value


def _reader(kind: str):
    if kind == "boolean":
        return lambda v: None if v is None else bool(v)
    if kind == "date":
        return lambda v: v.isoformat() if isinstance(v, dt.date) else v
    if kind == "datetime":
        return lambda v: v.isoformat() if isinstance(v, dt.datetime) else v
    if kind == "number":
        return lambda v: None if v is None else float(v)
    return lambda v: v
