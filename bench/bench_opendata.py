"""Open-data datastore: load, filtered pages (exact total, keyset), full exports — against floors and a naive baseline.

    .venv/bin/python bench/bench_opendata.py [--rows 200000] [--queries 200] [--seed 1]
    KRAI_DATABASE_URL=postgres://postgres@127.0.0.1:5432/krai_opendata .venv/bin/python bench/bench_opendata.py

Builds one datastore table the way an upload does (``krai.opendata.datastore``: typed columns, an index
per field, COPY on PostgreSQL) with ``--rows`` rows; about 10 % have ``category = 'schools'`` (the
issue's 100,251 of 1,000,000). Without KRAI_DATABASE_URL it uses a fresh SQLite file under /tmp. Timed
in one process, one query at a time (queries per second on one core, no HTTP):

* page+total — ``category=schools``, 100 rows sorted by ``_id``, with the exact (uncached) count;
* page       — the same without the count;
* keyset     — 50 consecutive pages through the cursor, per page;
* offset     — the naive baseline: the page at OFFSET 50,000 (what offset pagination costs deep down);
* sorted     — ``category=schools`` sorted by ``-amount`` (an indexed column), first page;
* exports    — the whole table as CSV, JSON and XML the way the streamed downloads make them
  (``krai.opendata.export``; on PostgreSQL
  ``Table.copy_csv``/``copy_documents``, COPY of the typed table),
  against the floor: PostgreSQL ``COPY … TO STDOUT (FORMAT csv)`` of the same columns, or on
  SQLite a bare cursor loop writing CSV.

The table is dropped at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krai.settings")

FIELDS = [
    {"name": "name", "type": "string"}, {"name": "category", "type": "string"},
    {"name": "value", "type": "integer"}, {"name": "amount", "type": "number"},
    {"name": "day", "type": "date"}, {"name": "lat", "type": "number"}, {"name": "lon", "type": "number"},
]
CATEGORIES = ["schools"] + [f"category{i}" for i in range(9)]


def rows(n: int, seed: int):
    rng = random.Random(seed)
    start = dt.date(2020, 1, 1)
    for i in range(n):
        yield [f"Объект {i}", CATEGORIES[rng.randrange(10)], rng.randrange(1_000_000), round(rng.uniform(0, 1e6), 2),
               start + dt.timedelta(days=rng.randrange(2000)), round(rng.uniform(43.5, 46.5), 5),
               round(rng.uniform(37, 41.5), 5)]


def timed(func, repeat: int) -> float:
    """Seconds per call (best half's mean, so one hiccup of a shared machine does not decide)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    times.sort()
    best = times[: max(1, len(times) // 2)]
    return sum(best) / len(best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not os.environ.get("KRAI_DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="krai-bench-")) / "bench.sqlite3"
        os.environ["KRAI_DATABASE_URL"] = f"sqlite:///{path}"

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection, transaction

    from krai.opendata import datastore, export

    cache.clear()
    vendor = connection.vendor
    print(f"database: {vendor}; rows: {args.rows:,}")
    version_id = 900_000_000 + os.getpid() % 1000
    name = datastore.table_name(version_id)
    datastore.drop_table(name)
    started = time.perf_counter()
    with transaction.atomic():
        datastore.create_table(version_id, FIELDS)
        datastore.load_rows(name, FIELDS, rows(args.rows, args.seed))
        loaded = time.perf_counter() - started
        datastore.create_indexes(name, FIELDS)
    datastore.vacuum(name)  # what the upload does after its commit
    total_load = time.perf_counter() - started
    print(f"load: {args.rows / loaded:,.0f} rows/s ({loaded:.1f} s), with indexes {total_load:.1f} s")
    try:
        table = datastore.Table(name, FIELDS)
        schools = [("category", "eq", "schools")]
        n = args.queries

        def page(include_total: bool):
            cache.clear()  # the exact count, never the cached one
            return table.page(datastore.Query(filters=schools, limit=100), include_total=include_total)

        matching = page(True).total
        print(f"matching rows: {matching:,}")
        with_total = timed(lambda: page(True), max(5, n // 4))
        without = timed(lambda: page(False), n)

        def keyset_walk():
            cursor = ""
            for _ in range(50):
                result = table.page(datastore.Query(filters=schools, limit=100, cursor=cursor))
                cursor = result.next_cursor
        keyset = timed(keyset_walk, max(2, n // 50)) / 50
        deep = min(50_000, max(0, matching - 100))
        offset = timed(lambda: table.page(datastore.Query(filters=schools, limit=100, offset=deep)), max(5, n // 10))
        sorted_page = timed(lambda: table.page(datastore.Query(filters=schools, limit=100, sort=[("amount", True)])),
                            max(5, n // 4))
        print(f"page+total   {1 / with_total:8.0f} q/s  ({with_total * 1000:.2f} ms)")
        print(f"page         {1 / without:8.0f} q/s  ({without * 1000:.2f} ms)")
        print(f"keyset page  {1 / keyset:8.0f} q/s  ({keyset * 1000:.2f} ms per page, 50 pages deep)")
        print(f"offset {deep:,} {1 / offset:8.0f} q/s  ({offset * 1000:.2f} ms) — naive baseline; "
              f"keyset is {offset / keyset:.1f}× faster")
        print(f"sorted page  {1 / sorted_page:8.0f} q/s  ({sorted_page * 1000:.2f} ms)")

        def consume(parts) -> int:
            size = 0
            for block in export._blocks(parts):
                size += len(block)
            return size

        names = [f["name"] for f in FIELDS]
        results = {}
        for fmt, maker in (("csv", export.csv_parts), ("json", export.json_parts), ("xml", export.xml_parts)):
            started = time.perf_counter()
            if vendor == "postgresql":  # what export.stream serves there: COPY of the typed table
                blocks = (table.copy_csv(datastore.Query(limit=0)) if fmt == "csv"
                          else table.copy_documents(datastore.Query(limit=0), fmt))
                size = sum(len(block) for block in blocks)
            else:
                size = consume(maker(names, table.iterate(datastore.Query(limit=0))))
            results[fmt] = (time.perf_counter() - started, size)
        started = time.perf_counter()
        if vendor == "postgresql":
            floor_name = "COPY TO STDOUT (csv)"
            floor_size = 0
            columns = ", ".join(f"c{i}" for i in range(len(FIELDS)))
            sql = f"COPY (SELECT {columns} FROM {name} ORDER BY _id) TO STDOUT (FORMAT csv, HEADER)"  # noqa: S608
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for block in copy:
                    floor_size += len(block)
        else:
            import csv
            import io

            floor_name = "bare cursor loop + csv.writer"
            out = io.StringIO()
            writer = csv.writer(out)
            floor_size = 0
            with connection.cursor() as cursor:
                columns = ", ".join(f"c{i}" for i in range(len(FIELDS)))
                cursor.execute(f"SELECT {columns} FROM {name} ORDER BY _id")  # noqa: S608
                while chunk := cursor.fetchmany(5000):
                    writer.writerows(chunk)
                    floor_size += len(out.getvalue())
                    out.seek(0)
                    out.truncate()
        floor = time.perf_counter() - started
        print(f"floor: {floor_name}: {floor:.2f} s, {floor_size / 1e6:.0f} MB")
        for fmt, (seconds, size) in results.items():
            print(f"export {fmt:4} {seconds:6.2f} s  {size / 1e6:5.0f} MB  {args.rows / seconds:9,.0f} rows/s  "
                  f"{seconds / floor:.2f}× the floor")
    finally:
        datastore.drop_table(name)


if __name__ == "__main__":
    main()
