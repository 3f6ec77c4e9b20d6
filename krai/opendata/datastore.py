"""The datastore: one real table per dataset version, typed and indexed, queried with keyset pages.

A version's rows go into ``opendata_ds_<version id>`` with ``_id`` (the row number, primary key), one
column ``c<i>`` per field of the structure (typed: BIGINT, DOUBLE PRECISION, DATE …) and ``_q`` (the
row's text in lower case, for ``q``). Each field gets an index on ``(c<i>, _id)``, so a filter, a sort
and the next keyset page are index walks on SQLite and PostgreSQL alike. The columns are named by
position, never by the publisher's field names, so no identifier from outside reaches the SQL; values
always travel as parameters.

Table creation and loading run in the caller's transaction (both databases have transactional DDL),
so a failed upload leaves no table behind.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.utils.translation import gettext as _

from krai.core import csvsafe

BATCH = 5000
MAX_INDEXED = 30
MAX_BIGINT = 2 ** 63 - 1  # row numbers, limits and offsets past it are no position in any table
TOTAL_CACHE_SECONDS = 60
OPERATORS = ("eq", "ne", "lt", "lte", "gt", "gte", "contains", "startswith", "in", "isnull")
_SQL_OPS = {"eq": "=", "ne": "<>", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
_PG_TYPES = {"string": "text", "integer": "bigint", "number": "double precision", "boolean": "boolean",
             "date": "date", "datetime": "timestamp"}
_SQLITE_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER",
                 "date": "TEXT", "datetime": "TEXT"}


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


def search_text(row: list, fields: list[dict]) -> str:
    return " ".join(str(v) for v, f in zip(row, fields, strict=False)
                    if v is not None and f["type"] == "string").lower()[:4000]


def create_table(version_id: int, fields: list[dict]) -> str:
    """Create the empty table of a version (in the current transaction); return its name."""
    name = table_name(version_id)
    types = _PG_TYPES if _is_pg() else _SQLITE_TYPES
    id_type = "bigint PRIMARY KEY" if _is_pg() else "INTEGER PRIMARY KEY"
    columns = [f"_id {id_type}"] + [f"c{i} {types[f['type']]}" for i, f in enumerate(fields)] + ["_q text"]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {_qn(name)} ({', '.join(columns)})")
    return name


def create_indexes(name: str, fields: list[dict]) -> None:
    with connection.cursor() as cursor:
        for i, _field in enumerate(fields[:MAX_INDEXED]):
            cursor.execute(f"CREATE INDEX {_qn(f'{name}_c{i}')} ON {_qn(name)} (c{i}, _id)")
        if _is_pg():
            cursor.execute(f"ANALYZE {_qn(name)}")


def load_rows(name: str, fields: list[dict], rows: Iterable[list], *, start: int = 1) -> int:
    """Append typed rows (numbered from ``start``); PostgreSQL loads with COPY. Return how many."""
    count = 0
    columns = ["_id"] + [f"c{i}" for i in range(len(fields))] + ["_q"]
    kinds = [f["type"] for f in fields]
    if _is_pg():
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {_qn(name)} ({', '.join(columns)}) FROM STDIN") as copy:
                for number, row in enumerate(rows, start=start):
                    copy.write_row([number, *row, search_text(row, fields)])
                    count += 1
        return count
    sql = f"INSERT INTO {_qn(name)} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    batch = []
    with connection.cursor() as cursor:
        for number, row in enumerate(rows, start=start):
            batch.append([number, *(_db_value(v, k) for v, k in zip(row, kinds, strict=True)),
                          search_text(row, fields)])
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def vacuum(name: str) -> None:
    """PostgreSQL: set the visibility map after a load (outside any transaction), so counts and filters
    become index-only scans instead of visiting every matching row in the heap."""
    if _is_pg() and name and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {_qn(name)}")


def drop_table(name: str) -> None:
    if not name:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {_qn(name)}")


def table_exists(name: str) -> bool:
    return bool(name) and name in connection.introspection.table_names()


# --- queries ---------------------------------------------------------------------------------------

@dataclass
class Query:
    """What a reader asks of a table: filters ``[(field, op, value)]``, ``q``, sort, fields, page."""

    filters: list[tuple[str, str, object]] = field(default_factory=list)
    q: str = ""
    sort: list[tuple[str, bool]] = field(default_factory=list)  # (field, descending)
    fields: list[str] = field(default_factory=list)
    limit: int = 100
    offset: int = 0
    cursor: str = ""


@dataclass
class Page:
    fields: list[dict]
    rows: list[list]  # each row: [_id, *values of fields]
    total: int | None
    next_cursor: str | None


class Table:
    """A version's datastore table with its structure: builds SQL and converts values back."""

    def __init__(self, name: str, fields: list[dict]):
        self.name = name
        self.all_fields = fields
        self.index = {f["name"]: i for i, f in enumerate(fields)}
        self.index_lower = {f["name"].lower(): i for i, f in enumerate(fields)}

    # columns
    def column(self, field_name: str) -> tuple[str, dict]:
        if field_name == "_id":
            return "_id", {"name": "_id", "type": "integer"}
        if not isinstance(field_name, str):
            raise QueryError(_("A field is named by text, not by %(value)s.") % {"value": _text(field_name)[:50]})
        i = self.index.get(field_name, self.index_lower.get(field_name.lower()))
        if i is None:
            raise QueryError(_("Unknown field “%(name)s”.") % {"name": field_name})
        return f"c{i}", self.all_fields[i]

    def _param(self, raw, spec: dict):
        """An operand typed by its field, refused when the column could not hold it (1e400, NaN, 10**30, NUL)."""
        from krai.opendata.ingest import convert

        if isinstance(raw, str):
            raw = _text(raw)
        try:  # the type only: a filter below a field's minimum or off its enum is a question, not an error
            value = convert(raw, {"name": spec["name"], "type": spec["type"], "required": True})
        except ValueError as exc:
            raise QueryError(_("Field “%(name)s”: %(reason)s.") % {"name": spec["name"], "reason": exc}) from exc
        if isinstance(value, str):
            _text(value)
        return _db_value(value, spec["type"])

    def where(self, query: Query) -> tuple[str, list]:
        parts, params = [], []
        for name, op, raw in query.filters:
            column, spec = self.column(name)
            if op not in OPERATORS:
                raise QueryError(_("Unknown operator “%(op)s” (allowed: %(ops)s).")
                                 % {"op": op, "ops": ", ".join(OPERATORS)})
            if op == "isnull":
                truth = str(raw).lower() in ("1", "true", "yes")
                parts.append(f"{column} IS {'' if truth else 'NOT '}NULL")
            elif op == "in":
                values = raw if isinstance(raw, list | tuple) else str(raw).split(",")
                values = [self._param(v, spec) for v in values][:500]
                if not values:
                    parts.append("1 = 0")
                else:
                    parts.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
                    params.extend(values)
            elif op in ("contains", "startswith"):
                if spec["type"] != "string":
                    raise QueryError(_("Field “%(name)s” is not text.") % {"name": spec["name"]})
                if _is_pg():
                    parts.append(f"strpos({column}, %s) {'> 0' if op == 'contains' else '= 1'}")
                else:
                    parts.append(f"instr({column}, %s) {'> 0' if op == 'contains' else '= 1'}")
                params.append(_text(raw))
            else:
                parts.append(f"{column} {_SQL_OPS[op]} %s")
                params.append(self._param(raw, spec))
        if query.q:
            for word in _text(query.q).lower().split()[:10]:
                parts.append("strpos(_q, %s) > 0" if _is_pg() else "instr(_q, %s) > 0")
                params.append(word)
        return (" AND ".join(parts) or "1 = 1"), params

    def order(self, query: Query) -> tuple[list[tuple[str, dict, bool]], str]:
        """ORDER BY in the index's own order: the ``_id`` tie-break follows the first sort's direction and NULLs
        sit where the database keeps them (last going up on PostgreSQL, first on SQLite), so a sorted page,
        forwards or backwards, is a walk of the ``(column, _id)`` index, not a sort of every match."""
        sort = [(self.column(name)[0], self.column(name)[1], desc) for name, desc in query.sort
                if name != "_id"]
        terms = [f"{column} {'DESC' if desc else 'ASC'}" for column, _spec, desc in sort]
        terms.append("_id DESC" if sort and sort[0][2] else "_id")
        return sort, ", ".join(terms)

    def selected(self, query: Query) -> list[tuple[str, dict]]:
        names = query.fields or [f["name"] for f in self.all_fields]
        if not isinstance(names, list | tuple):
            raise QueryError(_("fields is a list of field names."))
        out, seen = [], set()
        for name in names:
            if name == "_id":
                continue
            column, spec = self.column(name)
            if column in seen:
                raise QueryError(_("Field “%(name)s” is asked for twice.") % {"name": spec["name"]})
            seen.add(column)
            out.append((column, spec))
        return out

    def check(self, query: Query) -> None:
        """Everything ``page``, ``iterate`` and the COPY exports would refuse, refused now: a download checks
        its query before the first byte leaves, so it answers 400 rather than stopping half-way."""
        self.where(query)
        sort, _order_by = self.order(query)
        self.selected(query)
        _position(query.limit, "limit")
        _position(query.offset, "offset")
        if query.cursor:
            if len(sort) > 1:
                raise QueryError(_("Keyset pages follow at most one sort field."))
            self._after(query.cursor, sort)

    def _total(self, where: str, params: list) -> int:
        key = "opendata:total:" + hashlib.sha256(json.dumps([self.name, where, params], default=str)
                                                  .encode()).hexdigest()
        total = cache.get(key)
        if total is None:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT count(*) FROM {_qn(self.name)} WHERE {where}", params)  # noqa: S608
                total = cursor.fetchone()[0]
            cache.set(key, total, TOTAL_CACHE_SECONDS)
        return total

    def page(self, query: Query, *, include_total: bool = False) -> Page:
        self.check(query)
        where, params = self.where(query)
        sort, order_by = self.order(query)
        selected = self.selected(query)
        total = self._total(where, params) if include_total else None
        keyset_sql, keyset_params = "", []
        if query.cursor:
            keyset_sql, keyset_params = self._after(query.cursor, sort)
        limit = min(query.limit, 32000)
        columns = ", ".join(["_id"] + [c for c, _s in selected] + [c for c, _s, _d in sort])
        sql = (f"SELECT {columns} FROM {_qn(self.name)} WHERE ({where}){keyset_sql} ORDER BY {order_by} "  # noqa: S608
               f"LIMIT {limit + 1}")
        if query.offset and not query.cursor:
            sql += f" OFFSET {int(query.offset)}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params + keyset_params)
            raw_rows = cursor.fetchall()
        more = len(raw_rows) > limit
        raw_rows = raw_rows[:limit]
        width = 1 + len(selected)
        rows = [list(r[:width]) for r in raw_rows]
        # text and integers come back as they are: only the other columns are converted (a hot loop of the API)
        converters = [(i, _reader(spec["type"])) for i, (_c, spec) in enumerate(selected, 1)
                      if spec["type"] not in ("string", "integer")]
        if converters:
            for row in rows:
                for i, conv in converters:
                    row[i] = conv(row[i])
        next_cursor = None
        if more and raw_rows and len(sort) <= 1:
            last = raw_rows[-1]
            sort_value = last[width] if sort else None
            next_cursor = encode_cursor(last[0], sort_value)
        return Page(fields=[spec for _c, spec in selected], rows=rows, total=total, next_cursor=next_cursor)

    def _after(self, cursor_text: str, sort) -> tuple[str, list]:
        """The keyset condition for the rows after the cursor's (value, _id), NULLs placed as ``order`` does."""
        last_id, value = decode_cursor(cursor_text)
        if not sort:
            return " AND _id > %s", [last_id]
        column, spec, desc = sort[0]
        if value is not None:  # typed as its column, so a forged value is a 400 and not a database error
            value = self._param(value, spec)
        nulls_high = _is_pg()  # PostgreSQL sorts NULL above every value, SQLite below
        nulls_ahead = nulls_high != desc  # the NULLs come after the values in this walk
        before, after = ("<", "<") if desc else (">", ">")
        if value is None:
            rest = f"{column} IS NULL AND _id {after} %s"
            return (f" AND ({rest})" if nulls_ahead else f" AND (({rest}) OR {column} IS NOT NULL)"), [last_id]
        condition = f"{column} {before} %s OR ({column} = %s AND _id {after} %s)"
        if nulls_ahead:
            condition += f" OR {column} IS NULL"
        return f" AND ({condition})", [value, value, last_id]

    def iterate(self, query: Query, *, chunk_size: int = 5000) -> Iterator[list]:
        """Every matching row (``_id`` first), read in chunks through a server-side cursor on PostgreSQL."""
        where, params = self.where(query)
        _sort, order_by = self.order(query)
        selected = self.selected(query)
        # only the columns whose database value differs from the JSON one are converted (bool on SQLite,
        # date/timestamp objects on PostgreSQL): a full export touches millions of values
        differ = ("date", "datetime") if _is_pg() else ("boolean",)
        convert = [(i + 1, _reader(spec["type"])) for i, (_c, spec) in enumerate(selected) if spec["type"] in differ]
        sql = (f"SELECT {', '.join(['_id', *(c for c, _s in selected)])} FROM {_qn(self.name)} "  # noqa: S608
               f"WHERE {where} ORDER BY {order_by}")
        if query.limit and query.limit > 0 and query.limit < 10 ** 9:
            sql += f" LIMIT {int(query.limit)}"
        cursor = connection.chunked_cursor()
        try:
            cursor.execute(sql, params)
            while True:
                chunk = cursor.fetchmany(chunk_size)
                if not chunk:
                    break
                if not convert:
                    yield from chunk
                    continue
                for r in chunk:
                    r = list(r)
                    for i, conv in convert:
                        r[i] = conv(r[i])
                    yield r
        finally:
            cursor.close()

    def copy_csv(self, query: Query, *, block: int = 256 * 1024) -> Iterator[bytes]:
        """PostgreSQL only: the matching rows as CSV straight from ``COPY … TO STDOUT`` (header = field names).

        Booleans are written ``true``/``false`` like the other exports; dates and numbers in PostgreSQL's
        ISO and shortest-exact forms. Parameters are bound client-side (COPY takes none server-side).
        """
        where, params = self.where(query)
        _sort, order_by = self.order(query)
        columns = []
        for column, spec in self.selected(query):
            expr = (f"CASE WHEN {column} THEN 'true' WHEN NOT {column} THEN 'false' END"
                    if spec["type"] == "boolean" else csvsafe.sql_text(column) if spec["type"] == "string"
                    else column)  # a text that a spreadsheet would run as a formula leaves as text
            columns.append(f"{expr} AS {_qn(spec['name'])}")
        sql = (f"COPY (SELECT {', '.join(columns)} FROM {_qn(self.name)} WHERE {where} ORDER BY {order_by}"  # noqa: S608
               + (f" LIMIT {int(query.limit)}" if query.limit and 0 < query.limit < 10 ** 9 else "")
               + ") TO STDOUT (FORMAT csv, HEADER)")
        with connection.cursor() as cursor, cursor.cursor.copy(sql, params or None) as copy:
            buffer, size = [], 0
            for chunk in copy:
                buffer.append(bytes(chunk))
                size += len(chunk)
                if size >= block:
                    yield b"".join(buffer)
                    buffer, size = [], 0
            if buffer:
                yield b"".join(buffer)

    def copy_documents(self, query: Query, fmt: str, *, block: int = 256 * 1024) -> Iterator[bytes]:
        """PostgreSQL only: the matching rows as a JSON array or an XML ``<data>`` built by the database.

        Each row becomes one ``json_build_object``/``xmlelement`` text, sent by COPY in CSV form with a
        delimiter and quote that JSON and XML text cannot contain (control characters), so each line is
        the document verbatim; commas between JSON rows are added here.
        """
        where, params = self.where(query)
        _sort, order_by = self.order(query)
        selected = self.selected(query)
        if fmt == "json":
            pairs = ", ".join(f"'{spec['name']}', {column}" for column, spec in selected)
            expr = f"json_build_object({pairs})::text"
            head, separator, tail = b"[\n", b",\n", b"\n]\n"
        else:
            forest = ", ".join(f"{column} AS {_qn(spec['name'])}" for column, spec in selected)
            # a line break inside a value would make COPY quote the line: write it as a character reference
            expr = (f"replace(replace(xmlelement(name row, xmlforest({forest}))::text, E'\\n', '&#10;'), "
                    f"E'\\r', '&#13;')")
            head, separator, tail = b'<?xml version="1.0" encoding="UTF-8"?>\n<data>\n', b"\n", b"\n</data>\n"
        sql = (f"COPY (SELECT {expr} FROM {_qn(self.name)} WHERE {where} ORDER BY {order_by}"  # noqa: S608
               + (f" LIMIT {int(query.limit)}" if query.limit and 0 < query.limit < 10 ** 9 else "")
               + ") TO STDOUT (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')")
        yield head
        with connection.cursor() as cursor, cursor.cursor.copy(sql, params or None) as copy:
            buffer, size, first = [], 0, True
            for chunk in copy:
                data = bytes(chunk)
                if data.endswith(b"\n"):
                    data = data[:-1]
                for line in data.split(b"\n"):
                    if not first:
                        buffer.append(separator)
                    first = False
                    buffer.append(line)
                    size += len(line) + 2
                if size >= block:
                    yield b"".join(buffer)
                    buffer, size = [], 0
            buffer.append(tail)
            yield b"".join(buffer)

    def distinct_count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {_qn(self.name)}")  # noqa: S608
            return cursor.fetchone()[0]


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
