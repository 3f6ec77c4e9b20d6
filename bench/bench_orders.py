"""Control dashboard drill-down: p50/p95 of every level against the bare SQL aggregate it needs, in one run.

    .venv/bin/python bench/bench_orders.py [--assignments 50000] [--repeat 15] [--keep]
    KRAI_DATABASE_URL=postgres://… .venv/bin/python bench/bench_orders.py --assignments 1000000

Runs on the configured database engine, in a throw-away database beside the configured one (only the
tables the dashboard touches are created, straight from the models). The generator writes a region like
the demo's — 8 blocks, 93 bodies with 3 units each, 2,000 executors — and ``--assignments`` controlled
assignments: 40 % top-level, the rest delegated one or two levels down, with the demo's mix of
statuses, deadlines over two years and a quarter of the executed ones late. (The history table is not
filled: the levels timed here read the current columns; "as of a date" is timed separately on a sample.)

Timed per level, ``--repeat`` times each after one warm-up:

* ``krai`` — ``krai.orders.dashboard.control_load`` for the governor (region scope) and, at the region
  level, for a vice-governor (block scope: the visibility filter is applied);
* ``floor`` — the one GROUP BY the level needs, as raw SQL on the same connection.

The ratio krai/floor shows what the framework costs (scope filter, ORM, labels, Python rows).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krai.settings")

BLOCKS = 8
BODIES = 93
UNITS_PER_BODY = 3
EXECUTORS = 2000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--assignments", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the benchmark database")
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    from django.db import connection

    test = settings.DATABASES["default"].setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test["NAME"] = str(Path(tempfile.gettempdir()) / "krai-bench-orders.sqlite3")
    else:
        test["NAME"] = f"{connection.settings_dict['NAME']}_bench_orders"
    started = time.perf_counter()
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    test_name = creation._get_test_db_name()
    creation._create_test_db(verbosity=0, autoclobber=not args.keep, keepdb=args.keep)
    connection.close()
    settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = test_name
    create_tables()
    print(f"database: {connection.vendor} ({test_name}), ready in {time.perf_counter() - started:.1f} s")
    try:
        run(args)
    finally:
        creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)


def create_tables() -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from krai.core.workcalendar.models import CalendarDay
    from krai.orders.models import Assignment, Extension, Order, Report, TopLoad, Transition
    from krai.org.models import RoleAssignment

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

    for model in (ContentType, Assignment, TopLoad, Transition, Report, Extension, Order, RoleAssignment, CalendarDay):
        visit(model)
    existing = set(connection.introspection.table_names())
    with connection.schema_editor() as editor:
        for model in ordered:
            if model._meta.db_table not in existing:
                editor.create_model(model)


def generate(args) -> dict:
    """The region and the assignments (bulk inserts; returns ids the timings use)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from krai.orders.models import Assignment, Order, TopLoad
    from krai.org.models import Block, Organisation, Role, RoleAssignment, ScopeKind, User

    if Assignment.objects.count() >= args.assignments:
        print(f"reusing {Assignment.objects.count()} assignments")
        governor = User.objects.get(email="governor@bench.krai")
        vice = User.objects.get(email="vice1@bench.krai")
        body = Organisation.objects.filter(parent__isnull=True, block__isnull=False).order_by("pk").first()
        executor = Assignment.objects.filter(body=body, executor_user__isnull=False).values_list(
            "executor_user_id", flat=True).first()
        if not TopLoad.objects.exists():
            recount()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE orders_topload" if connection.vendor == "postgresql" else "ANALYZE")
        return {"governor": governor, "vice": vice, "block": body.block_id, "body": body.pk, "executor": executor}
    started = time.perf_counter()
    with transaction.atomic():
        users = User.objects.bulk_create([User(email="governor@bench.krai", surname="Губернатор", given_name="Б",
                                               is_staff=True)] +
                                         [User(email=f"vice{i}@bench.krai", surname=f"Вице{i}", given_name="Б",
                                               is_staff=True) for i in range(1, BLOCKS + 1)] +
                                         [User(email=f"exec{i}@bench.krai", surname=f"Исполнитель{i}", given_name="Б",
                                               is_staff=True) for i in range(EXECUTORS)])
        users = list(User.objects.filter(email__endswith="@bench.krai").order_by("pk"))
        governor, vices, executors = users[0], users[1:BLOCKS + 1], users[BLOCKS + 1:]
        blocks = [Block.objects.create(code=f"b{i}", name=f"Блок {i}", vice_governor=vices[i]) for i in range(BLOCKS)]
        RoleAssignment.objects.create(user=governor, role=Role.GOVERNOR, scope=ScopeKind.REGION)
        for vice, block in zip(vices, blocks, strict=True):
            RoleAssignment.objects.create(user=vice, role=Role.VICE_GOVERNOR, scope=ScopeKind.BLOCK, block=block)
        bodies, units = [], []
        for i in range(BODIES):
            body = Organisation(code=f"o{i}", name=f"Орган {i}", kind="department", block=blocks[i % BLOCKS])
            body.save()
            bodies.append(body)
            for k in range(UNITS_PER_BODY):
                unit = Organisation(code=f"o{i}u{k}", name=f"Отдел {i}.{k}", kind="unit", parent=body,
                                    block=body.block)
                unit.save()
                units.append(unit)
        by_body = {b.pk: [u for u in units if u.parent_id == b.pk] for b in bodies}
        people = {u.pk: [executors[(u.pk * 7 + j) % len(executors)] for j in range(5)] for u in units}
        order_ct = ContentType.objects.get_for_model(Order)
        fill(connection, n=args.assignments, seed=args.seed, order_ct=order_ct.pk, governor=governor.pk,
             bodies=[(i, b.pk, b.block_id, vices[i % BLOCKS].pk) for i, b in enumerate(bodies)],
             units=[(bi, k, u.pk) for bi, b in enumerate(bodies) for k, u in enumerate(by_body[b.pk])],
             people=[(u.pk, j, p.pk) for u in units for j, p in enumerate(people[u.pk])])
    recount()
    with connection.cursor() as cursor:  # as autovacuum would: statistics, and the visibility map on PostgreSQL
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"generated {args.assignments} assignments in {time.perf_counter() - started:.1f} s")
    body = bodies[0]
    executor = Assignment.objects.filter(body=body, executor_user__isnull=False).values_list(
        "executor_user_id", flat=True).first()
    return {"governor": governor, "vice": vices[0], "block": body.block_id, "body": body.pk, "executor": executor}


#: distinct multipliers make independent-looking pseudo-random draws of an id: h(x, a) = x * a mod P
P = 1_000_003
A = (7919, 104729, 1299709, 15485863, 179424673, 2147483647, 32452843, 49979687, 67867967, 86028121, 122949829)
EPOCH = date(2000, 1, 1)
CHUNK = 250_000


def fill(connection, *, n: int, seed: int, order_ct: int, governor: int, bodies, units, people) -> None:
    """Insert ``n`` assignments with one ``INSERT … SELECT`` per chunk of ids, computed in the database.

    Ids come in groups of five: a root, its child, that child's child, a second root and its child (40 %
    top-level, the rest one or two levels down). Every value is a hash of the row's (or its root's) id:
    the root's body (and so block), issue date over two years, a span of 1–60 days to the deadline;
    children take a unit of the body, a named person two times in three, a deadline 0–3 days before their
    parent's; statuses 60 % done, 25 % in progress, 5 % issued, 6 % reported, 4 % cancelled; a quarter of
    the executed late by 1–20 days. ``seed`` shifts the ids' hashes.
    """
    pg = connection.vendor == "postgresql"

    def h(x: str, a: int) -> str:
        return f"((({x}) + {seed * 7}) * {a} % {P})"

    def day(x: str) -> str:  # days since 2000-01-01 → a date
        return f"(DATE '2000-01-01' + CAST({x} AS integer))" if pg else f"date('2000-01-01', ({x}) || ' days')"

    def pos(x: str) -> str:
        return f"(CASE WHEN ({x}) > 0 THEN ({x}) ELSE 0 END)"

    today = (date.today() - EPOCH).days
    values = lambda rows: ", ".join("(" + ", ".join(str(v) for v in r) + ")" for r in rows)  # noqa: E731
    seq = ("SELECT generate_series(CAST({lo} AS bigint), CAST({hi} AS bigint)) AS n" if pg else
           "WITH RECURSIVE s(n) AS (SELECT {lo} UNION ALL SELECT n + 1 FROM s WHERE n < {hi}) SELECT n FROM s")
    span_root = f"({h('r', A[1])} % 60 + 1)"
    span_1 = pos(f"{span_root} - {h('n', A[3])} % 4")
    span_2 = pos(pos(f"{span_root} - {h('n - 1', A[3])} % 4") + f" - {h('n', A[3])} % 4")
    sql = f"""
    WITH b(idx, id, block_id, vice_id) AS (VALUES {values(bodies)}),
         u(bidx, k, id) AS (VALUES {values(units)}),
         pp(unit_id, j, user_id) AS (VALUES {values(people)}),
         g1 AS (SELECT n, (n - 1) % 5 AS k FROM ({seq}) AS seq),
         g2 AS (SELECT n, CASE k WHEN 0 THEN 0 WHEN 1 THEN 1 WHEN 2 THEN 2 WHEN 3 THEN 0 ELSE 1 END AS depth,
                       n - CASE k WHEN 0 THEN 0 WHEN 1 THEN 1 WHEN 2 THEN 2 WHEN 3 THEN 0 ELSE 1 END AS r FROM g1),
         g3 AS (SELECT n, depth, r, {today} - ({h('r', A[2])} % 730 + 1) AS issued,
                       CASE depth WHEN 0 THEN {span_root}
                                  WHEN 1 THEN {span_1}
                                  ELSE {span_2}
                       END AS span,
                       {h('n', A[4])} % 100 AS st, {h('n', A[5])} % 4 AS lt, {h('n', A[6])} AS cd,
                       {h('r', A[0])} % {len(bodies)} AS bidx, {h('n', A[7])} % 3 AS uk,
                       {h('n', A[8])} % 10 AS named, {h('n', A[9])} % 5 AS pj, {h('n', A[10])} AS misc FROM g2),
         g AS (SELECT g3.*, CASE WHEN st < 60 THEN 'done' WHEN st < 85 THEN 'in_progress' WHEN st < 90 THEN 'issued'
                                 WHEN st < 96 THEN 'reported' ELSE 'cancelled' END AS status FROM g3)
    INSERT INTO orders_assignment (id, created_at, updated_at, kind, subject_type_id, subject_id, parent_id, root_id,
        depth, title, text, issuer_id, executor_organisation_id, executor_user_id, block_id, body_id, status,
        issued_on, deadline, original_deadline, completed_on)
    SELECT g.n, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP,
           CASE WHEN misc % 5 = 0 THEN 'problem' ELSE 'order' END, {order_ct},
           CAST(g.r AS {'text' if pg else 'TEXT'}), CASE WHEN g.depth = 0 THEN NULL ELSE g.n - 1 END, g.r, g.depth,
           'Поручение ' || g.n, '', CASE WHEN misc % 2 = 0 THEN {governor} ELSE b.vice_id END,
           COALESCE(u.id, b.id), pp.user_id, b.block_id, b.id, g.status,
           {day('g.issued')}, {day('g.issued + g.span')}, {day('g.issued + g.span')},
           CASE WHEN g.status <> 'done' THEN NULL
                WHEN g.lt = 0 THEN {day('g.issued + g.span + g.cd % 20 + 1')}
                ELSE {day('g.issued + g.span - g.cd % (g.span + 1)')} END
    FROM g JOIN b ON b.idx = g.bidx
         LEFT JOIN u ON g.depth > 0 AND u.bidx = g.bidx AND u.k = g.uk
         LEFT JOIN pp ON g.depth > 0 AND g.named < 7 AND pp.unit_id = u.id AND pp.j = g.pj
    """  # noqa: S608 - every interpolated value is an integer computed here
    with connection.cursor() as cursor:  # no parameters: the SQL's % are modulo operators
        for lo in range(1, n + 1, CHUNK):
            started = time.perf_counter()
            cursor.execute(sql.replace("{lo}", str(lo)).replace("{hi}", str(min(n, lo + CHUNK - 1))))
            print(f"  ids {lo}–{min(n, lo + CHUNK - 1)}: {time.perf_counter() - started:.1f} s", flush=True)
        if pg:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('orders_assignment', 'id'), {n})")


def recount() -> None:
    """The dashboard's pre-counted top-level load (``TopLoad``), rebuilt as after any bulk load."""
    from krai.orders.models import TopLoad

    started = time.perf_counter()
    cells = TopLoad.rebuild()
    print(f"recounted the top-level load: {cells} cells in {time.perf_counter() - started:.1f} s")


FLOOR = {
    "region": ("block_id", "parent_id IS NULL"),
    "block": ("body_id", "parent_id IS NULL AND block_id = %s"),
    "body": ("executor_user_id", "body_id = %s"),
    "executor": ("issuer_id", "executor_user_id = %s"),
}


def floor_sql(level: str) -> str:
    group, where = FLOOR[level]
    sums = ("SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN status IN ('issued', 'in_progress', 'reported') THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN status IN ('issued', 'in_progress', 'reported') AND deadline < %s THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN status = 'done' AND completed_on > deadline THEN 1 ELSE 0 END)")
    return f"SELECT {group}, COUNT(*), {sums} FROM orders_assignment WHERE status <> 'cancelled' AND {where} GROUP BY {group}"  # noqa: S608, E501


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def timeit(func, repeat: int) -> list[float]:
    func()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return times


def run(args) -> None:
    from django.db import connection

    from krai.orders import dashboard

    ids = generate(args)
    today = date.today()
    print(f"{'level':<22}{'krai p50':>10}{'krai p95':>10}{'floor p50':>11}{'floor p95':>11}{'ratio p50':>11}"
          f"{'rows':>7}")
    cases = [
        ("region (governor)", ids["governor"], "region", {}, ()),
        ("region (vice-gov.)", ids["vice"], "region", {}, None),
        ("block", ids["governor"], "block", {"block": ids["block"]}, (ids["block"],)),
        ("body", ids["governor"], "body", {"body": ids["body"]}, (ids["body"],)),
        ("executor", ids["governor"], "executor", {"executor": ids["executor"]}, (ids["executor"],)),
    ]
    for name, user, level, kwargs, params in cases:
        user.__dict__.pop("_krai_scope", None)
        load = dashboard.control_load(user=user, level=level, today=today, **kwargs)
        krai = timeit(lambda u=user, lv=level, kw=kwargs: dashboard.control_load(user=u, level=lv, today=today, **kw),
                      args.repeat)
        if params is None:  # the vice-governor's region view: his block's top-level rows
            sql = floor_sql("region").replace("parent_id IS NULL", "parent_id IS NULL AND block_id = %s")
            params = (ids["block"],)
        else:
            sql = floor_sql(level)

        def bare(sql=sql, params=params) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, (today, *params))
                cursor.fetchall()

        floor = timeit(bare, args.repeat)
        ratio = statistics.median(krai) / max(statistics.median(floor), 1e-6)
        print(f"{name:<22}{statistics.median(krai):>9.1f}ms{percentile(krai, 95):>8.1f}ms"
              f"{statistics.median(floor):>9.1f}ms{percentile(floor, 95):>9.1f}ms{ratio:>10.2f}x{len(load.rows):>7}")
    # the worst overdue list and the monthly trend for the governor
    worst = timeit(lambda: dashboard.worst_overdue(user=ids["governor"], today=today), args.repeat)
    trend = timeit(lambda: dashboard.trend(user=ids["governor"], today=today), max(3, args.repeat // 3))
    print(f"{'worst overdue (20)':<22}{statistics.median(worst):>9.1f}ms{percentile(worst, 95):>8.1f}ms")
    print(f"{'trend (12 months)':<22}{statistics.median(trend):>9.1f}ms{percentile(trend, 95):>8.1f}ms")


if __name__ == "__main__":
    main()
