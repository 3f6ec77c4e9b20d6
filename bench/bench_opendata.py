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
  against the floor (run before and after the exports; the faster run counts): PostgreSQL
  ``COPY … TO STDOUT (FORMAT csv)`` of the same columns, or on
  SQLite a bare cursor loop writing CSV.

The table is dropped at the end.

Over HTTP (the issue's peers were measured that way), against a running Krai:

    .venv/bin/python bench/bench_opendata.py --publish --rows 200000     # a dataset 0000000000-benchrows
    .venv/bin/gunicorn krai.wsgi -w 2 -b 127.0.0.1:8137 &
    .venv/bin/python bench/bench_opendata.py --http http://127.0.0.1:8137 --connections 16 --seconds 10

    # Datasette beside it, same rows: --datasette-db /tmp/bench.db; datasette serve /tmp/bench.db -p 8138
    #   --setting suggest_facets off; then --http http://127.0.0.1:8138 --datasette

``--publish`` stores the rows as a real published dataset (through the upload's storing step) in the
configured database (migrated); ``--http`` drives ``/api/v1/opendata/datasets/<id>/rows/`` and the
CKAN ``datastore_search`` with keep-alive connections from threads and prints requests per second.
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
    parser.add_argument("--publish", action="store_true", help="store the rows as dataset 0000000000-benchrows")
    parser.add_argument("--http", default="", help="base URL of a running Krai to drive over HTTP")
    parser.add_argument("--datasette", action="store_true", help="--http points at Datasette, not Krai")
    parser.add_argument("--datasette-db", default="", help="write the rows to this SQLite file for Datasette")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    if args.http:
        return drive_http(args)
    if args.datasette_db:
        return datasette_db(args)
    if not os.environ.get("KRAI_DATABASE_URL"):
        path = Path(tempfile.mkdtemp(prefix="krai-bench-")) / "bench.sqlite3"
        os.environ["KRAI_DATABASE_URL"] = f"sqlite:///{path}"

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection, transaction

    from krai.opendata import datastore, export

    if args.publish:
        return publish(args)
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

        def floor_run() -> tuple[str, float, int]:
            started = time.perf_counter()
            columns = ", ".join(f"c{i}" for i in range(len(FIELDS)))
            if vendor == "postgresql":
                size = 0
                sql = f"COPY (SELECT {columns} FROM {name} ORDER BY _id) TO STDOUT (FORMAT csv, HEADER)"  # noqa: S608
                with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                    for block in copy:
                        size += len(block)
                return "COPY TO STDOUT (csv)", time.perf_counter() - started, size
            import csv
            import io

            out = io.StringIO()
            writer = csv.writer(out)
            size = 0
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {columns} FROM {name} ORDER BY _id")  # noqa: S608
                while chunk := cursor.fetchmany(5000):
                    writer.writerows(chunk)
                    size += len(out.getvalue())
                    out.seek(0)
                    out.truncate()
            return "bare cursor loop + csv.writer", time.perf_counter() - started, size

        # the floor runs right before and right after the exports and the faster run counts, so a shared
        # machine's load drifting during the exports does not flatter (or wrong) the ratio
        floor_name, floor_before, floor_size = floor_run()
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
        _name, floor_after, _size = floor_run()
        floor = min(floor_before, floor_after)
        print(f"floor runs: {floor_before:.2f} s before the exports, {floor_after:.2f} s after")
        print(f"floor: {floor_name}: {floor:.2f} s, {floor_size / 1e6:.0f} MB")
        for fmt, (seconds, size) in results.items():
            print(f"export {fmt:4} {seconds:6.2f} s  {size / 1e6:5.0f} MB  {args.rows / seconds:9,.0f} rows/s  "
                  f"{seconds / floor:.2f}× the floor")
    finally:
        datastore.drop_table(name)


IDENTIFIER = "0000000000-benchrows"


def publish(args) -> None:
    """Store the generated rows as a published dataset (replacing an earlier bench dataset)."""
    from django.db import transaction

    from krai.opendata import services
    from krai.opendata.models import Dataset
    from krai.org.models import Organisation

    owner = Organisation.objects.order_by("pk").first()
    if owner is None:
        owner = Organisation.objects.create(code="bench-owner", name="Bench owner", kind="department")
    with transaction.atomic():
        dataset, _created = Dataset.objects.update_or_create(
            identifier=IDENTIFIER, defaults={"title": "Bench rows", "owner": owner, "status": "published",
                                             "structure": {"fields": FIELDS}})
    started = time.perf_counter()
    with transaction.atomic():
        version = services._store_version(actor=None, dataset=dataset, rows=rows(args.rows, args.seed),
                                          content=b"", source_format="csv", source_name="", encoding="",
                                          checksum="", provenance="bench", valid=None)
    print(f"published {IDENTIFIER}: {version.row_count:,} rows in {time.perf_counter() - started:.1f} s")


def datasette_db(args) -> None:
    """The same rows in a plain SQLite table ``rows`` with an index on ``category``, for ``datasette``."""
    import sqlite3

    db = sqlite3.connect(args.datasette_db)
    db.execute("DROP TABLE IF EXISTS rows")
    db.execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, name TEXT, category TEXT, value INTEGER, amount REAL, "
               "day TEXT, lat REAL, lon REAL)")
    db.executemany("INSERT INTO rows (name, category, value, amount, day, lat, lon) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   ([r[0], r[1], r[2], r[3], r[4].isoformat(), r[5], r[6]] for r in rows(args.rows, args.seed)))
    db.execute("CREATE INDEX rows_category ON rows (category)")
    db.commit()
    print(f"wrote {args.rows:,} rows to {args.datasette_db}")


def drive_http(args) -> None:
    """Requests per second of the data API and CKAN's datastore_search over keep-alive connections."""
    import http.client
    import json
    import threading
    from urllib.parse import urlsplit

    base = urlsplit(args.http)
    api = f"/api/v1/opendata/datasets/{IDENTIFIER}/rows/?category=schools&limit=100"
    ckan = f"/api/3/action/datastore_search?resource_id={IDENTIFIER}&filters=%7B%22category%22%3A%22schools%22%7D"
    cases = [("v1 page+total", api + "&total=1"), ("v1 page", api),
             ("ckan datastore_search (total)", ckan + "&limit=100"),
             ("ckan datastore_search (no total)", ckan + "&limit=100&include_total=false")]
    if args.datasette:
        # the same rows served by Datasette from a plain SQLite table ``rows`` (see --datasette-db)
        table = "/bench/rows.json?category=schools&_size=100&_shape=objects"
        cases = [("datasette with count", table), ("datasette _nocount", table + "&_nocount=1")]
        api = table + "&_nocount=1"
    for label, path in cases:
        stop = time.perf_counter() + args.seconds
        counts, errors = [0] * args.connections, [0] * args.connections

        def worker(i: int, path=path, stop=stop, counts=counts, errors=errors) -> None:
            conn = http.client.HTTPConnection(base.hostname, base.port or 80, timeout=30)
            while time.perf_counter() < stop:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    counts[i] += 1
                else:
                    errors[i] += 1
            conn.close()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.connections)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        print(f"{label:34} {sum(counts) / elapsed:7.1f} req/s  ({args.connections} connections, "
              f"{sum(errors)} errors)")
    # the keyset walk: follow next_cursor for 50 pages, one connection
    conn = http.client.HTTPConnection(base.hostname, base.port or 80, timeout=30)
    path, pages, started = api, 0, time.perf_counter()

    while path and pages < 50:
        conn.request("GET", path)
        body = json.loads(conn.getresponse().read())
        pages += 1
        nxt = body.get("next_url") if args.datasette else body.get("next")
        path = urlsplit(nxt).path + "?" + urlsplit(nxt).query if nxt else ""
    print(f"{'v1 keyset walk (1 connection)':34} {pages / (time.perf_counter() - started):7.1f} pages/s")


if __name__ == "__main__":
    main()
