"""Building a version's datastore table: create it with typed columns, load rows (COPY on PostgreSQL, batched
INSERTs on SQLite), index each field on ``(c<i>, _id)``, vacuum after the load, drop it, and see whether it
exists. All of it runs in the caller's transaction except ``vacuum``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from krai.opendata.datastore.base import _db_value, _is_pg, _qn, table_name

BATCH = 5000
MAX_INDEXED = 30
_PG_TYPES = {"string": "text", "integer": "bigint", "number": "double precision", "boolean": "boolean",
             "date": "date", "datetime": "timestamp"}
_SQLITE_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER",
                 "date": "TEXT", "datetime": "TEXT"}


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
