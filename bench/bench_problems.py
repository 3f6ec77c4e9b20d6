"""The problems map endpoint with N problems: bounding box + server-side clusters, p50/p95 against bare SQL.

    .venv/bin/python bench/bench_problems.py [--problems 100000] [--queries 60] [--keep]
    KRAI_DATABASE_URL=postgres://… .venv/bin/python bench/bench_problems.py --problems 1000000

Runs on the configured database engine, in a throw-away database beside the configured one (SQLite: a
temporary file; PostgreSQL: ``<name>_bench``), with only the tables the map reads. N problems are written
by ONE INSERT … SELECT, spread over the region's box (denser near a few "cities", 85 % published). Then
the same random viewports (a city block at zoom 16, a district at 12, the region at 8) are answered by:

* bare SQL  — the one aggregate (or point) query the map needs, straight through the cursor: the floor;
* Krai      — ``selectors.map_features`` (the ORM query, the cluster/point split, the JSON-ready dicts);
* naive     — every problem in the box fetched and clustered in Python (what a client-side-only map
              would need the server to send), on the first third of the viewports;
* cached    — ``map_features`` as the endpoint calls it: far out (zoom < 13) the box snaps to blocks of
              cells and the answer is cached a minute; timed twice (cold cache, then warm).

and prints p50/p95 per zoom and the ratios to the floor.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krai.settings")

BOX = (36.5, 43.4, 41.8, 46.9)  # west, south, east, north of the region
CITIES = [(38.975, 45.035), (39.72, 43.585), (37.77, 44.72), (41.125, 44.995), (37.32, 44.895)]

GENERATE = {
    "sqlite": """
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %(n)s)
INSERT INTO {table} (category_id, municipality_id, organisation_id, author_id, anonymous, reporter_name,
  reporter_email, source, lat, lon, address, description, public_description, status, moderation_reason,
  answer, answer_text, programme, rating_comment, endorsements_count, created_at, updated_at)
SELECT %(category)s, %(municipality)s, NULL, NULL, 0, '', '', 'portal',
  CASE WHEN r %% 3 = 0 THEN %(south)s + (r %% 100000) * %(dlat)s / 100000.0
       ELSE %(city_lat)s + ((r / 7) %% 2000 - 1000) / 4000.0 + (r %% 5) * 0.01 END,
  CASE WHEN r %% 3 = 0 THEN %(west)s + ((r / 100000) %% 100000) * %(dlon)s / 100000.0
       ELSE %(city_lon)s + ((r / 11) %% 2000 - 1000) / 3000.0 + (r %% 5) * 0.4 END,
  '', 'x', 'x', CASE WHEN r %% 20 < 3 THEN 'new' WHEN r %% 20 < 9 THEN 'fixed' ELSE 'routed' END,
  '', '', '', '', '', 0, %(now)s, %(now)s
FROM (SELECT n, (n * 48271) %% 2147483647 AS r FROM seq)
""",
    "postgresql": """
INSERT INTO {table} (category_id, municipality_id, organisation_id, author_id, anonymous, reporter_name,
  reporter_email, source, lat, lon, address, description, public_description, status, moderation_reason,
  answer, answer_text, programme, rating_comment, endorsements_count, created_at, updated_at)
SELECT %(category)s, %(municipality)s, NULL, NULL, false, '', '', 'portal',
  CASE WHEN r %% 3 = 0 THEN %(south)s + (r %% 100000) * %(dlat)s / 100000.0
       ELSE %(city_lat)s + ((r / 7) %% 2000 - 1000) / 4000.0 + (r %% 5) * 0.01 END,
  CASE WHEN r %% 3 = 0 THEN %(west)s + ((r / 100000) %% 100000) * %(dlon)s / 100000.0
       ELSE %(city_lon)s + ((r / 11) %% 2000 - 1000) / 3000.0 + (r %% 5) * 0.4 END,
  '', 'x', 'x', CASE WHEN r %% 20 < 3 THEN 'new' WHEN r %% 20 < 9 THEN 'fixed' ELSE 'routed' END,
  '', '', '', '', '', 0, %(now)s, %(now)s
FROM (SELECT n, (n * 48271) %% 2147483647 AS r FROM generate_series(1::bigint, %(n)s::bigint) AS n) g
""",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=60, help="viewports per zoom")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the benchmark database")
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    from django.db import connection

    test = settings.DATABASES["default"].setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test["NAME"] = str(Path(tempfile.gettempdir()) / "krai-bench-problems.sqlite3")
    else:
        test["NAME"] = f"{connection.settings_dict['NAME']}_bench"
    started = time.perf_counter()
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    test_name = creation._get_test_db_name()
    creation._create_test_db(verbosity=0, autoclobber=True, keepdb=args.keep)
    connection.close()
    settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = test_name
    create_tables()
    print(f"database: {connection.vendor} ({test_name}), ready in {time.perf_counter() - started:.1f} s")
    try:
        run(args)
    finally:
        creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)


def create_tables() -> None:
    """The problem table and what it refers to, straight from the models (no migrations of every area)."""
    from django.db import connection

    from krai.problems.models import Problem

    ordered: list = []

    def visit(model) -> None:
        if model in ordered:
            return
        ordered.append(model)
        for field in model._meta.get_fields(include_hidden=False):
            target = getattr(field, "related_model", None)
            if (field.many_to_one or field.one_to_one or field.many_to_many) and not field.auto_created \
                    and target is not None:
                visit(target)
                through = field.remote_field.through if field.many_to_many else None
                if through is not None and not through._meta.auto_created:
                    visit(through)

    visit(Problem)
    existing = set(connection.introspection.table_names())
    with connection.schema_editor() as editor:
        for model in ordered:
            if model._meta.db_table not in existing:
                editor.create_model(model)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[max(0, int(len(ordered) * 0.95) - 1)] * 1000


def run(args) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from krai.org.models import Municipality, Region
    from krai.problems import selectors
    from krai.problems.models import Category, Problem

    table = Problem._meta.db_table
    if Problem.objects.count() != args.problems:
        Problem.objects.all().delete()
        region = Region.objects.first() or Region.objects.create(name="Край")
        municipality = Municipality.objects.first() or Municipality.objects.create(
            region=region, code="bench", name="Муниципалитет", kind="urban_okrug")
        category = Category.objects.first() or Category.objects.create(code="pothole", name="Ямы")
        west, south, east, north = BOX
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA cache_size = -524288")
            for i, (lon, lat) in enumerate(CITIES):  # one statement per city keeps the SQL simple
                part = args.problems // len(CITIES) + (1 if i < args.problems % len(CITIES) else 0)
                cursor.execute(GENERATE[connection.vendor].format(table=table), {
                    "n": part, "category": category.pk, "municipality": municipality.pk, "south": south,
                    "west": west, "dlat": north - south, "dlon": east - west, "city_lat": lat, "city_lon": lon,
                    "now": connection.ops.adapt_datetimefield_value(timezone.now())})
        print(f"generated {args.problems:,} problems in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}" if connection.vendor == "postgresql" else "ANALYZE")

    published = tuple(Problem.PUBLISHED)
    marks = ", ".join(["%s"] * len(published))
    rng = random.Random(7)
    spans = {16: 0.012, 12: 0.2, 8: 3.2}  # degrees of longitude a 1280-pixel map shows at that zoom

    sample = list(Problem.objects.filter(status__in=published).order_by("?").values_list("lon", "lat")[:500])

    def viewports(zoom: int) -> list[tuple[float, float, float, float]]:
        """Views centred on problems (where people look), as wide as a 1280-pixel map at ``zoom``."""
        span = spans[zoom]
        return [(lon - span / 2, lat - span / 3, lon + span / 2, lat + span / 3)
                for lon, lat in (rng.choice(sample) for _ in range(args.queries))]

    def bare(bbox, zoom):
        west, south, east, north = bbox
        params = [*published, west, east, south, north]
        where = f"status IN ({marks}) AND duplicate_of_id IS NULL AND lon >= %s AND lon <= %s " \
                f"AND lat >= %s AND lat <= %s"
        with connection.cursor() as cursor:
            if zoom >= selectors.POINTS_FROM_ZOOM:
                cursor.execute(f"SELECT id, lat, lon, status FROM {table} WHERE {where} "  # noqa: S608
                               f"ORDER BY id DESC LIMIT {selectors.MAX_POINTS + 1}", params)
            else:
                size = selectors.cell_size(zoom)
                cursor.execute(f"SELECT FLOOR(lon / {size}), FLOOR(lat / {size}), COUNT(id), AVG(lat), "  # noqa: S608
                               f"AVG(lon), MIN(id) FROM {table} WHERE {where} GROUP BY 1, 2", params)
            return cursor.fetchall()

    def krai(bbox, zoom):
        return selectors.map_features(bbox=bbox, zoom=zoom, use_cache=False)

    def cached(bbox, zoom):
        return selectors.map_features(bbox=bbox, zoom=zoom)

    def naive(bbox, zoom):
        west, south, east, north = bbox
        rows = Problem.objects.filter(status__in=published, lon__gte=west, lon__lte=east, lat__gte=south,
                                      lat__lte=north).values_list("id", "lat", "lon")
        size = selectors.cell_size(zoom)
        cells: dict = {}
        for pk, lat, lon in rows:
            cells.setdefault((lon // size, lat // size), []).append((pk, lat, lon))
        return [(len(v), sum(p[1] for p in v) / len(v), sum(p[2] for p in v) / len(v)) for v in cells.values()]

    print(f"{'zoom':>4} {'way':<9} {'p50 ms':>8} {'p95 ms':>8} {'ratio p50':>10} {'items/view':>10}")
    for zoom in (16, 12, 8):
        boxes = viewports(zoom)
        floors = {}
        for name, func, share in (("bare SQL", bare, 1), ("Krai", krai, 1), ("naive", naive, 3),
                                  ("bare SQL", bare, 1),  # the floor again: the machine's drift shows
                                  ("cached", cached, 1), ("cached", cached, 1)):  # cold, then warm
            chosen = boxes[: max(3, len(boxes) // share)]
            func(chosen[0], zoom)  # warm the cache and the statement
            samples, items = [], 0
            for bbox in chosen:
                t0 = time.perf_counter()
                result = func(bbox, zoom)
                samples.append(time.perf_counter() - t0)
                items += len(result) if isinstance(result, list) else \
                    len(result.get("clusters", [])) + len(result["points"])
            items //= len(chosen)
            p50, p95 = percentiles(samples)
            floors.setdefault(zoom, p50)
            print(f"{zoom:>4} {name:<9} {p50:>8.2f} {p95:>8.2f} {p50 / floors[zoom]:>9.2f}× {items:>10}")


if __name__ == "__main__":
    main()
