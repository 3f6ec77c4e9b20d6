"""Reading a datastore table: ``Query`` (what a reader asks), ``Page`` (what it gets back) and ``Table``, which
turns a query into parameterised SQL (filters, ``q``, sort in index order, keyset conditions), checks it up
front, and reads pages (with a cached total) or every matching row; the COPY exports come from ``CopyExports``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.utils.translation import gettext as _

from krai.opendata.datastore.base import QueryError, _db_value, _is_pg, _position, _qn, _reader, _text
from krai.opendata.datastore.copyout import CopyExports
from krai.opendata.datastore.cursors import decode_cursor, encode_cursor

TOTAL_CACHE_SECONDS = 60
OPERATORS = ("eq", "ne", "lt", "lte", "gt", "gte", "contains", "startswith", "in", "isnull")
_SQL_OPS = {"eq": "=", "ne": "<>", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


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


class Table(CopyExports):
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

    def distinct_count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {_qn(self.name)}")  # noqa: S608
            return cursor.fetchone()[0]
