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
THEMES = 20  # leaf themes, four under each of five groups
DAYS = 730  # problems created over the last two years
CITIES = [(38.975, 45.035), (39.72, 43.585), (37.77, 44.72), (41.125, 44.995), (37.32, 44.895)]

GENERATE = {
    "sqlite": """
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %(n)s)
INSERT INTO {table} (category_id, municipality_id, organisation_id, author_id, anonymous, reporter_name,
  reporter_email, source, lat, lon, address, description, public_description, status, moderation_reason,
  answer, answer_text, programme, rating_comment, endorsements_count, cycle, ratings_count, ratings_total,
  created_at, updated_at)
SELECT %(category)s + (r / 13) %% %(themes)s, %(municipality)s, NULL, NULL, 0, '', '', 'portal',
  CASE WHEN r %% 3 = 0 THEN %(south)s + (r %% 100000) * %(dlat)s / 100000.0
       ELSE %(city_lat)s + ((r / 7) %% 2000 - 1000) / 4000.0 + (r %% 5) * 0.01 END,
  CASE WHEN r %% 3 = 0 THEN %(west)s + ((r / 100000) %% 100000) * %(dlon)s / 100000.0
       ELSE %(city_lon)s + ((r / 11) %% 2000 - 1000) / 3000.0 + (r %% 5) * 0.4 END,
  '', 'x', 'x', CASE WHEN r %% 20 < 3 THEN 'new' WHEN r %% 20 < 9 THEN 'fixed' WHEN r %% 20 < 12 THEN 'in_work'
  WHEN r %% 20 < 13 THEN 'closed' ELSE 'routed' END,
  '', '', '', '', '', 0, 1, 0, 0,
  strftime('%%Y-%%m-%%d %%H:%%M:%%f', %(now)s, '-' || ((r / 17) %% %(days)s) || ' days',
           '-' || (r %% 86400) || ' seconds'),
  %(now)s
FROM (SELECT n, (n * 48271) %% 2147483647 AS r FROM seq)
""",
    "postgresql": """
INSERT INTO {table} (category_id, municipality_id, organisation_id, author_id, anonymous, reporter_name,
  reporter_email, source, lat, lon, address, description, public_description, status, moderation_reason,
  answer, answer_text, programme, rating_comment, endorsements_count, cycle, ratings_count, ratings_total,
  created_at, updated_at)
SELECT %(category)s + (r / 13) %% %(themes)s, %(municipality)s, NULL, NULL, false, '', '', 'portal',
  CASE WHEN r %% 3 = 0 THEN %(south)s + (r %% 100000) * %(dlat)s / 100000.0
       ELSE %(city_lat)s + ((r / 7) %% 2000 - 1000) / 4000.0 + (r %% 5) * 0.01 END,
  CASE WHEN r %% 3 = 0 THEN %(west)s + ((r / 100000) %% 100000) * %(dlon)s / 100000.0
       ELSE %(city_lon)s + ((r / 11) %% 2000 - 1000) / 3000.0 + (r %% 5) * 0.4 END,
  '', 'x', 'x', CASE WHEN r %% 20 < 3 THEN 'new' WHEN r %% 20 < 9 THEN 'fixed' WHEN r %% 20 < 12 THEN 'in_work'
  WHEN r %% 20 < 13 THEN 'closed' ELSE 'routed' END,
  '', '', '', '', '', 0, 1, 0, 0,
  %(now)s::timestamptz - ((r / 17) %% %(days)s) * interval '1 day' - (r %% 86400) * interval '1 second', %(now)s
FROM (SELECT n, (n * 48271) %% 2147483647 AS r FROM generate_series(1::bigint, %(n)s::bigint) AS n) g
""",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=60, help="viewports per zoom")
    parser.add_argument("--submits", type=int, default=300, help="reports sent through each submit path")
    parser.add_argument("--skip-map", action="store_true", help="time only the submit path")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the benchmark database")
    parser.add_argument("--filtered-only", action="store_true",
                        help="time only the filtered map views (theme, status, dates; the buckets against live)")
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

    from krai.core.events.models import Event
    from krai.problems.models import MapBucket, MapCell, Problem, ProblemUpdate

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

    for model in (Problem, ProblemUpdate, MapCell, MapBucket, Event):
        visit(model)
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
    from django.db.models import Count
    from django.utils import timezone

    from krai.org.models import Municipality, Region
    from krai.problems import buckets, grid, selectors
    from krai.problems.models import Category, MapBucket, MapCell, Problem

    table = Problem._meta.db_table
    if Problem.objects.filter(description="x").count() != args.problems \
            or Category.objects.filter(parent__isnull=False).count() != THEMES:
        Problem.objects.all().delete()
        region = Region.objects.first() or Region.objects.create(name="Край")
        municipality = Municipality.objects.first() or Municipality.objects.create(
            region=region, code="bench", name="Муниципалитет", kind="urban_okrug")
        Category.objects.all().delete()
        parents = [Category.objects.create(code=f"group{g}", name=f"Группа {g}") for g in range(THEMES // 4)]
        leaves = Category.objects.bulk_create([Category(code=f"theme{i}", name=f"Тема {i}", parent=parents[i // 4])
                                               for i in range(THEMES)])
        category = min(leaves, key=lambda c: c.pk)
        assert sorted(c.pk for c in leaves) == list(range(category.pk, category.pk + THEMES)), "ids in a row"
        category = Category.objects.get(pk=category.pk)
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
                    "themes": THEMES, "days": DAYS,
                    "now": connection.ops.adapt_datetimefield_value(timezone.now())})
        print(f"generated {args.problems:,} problems in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with transaction.atomic():
        cells = grid.rebuild()
    print(f"map grid rebuilt from {args.problems:,} problems: {cells:,} cells in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    with transaction.atomic():
        rows = buckets.rebuild()
    levels = dict(MapBucket.objects.values_list("level").annotate(rows=Count("level")).order_by())
    print(f"filtered map buckets rebuilt: {rows:,} rows in {time.perf_counter() - started:.1f} s; per level "
          f"(1 theme, 2 status, 4 day): " + ", ".join(f"{k}: {v:,}" for k, v in sorted(levels.items())))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else f"ANALYZE {table}")
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {MapCell._meta.db_table}")
            cursor.execute(f"ANALYZE {MapBucket._meta.db_table}")

    published = tuple(Problem.PUBLISHED)
    marks = ", ".join(["%s"] * len(published))
    rng = random.Random(7)
    spans = {16: 0.012, 12: 0.2, 8: 3.2}  # degrees of longitude a 1280-pixel map shows at that zoom
    region = (BOX[0] - 0.1, BOX[1] - 0.1, BOX[2] + 0.1, BOX[3] + 0.1)  # zoom 7: the whole region

    sample = list(Problem.objects.filter(status__in=published).order_by("?").values_list("lon", "lat")[:500])

    def viewports(zoom: int) -> list[tuple[float, float, float, float]]:
        """Views centred on problems (where people look), as wide as a 1280-pixel map at ``zoom``."""
        if zoom not in spans:  # the whole region, a little moved each time (a different box, the same view)
            return [(region[0] + d, region[1] + d, region[2] + d, region[3] + d)
                    for d in (rng.uniform(-0.05, 0.05) for _ in range(max(10, args.queries // 3)))]
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

    def grid_bare(bbox, zoom):
        west, south, east, north = bbox
        size, factor = selectors.cell_size(grid.GRID_ZOOM), 2 ** (grid.GRID_ZOOM - zoom)
        with connection.cursor() as cursor:  # the same integer floor division as the grid's own query
            cursor.execute(f"SELECT (gx - ((gx %% {factor}) + {factor}) %% {factor}) / {factor}, "  # noqa: S608
                           f"(gy - ((gy %% {factor}) + {factor}) %% {factor}) / {factor}, SUM(n), "
                           f"SUM(sum_lat) / SUM(n), SUM(sum_lon) / SUM(n), MIN(min_id) "
                           f"FROM {MapCell._meta.db_table} WHERE gx >= %s AND gx <= %s AND gy >= %s AND gy <= %s "
                           f"GROUP BY 1, 2",
                           [int(west // size), int(east // size), int(south // size), int(north // size)])
            return cursor.fetchall()

    def live(bbox, zoom):
        return selectors.map_features(bbox=bbox, zoom=zoom, use_cache=False, use_grid=False)

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

    if args.filtered_only:
        filtered(args, viewports)
        return
    if args.skip_map:
        submit(args, category=Category.objects.filter(parent__isnull=False).first(),
               municipality_id=Municipality.objects.first().pk)
        return
    print(f"{'zoom':>4} {'way':<10} {'p50 ms':>8} {'p95 ms':>8} {'ratio p50':>10} {'items/view':>10}")
    for zoom in (16, 12, 8, 7):
        boxes = viewports(zoom)
        floors: dict = {}
        ways = [("bare SQL", bare, 1), ("Krai live", live, 1)]
        if zoom <= grid.GRID_ZOOM:
            ways += [("grid SQL", grid_bare, 1), ("Krai grid", krai, 1)]
        ways += [("naive", naive, 3 if zoom > 8 else len(boxes) // 3),
                 ("bare SQL", bare, 1),  # the floor again: the machine's drift shows
                 ("cached", cached, 1), ("cached", cached, 1)]  # cold, then warm
        for name, func, share in ways:
            chosen = boxes[: max(3, len(boxes) // share)]
            func(chosen[0], zoom)  # warm the statement (and, for "cached", one entry: cold means the rest)
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
            print(f"{zoom:>4} {name:<10} {p50:>8.2f} {p95:>8.2f} {p50 / floors[zoom]:>9.2f}× {items:>10}")
    filtered(args, viewports)
    if args.submits:
        submit(args, category=Category.objects.filter(parent__isnull=False).first(),
               municipality_id=Municipality.objects.first().pk)


def filtered(args, viewports) -> None:
    """Filtered far-out views (a theme, a status, dates, all three) at zooms 12, 8 and 7, four ways:

    * live SQL  — the one live aggregate with the filters, through the cursor (dates as a range of instants:
                  the best the live query can do); the floor of the live path;
    * Krai live — ``map_features`` counting the problems (as filtered views worked before the buckets);
    * grid SQL  — the one query over the buckets' level of exactly those filters; the floor of the new path;
    * Krai grid — ``map_features`` as it answers a filtered far-out view now (no cache).
    """
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from krai.problems import buckets, selectors
    from krai.problems.models import Category, Problem

    table = Problem._meta.db_table
    today = timezone.localdate()
    group = Category.objects.filter(parent__isnull=True).order_by("pk").first()
    theme = Category.objects.filter(parent=group).order_by("pk").first()
    views = {
        "theme": selectors.Filters(category=theme),
        "group": selectors.Filters(category=group),
        "open": selectors.Filters(status="open"),
        "30 days": selectors.Filters(date_from=today - dt.timedelta(days=29), date_to=today),
        "a year": selectors.Filters(date_from=today - dt.timedelta(days=400), date_to=today - dt.timedelta(days=36)),
        "all 3": selectors.Filters(category=group, status="open", date_from=today - dt.timedelta(days=89)),
    }

    def where(filters):
        """The live filters as plain SQL (the dates as instants, so an index could serve them)."""
        statuses = [s for s in selectors.STATUS_GROUPS.get(filters.status, (filters.status,) if filters.status
                                                             else Problem.PUBLISHED) if s in Problem.PUBLISHED]
        sql, params = [f"status IN ({', '.join(['%s'] * len(statuses))})", "duplicate_of_id IS NULL"], statuses
        if filters.category:
            ids = selectors._category_ids(filters.category)
            sql.append(f"category_id IN ({', '.join(['%s'] * len(ids))})")
            params += ids
        zone = timezone.get_default_timezone()
        if filters.date_from:
            sql.append("created_at >= %s")
            params.append(dt.datetime.combine(filters.date_from, dt.time(), zone))
        if filters.date_to:
            sql.append("created_at < %s")
            params.append(dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time(), zone))
        return " AND ".join(sql), params

    def live_sql(bbox, zoom, filters):
        west, south, east, north = bbox
        sql, params = where(filters)
        size = selectors.cell_size(zoom)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT FLOOR(lon / {size}), FLOOR(lat / {size}), COUNT(id), AVG(lat), "  # noqa: S608
                           f"AVG(lon), MIN(id) FROM {table} WHERE {sql} AND lon >= %s AND lon <= %s AND lat >= %s "
                           f"AND lat <= %s GROUP BY 1, 2", [*params, west, east, south, north])
            return cursor.fetchall()

    def grid_sql(bbox, zoom, filters):  # the buckets' own query (its choice of rows), through the cursor
        sql, params = buckets.query(
            bbox=bbox, zoom=zoom, category_ids=selectors._category_ids(filters.category),
            statuses=list(selectors.STATUS_GROUPS.get(filters.status, (filters.status,) if filters.status else ())),
            date_from=filters.date_from, date_to=filters.date_to)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def live(bbox, zoom, filters):
        return selectors.map_features(bbox=bbox, zoom=zoom, filters=filters, use_cache=False, use_grid=False)

    def krai(bbox, zoom, filters):
        return selectors.map_features(bbox=bbox, zoom=zoom, filters=filters, use_cache=False)

    print("\nfiltered views (p50 / p95 ms; ratio of p50 to the live SQL floor)")
    print(f"{'zoom':>4} {'filter':<8} {'way':<10} {'p50 ms':>8} {'p95 ms':>8} {'ratio p50':>10} {'items/view':>10}")
    for zoom in (12, 8, 7):
        boxes = viewports(zoom)
        for label, filters in views.items():
            floor = None
            for name, func in (("live SQL", live_sql), ("Krai live", live), ("grid SQL", grid_sql),
                               ("Krai grid", krai)):
                chosen = boxes if "grid" in name else boxes[: max(5, len(boxes) // 2)]  # live is slow: half
                func(chosen[0], zoom, filters)
                samples, items = [], 0
                for bbox in chosen:
                    t0 = time.perf_counter()
                    result = func(bbox, zoom, filters)
                    samples.append(time.perf_counter() - t0)
                    items += len(result) if isinstance(result, list) else \
                        len(result.get("clusters", [])) + len(result["points"])
                p50, p95 = percentiles(samples)
                floor = floor or p50
                print(f"{zoom:>4} {label:<8} {name:<10} {p50:>8.2f} {p95:>8.2f} {p50 / floor:>9.2f}× "
                      f"{items // len(chosen):>10}", flush=True)
    moves(args)


def moves(args) -> None:
    """What keeping the buckets costs a writer: a published problem's status changed (``buckets.move``: eight
    levels' deltas netted, four rows upserted in one statement, empty ones deleted) against the one-row
    upsert that keeps the unfiltered grid (``grid.add``), each in its own transaction; all rolled back."""
    from django.db import transaction

    from krai.problems import buckets, grid
    from krai.problems.models import Problem

    sample = list(Problem.objects.filter(status=Problem.Status.ROUTED, duplicate_of__isnull=True)
                  .order_by("?")[: max(50, args.queries * 10)])
    print(f"\nkeeping the buckets: {len(sample)} status changes (routed → in work), rolled back")
    print(f"{'way':<22} {'p50 ms':>8} {'p95 ms':>8} {'ratio p50':>10}")
    floor = None
    for name, func in (("grid.add (one row)", lambda p: grid.add(p)),
                       ("buckets.move", lambda p: buckets.move(buckets.key_of(p), (*buckets.key_of(p)[:4],
                                                               Problem.Status.IN_WORK, buckets.key_of(p)[5]), p))):
        samples = []
        for problem in sample:
            with transaction.atomic():
                t0 = time.perf_counter()
                func(problem)
                samples.append(time.perf_counter() - t0)
                transaction.set_rollback(True)
        p50, p95 = percentiles(samples)
        floor = floor or p50
        print(f"{name:<22} {p50:>8.2f} {p95:>8.2f} {p50 / floor:>9.2f}×", flush=True)


def submit(args, *, category, municipality_id) -> None:
    """The submit path: ``services.problem_report`` (checks, rate limit, locating the point by boundary,
    masking, the row, the history row, the event) against the three INSERTs it ends in, in one transaction.

    Delivery of the event to subscribers is the worker's job, after the response: switched off here.
    """
    from django.conf import settings
    from django.db import connection, transaction
    from django.utils import timezone

    from krai.core.events import dispatch
    from krai.org.models import Municipality
    from krai.org.tests.factories import square
    from krai.problems import services
    from krai.problems.models import Problem, ProblemUpdate

    dispatch._enqueue = lambda: None
    settings.KRAI_PROBLEMS_PER_HOUR = 10**6  # the check runs (and costs) the same; the limit is not the subject
    west, south, east, north = BOX
    municipality = Municipality.objects.get(pk=municipality_id)
    municipality.boundary = square(west, south, max(east - west, north - south))
    municipality.save()
    user_model = __import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model()
    people = [user_model.objects.filter(email=f"bench{i}@bench.krai").first() or user_model.objects.create_user(
        email=f"bench{i}@bench.krai", password=None, email_confirmed=True) for i in range(50)]
    rng = random.Random(11)
    count = max(50, args.submits)
    points = [(rng.uniform(west + 0.2, east - 0.2), rng.uniform(south + 0.2, north - 0.2)) for _ in range(count)]
    table, updates, events = Problem._meta.db_table, ProblemUpdate._meta.db_table, "events_event"

    def service(i, lon, lat):
        services.problem_report(actor=people[i % len(people)], category=category, lat=lat, lon=lon,
                                description=f"Яма на дороге у дома {i}, глубокая, звоните +7 900 123-45-67")

    now = connection.ops.adapt_datetimefield_value(timezone.now())

    @transaction.atomic
    def bare(i, lon, lat):
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (category_id, municipality_id, author_id, anonymous, reporter_name, "  # noqa: S608
                "reporter_email, source, lat, lon, address, description, public_description, status, "
                "moderation_reason, answer, answer_text, programme, rating_comment, endorsements_count, cycle, "
                "ratings_count, ratings_total, created_at, updated_at) VALUES (%s, %s, %s, %s, '', '', 'portal', "
                "%s, %s, '', %s, %s, 'new', '', '', '', '', '', 0, 1, 0, 0, %s, %s) RETURNING id",
                [category.pk, municipality_id, people[i % len(people)].pk, False, lat, lon, "x" * 60, "x" * 60,
                 now, now])
            pk = cursor.fetchone()[0]
            cursor.execute(f"INSERT INTO {updates} (problem_id, kind, status, text, is_public, created_at) "  # noqa: S608
                           "VALUES (%s, 'reported', 'new', '', %s, %s)", [pk, True, now])
            cursor.execute(f"INSERT INTO {events} (kind, subject_id, payload, request_id, occurred_at) "  # noqa: S608
                           "VALUES ('problems.reported', %s, %s, '', %s)", [str(pk), '{"status": "new"}', now])

    print(f"\nsubmit, {count} reports each way ({Problem.objects.count():,} problems in the table)")
    print(f"{'way':<10} {'p50 ms':>8} {'p95 ms':>8} {'per s':>8} {'ratio p50':>10}")
    floor = None
    for name, func in (("bare SQL", bare), ("Krai", service), ("bare SQL", bare)):
        func(0, *points[0])
        samples = []
        for i, (lon, lat) in enumerate(points):
            t0 = time.perf_counter()
            func(i, lon, lat)
            samples.append(time.perf_counter() - t0)
        p50, p95 = percentiles(samples)
        floor = floor or p50
        print(f"{name:<10} {p50:>8.2f} {p95:>8.2f} {len(samples) / sum(samples):>8.0f} {p50 / floor:>9.2f}×")


if __name__ == "__main__":
    main()
