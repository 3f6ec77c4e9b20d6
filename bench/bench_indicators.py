"""Target indicators: a block's deviation table — now (the latest-actual table) and as of a past day (the
history) — p50/p95 against the bare SQL floor, in one run, on PostgreSQL.

    KRAI_DATABASE_URL=postgres://postgres@127.0.0.1:5432/krai_indicators_bench \
        .venv/bin/python bench/bench_indicators.py [--indicators 5000] [--municipalities 44] [--months 60] \
        [--repeat 20] [--fresh]

The database named by KRAI_DATABASE_URL (its name must contain "bench") is created when missing and migrated;
the data is generated only when the database does not hold this scale yet (``--fresh`` regenerates), with
``INSERT … SELECT … generate_series`` and the history table's indexes dropped during the load and rebuilt after:

* 8 blocks, 93 bodies (the region's departments, spread over the blocks), 44 municipalities;
* ``--indicators`` indicators owned by the bodies in turn (a block holds about 1/8 of them), half cumulative
  with an annual plan, half levels with a monthly plan; one plan version each valid from the first year, and a
  second version from the last year's July for every tenth;
* plans for every year: the region's annual plan (and 12 monthly plans for the monthly ones), and an annual plan
  per municipality;
* one report per body and month over ``--months`` months, due on the 10th of the next month;
* actual values for every indicator × (each municipality + the region's total) × month:
  5,000 × 45 × 60 = 13.5 M rows at full scale (13.2 M of them by municipality);
* the latest-actual table (indicator × place), as the submitting transaction keeps it.

Timed, ``--repeat`` times after one warm-up, for a vice-governor whose scope is one block:

* ``krai now`` — ``selectors.deviation_table(user=vice, block=…)``: the indicators, their latest actual, the
  plan version valid today and its plan values, the deviation and colour of each row in Python;
* ``floor now`` — one SQL statement returning the same rows' inputs (latest actual + current plan values) for
  the block, fetched whole;
* ``krai as of`` / ``floor as of`` — the same as of a day 18 months before the last period: the last period
  submitted by then per indicator from the history (DISTINCT ON through the (indicator, municipality, year,
  month) index) and the plan version valid then.

Absolute times depend on the machine (a shared 2-core box here); the ratio krai/floor is the figure to watch.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krai.settings")

BODIES = 93
BLOCKS = 8
FIRST_YEAR = 2022


def _ensure_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"refusing to use {name!r}: the benchmark's database name must contain 'bench'")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _generate(cursor, *, indicators: int, municipalities: int, months: int) -> None:
    years = (months + 11) // 12
    print(f"generating {indicators} indicators × ({municipalities} municipalities + total) × {months} months …")
    started = time.perf_counter()
    for table in ("indicators_latestactual", "indicators_actualvalue", "indicators_planvalue",
                  "indicators_planversion", "indicators_report", "indicators_indicator", "org_roleassignment",
                  "org_organisation", "org_block", "org_municipality", "org_region"):
        cursor.execute(f"TRUNCATE {table} RESTART IDENTITY CASCADE")
    cursor.execute("INSERT INTO org_region (name, name_en, population, created_at, updated_at) "
                   "VALUES ('Регион', 'Region', 5800000, now(), now())")
    cursor.execute("""INSERT INTO org_municipality (region_id, code, name, name_en, kind, admin_centre, population,
                      is_active, created_at, updated_at)
                      SELECT 1, 'm' || g, 'Муниципалитет ' || g, '', 'municipal_district', '', 100000, true,
                             now(), now()
                      FROM generate_series(1, %s) g""", [municipalities])
    cursor.execute("""INSERT INTO org_block (code, name, name_en, sort_order, is_active, created_at, updated_at)
                      SELECT 'b' || g, 'Блок ' || g, '', g, true, now(), now() FROM generate_series(1, %s) g""",
                   [BLOCKS])
    cursor.execute("""INSERT INTO org_organisation (code, name, short_name, name_en, kind, block_id, inn, email, phone,
                      website, path, depth, is_active, created_at, updated_at)
                      SELECT 'o' || g, 'Орган ' || g, '', '', 'department', (g - 1) %% %s + 1, '', '', '', '',
                             lpad(g::text, 6, '0') || '.', 0, true, now(), now()
                      FROM generate_series(1, %s) g""", [BLOCKS, BODIES])
    cursor.execute("""INSERT INTO indicators_indicator (code, name, name_en, unit, direction, kind, plan_basis,
                      frequency, methodology, owner_organisation_id, national_project, programme, warn_pct,
                      critical_pct, is_active, created_at, updated_at)
                      SELECT 'i' || g, 'Показатель ' || g, '', 'ед.', CASE WHEN g %% 7 = 0 THEN 'down' ELSE 'up' END,
                             CASE WHEN g %% 2 = 0 THEN 'cumulative' ELSE 'level' END,
                             CASE WHEN g %% 2 = 0 THEN 'annual' ELSE 'monthly' END, 'monthly', '',
                             (g - 1) %% %s + 1, 'Проект ' || (g %% 5), '', 5, 15, true, now(), now()
                      FROM generate_series(1, %s) g""", [BODIES, indicators])
    cursor.execute("""INSERT INTO indicators_planversion (indicator_id, number, act, valid_from, created_at,
                      updated_at) SELECT id, 1, 'Акт 1', %s, now(), now() FROM indicators_indicator""",
                   [date(FIRST_YEAR, 1, 1)])
    cursor.execute("""INSERT INTO indicators_planversion (indicator_id, number, act, valid_from, created_at,
                      updated_at) SELECT id, 2, 'Акт 2', %s, now(), now() FROM indicators_indicator
                      WHERE id %% 10 = 0""",
                   [date(FIRST_YEAR + years - 1, 7, 1)])
    # the region's annual plan, 12 monthly plans for the monthly-basis ones, an annual plan per municipality
    cursor.execute("""INSERT INTO indicators_planvalue (version_id, municipality_id, year, month, value)
                      SELECT v.id, NULL, y, m, CASE WHEN m = 0 THEN 1200 ELSE 100 END * (1 + v.number * 0.1)
                      FROM indicators_planversion v JOIN indicators_indicator i ON i.id = v.indicator_id
                      CROSS JOIN generate_series(%s, %s) y CROSS JOIN generate_series(0, 12) m
                      WHERE m = 0 OR i.plan_basis = 'monthly'""", [FIRST_YEAR, FIRST_YEAR + years - 1])
    cursor.execute("""INSERT INTO indicators_planvalue (version_id, municipality_id, year, month, value)
                      SELECT v.id, mu.id, y, 0, 30 FROM indicators_planversion v CROSS JOIN org_municipality mu
                      CROSS JOIN generate_series(%s, %s) y""", [FIRST_YEAR, FIRST_YEAR + years - 1])
    cursor.execute("""INSERT INTO indicators_report (organisation_id, year, month, due_on, status, submitted_on,
                      assignment_id, created_at, updated_at)
                      SELECT o.id, %s + (p / 12), p %% 12 + 1,
                             make_date(%s + ((p + 1) / 12), (p + 1) %% 12 + 1, 10), 'submitted',
                             make_date(%s + ((p + 1) / 12), (p + 1) %% 12 + 1, 8), NULL, now(), now()
                      FROM org_organisation o CROSS JOIN generate_series(0, %s - 1) p""",
                   [FIRST_YEAR, FIRST_YEAR, FIRST_YEAR, months])
    cursor.execute("SELECT indexdef, indexname FROM pg_indexes WHERE tablename = 'indicators_actualvalue' "
                   "AND indexname NOT LIKE %s", ["%pkey"])
    indexes = cursor.fetchall()
    for _definition, name in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute("""INSERT INTO indicators_actualvalue (report_id, indicator_id, municipality_id, year, month,
                      submitted_on, value)
                      SELECT r.id, i.id, mu.id, r.year, r.month, r.submitted_on,
                             (100 + (i.id * 7 + r.month * 13) %% 40 - 20) * CASE WHEN mu.id IS NULL THEN 1 ELSE 0.03 END
                      FROM indicators_indicator i
                      JOIN indicators_report r ON r.organisation_id = i.owner_organisation_id
                      CROSS JOIN (SELECT id FROM org_municipality UNION ALL SELECT NULL) mu""", [])
    print(f"  actual values: {cursor.rowcount:,} rows in {time.perf_counter() - started:.0f} s")
    for definition, _name in indexes:
        cursor.execute(definition)
    cursor.execute("""INSERT INTO indicators_latestactual (indicator_id, municipality_id, year, month, value, report_id)
                      SELECT DISTINCT ON (indicator_id, municipality_id) indicator_id, municipality_id, year, month,
                             value, report_id
                      FROM indicators_actualvalue ORDER BY indicator_id, municipality_id, year DESC, month DESC""")
    print(f"  generated and indexed in {time.perf_counter() - started:.0f} s")


FLOOR = """
WITH inds AS (SELECT i.id FROM indicators_indicator i JOIN org_organisation o ON o.id = i.owner_organisation_id
              WHERE o.block_id = %(block)s AND i.is_active),
     latest AS ({latest}),
     ver AS (SELECT DISTINCT ON (v.indicator_id) v.indicator_id, v.id FROM indicators_planversion v
             JOIN inds ON inds.id = v.indicator_id WHERE v.valid_from <= %(on)s
             ORDER BY v.indicator_id, v.valid_from DESC, v.number DESC)
SELECT l.indicator_id, l.year, l.month, l.value, l.report_id, pv.month, pv.value
FROM latest l JOIN ver ON ver.indicator_id = l.indicator_id
LEFT JOIN indicators_planvalue pv ON pv.version_id = ver.id AND pv.year = l.year AND pv.municipality_id IS NULL
"""
LATEST_NOW = """SELECT la.indicator_id, la.year, la.month, la.value, la.report_id FROM indicators_latestactual la
                JOIN inds ON inds.id = la.indicator_id WHERE la.municipality_id IS NULL"""
LATEST_AS_OF = """SELECT DISTINCT ON (a.indicator_id) a.indicator_id, a.year, a.month, a.value, a.report_id
                  FROM indicators_actualvalue a JOIN inds ON inds.id = a.indicator_id
                  WHERE a.municipality_id IS NULL AND a.submitted_on <= %(on)s
                  ORDER BY a.indicator_id, a.year DESC, a.month DESC, a.submitted_on DESC"""


def _time(func, repeat: int) -> tuple[float, float, object]:
    result = func()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(0.95 * len(samples)) - 1)], result


def run(args) -> None:
    from django.db import connection
    from django.utils import timezone

    from krai.monitoring.indicators import selectors
    from krai.monitoring.indicators.models import ActualValue, Indicator
    from krai.org.models import Block, Role, RoleAssignment, ScopeKind, User

    expected = args.indicators * (args.municipalities + 1) * args.months
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM indicators_indicator")
        have = cursor.fetchone()[0]
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE relname = 'indicators_actualvalue'")
        rows = (cursor.fetchone() or [0])[0]
    if args.fresh or have != args.indicators or abs(rows - expected) > expected * 0.02:
        with connection.cursor() as cursor:
            _generate(cursor, indicators=args.indicators, municipalities=args.municipalities, months=args.months)
    with connection.cursor() as cursor:
        # what autovacuum does in production: the visibility map lets the totals' indexes answer alone
        cursor.execute("VACUUM ANALYZE indicators_actualvalue")
        cursor.execute("VACUUM ANALYZE indicators_latestactual")
        cursor.execute("ANALYZE")
    block = Block.objects.order_by("pk").first()
    vice, _ = User.objects.get_or_create(email="vice.bench@bench.krai", defaults={"is_staff": True,
                                                                                   "surname": "Вице"})
    RoleAssignment.objects.get_or_create(user=vice, role=Role.VICE_GOVERNOR, scope=ScopeKind.BLOCK, block=block)
    total = ActualValue.objects.count() if args.count else expected
    in_block = Indicator.objects.filter(owner_organisation__block=block).count()
    last = ActualValue.objects.order_by("-year", "-month").values_list("year", "month").first()
    past = date(last[0] - 1, max(1, last[1] - 6), 20)
    today = timezone.localdate()
    print(f"data: {args.indicators} indicators, {total:,} actual values; block {block.code}: {in_block} "
          f"indicators; last period {last[0]}-{last[1]:02d}; as of {past}")

    def fresh_user():
        return User.objects.get(pk=vice.pk)  # the scope is resolved per request, as a page does

    def krai_now():
        return selectors.deviation_table(user=fresh_user(), block=block.pk)

    def krai_past():
        return selectors.deviation_table(user=fresh_user(), block=block.pk, as_of=past)

    def floor(latest: str, on: date):
        def query():
            with connection.cursor() as cursor:
                cursor.execute(FLOOR.format(latest=latest), {"block": block.pk, "on": on})
                return cursor.fetchall()
        return query

    results = []
    for label, krai, bare in (("now", krai_now, floor(LATEST_NOW, today)),
                              ("as of", krai_past, floor(LATEST_AS_OF, past))):
        k50, k95, rows_k = _time(krai, args.repeat)
        f50, f95, _rows = _time(bare, args.repeat)
        coloured = sum(1 for r in rows_k if r.deviation is not None)
        results.append((label, len(rows_k), coloured, k50, k95, f50, f95))
    print(f"\n{'table':<8}{'rows':>6}{'with dev.':>10}{'krai p50':>10}{'krai p95':>10}{'floor p50':>11}"
          f"{'floor p95':>11}{'ratio p95':>11}")
    for label, n, coloured, k50, k95, f50, f95 in results:
        print(f"{label:<8}{n:>6}{coloured:>10}{k50:>9.1f}ms{k95:>8.1f}ms{f50:>9.1f}ms{f95:>9.1f}ms{k95 / f95:>10.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=5000)
    parser.add_argument("--municipalities", type=int, default=44)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--fresh", action="store_true", help="regenerate the data")
    parser.add_argument("--count", action="store_true", help="count the actual values exactly (slow)")
    args = parser.parse_args()
    url = os.environ.get("KRAI_DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("set KRAI_DATABASE_URL to a PostgreSQL database whose name contains 'bench'")
    _ensure_database(url)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    run(args)


if __name__ == "__main__":
    main()
