"""PostgreSQL's streaming exports of a datastore table: the matching rows as CSV, a JSON array or an XML
document written by the database itself through ``COPY … TO STDOUT``, in blocks; mixed into ``Table``,
whose ``where``, ``order`` and ``selected`` build the query.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from django.db import connection

from krai.core import csvsafe
from krai.opendata.datastore.base import _qn

if TYPE_CHECKING:
    from krai.opendata.datastore.query import Query


class CopyExports:
    """``copy_csv`` and ``copy_documents`` of ``Table`` (PostgreSQL only)."""

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
