"""Writing many rows in a fixed number of statements, for the few paths where a person's one action changes
thousands of rows (a programme's re-plan moves every assignment that follows).

``bulk_create`` and ``bulk_update`` spend their time preparing each value in Python and, on PostgreSQL, binding
tens of thousands of parameters on the client; ``Model.save`` per row costs a round trip or more per row. Here:

* SQLite — one prepared statement run per row by ``executemany`` (it stays inside the process);
* PostgreSQL — ``COPY`` into the table (insert), or into a temporary table that one ``UPDATE … FROM`` reads
  (update): the rows travel as one stream the server parses.

No model logic runs (no ``save``, no signals, no defaults): callers pass every column, and keep whatever the
model's ``save`` keeps themselves (the orders' pre-counted cells, events). ``COPY`` passes by Django's
``execute_wrapper`` (query logging, the audit tracer of the tests): a service that writes through here still
records its event through ``record_event``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.db import connection, models

#: rows per ``IN (…)`` look-up: below SQLite's bound on parameters; PostgreSQL takes one statement
CHUNK = {"sqlite": 900}
CHUNK_DEFAULT = 20_000


def chunks(values: Sequence, size: int | None = None) -> Iterator[Sequence]:
    """``values`` in slices one ``IN (…)`` look-up takes on this database."""
    size = size or CHUNK.get(connection.vendor, CHUNK_DEFAULT)
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _types(model: type[models.Model], names: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).db_type(connection) for name in names]


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> None:
    """INSERT ``rows`` (tuples in the order of ``columns``, by column name, e.g. ``assignment_id``)."""
    if not rows:
        return
    q = connection.ops.quote_name
    names = ", ".join(q(c) for c in columns)
    table = q(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608 — model names
            return
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def update_rows(model: type[models.Model], keys: Sequence[str], columns: Sequence[str], rows: list[tuple], *,
                add: bool = False) -> None:
    """Set (with ``add``: increase) ``columns`` of the rows matching ``keys``; each row is the keys, then the values."""
    if not rows:
        return
    q = connection.ops.quote_name
    table = q(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            sets = ", ".join(f"{q(c)} = {q(c)} + %s" if add else f"{q(c)} = %s" for c in columns)
            where = " AND ".join(f"{q(k)} = %s" for k in keys)
            cursor.executemany(f"UPDATE {table} SET {sets} WHERE {where}",  # noqa: S608 — model names
                               [(*r[len(keys):], *r[:len(keys)]) for r in rows])
            return
        every = (*keys, *columns)
        names = ", ".join(q(n) for n in every)
        sets = ", ".join(f"{q(c)} = t.{q(c)} + v.{q(c)}" if add else f"{q(c)} = v.{q(c)}" for c in columns)
        where = " AND ".join(f"t.{q(k)} = v.{q(k)}" for k in keys)
        shape = ", ".join(f"{q(n)} {kind}" for n, kind in zip(every, _types(model, every), strict=True))
        cursor.execute(f"CREATE TEMPORARY TABLE krai_bulk_update ({shape}) ON COMMIT DROP")
        with cursor.cursor.copy(f"COPY krai_bulk_update ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(f"UPDATE {table} AS t SET {sets} FROM krai_bulk_update AS v WHERE {where}")  # noqa: S608
        cursor.execute("DROP TABLE krai_bulk_update")
