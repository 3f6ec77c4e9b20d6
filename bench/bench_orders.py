"""Control dashboard drill-down: p50/p95 of every level against the bare SQL aggregate it needs, in one run.

    .venv/bin/python bench/bench_orders.py [--assignments 50000] [--repeat 15] [--keep]
    KRAI_DATABASE_URL=postgres://… .venv/bin/python bench/bench_orders.py --assignments 1000000

Runs on the configured database engine, in a throw-away database beside the configured one (only the
tables the dashboard touches are created, straight from the models). The generator writes a region like
the demo's — 8 blocks, 93 bodies with 3 units each, 2,000 executors — and ``--assignments`` controlled
assignments: 40 % top-level, the rest delegated one or two levels down, with the demo's mix of
statuses, deadlines over two years and a quarter of the executed ones late, and their history: an
"opened" transition for each on the day it was given and, for those since moved on, one more with
today's state (taken into work the next day, executed on its execution day, cancelled the next day).

Timed per level, ``--repeat`` times each after one warm-up:

* ``krai`` — ``krai.orders.dashboard.control_load`` for the governor (region scope) and, at the region
  and organisation levels, for a vice-governor (block scope: the visibility filter is applied, below the
  top level with its per-row probe of the trees' closure table, ``AssignmentAncestor``); the monthly trend
  and the worst-overdue list for both; the region level "as of" a day three months ago (from the history);
* ``floor`` — the one query the level needs, as raw SQL on the same connection (for "as of": the last
  transition of every assignment up to that day by a window function, grouped).

``--keep`` keeps the database and reuses its assignments when there are at least ``--assignments``; the
pre-counted tables are recreated when their columns differ from the models' and recounted when empty,
the history is filled when empty.

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
    parser.add_argument("--no-as-of", action="store_true", help="skip the (slow) \"as of\" timings")
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
    from krai.orders.models import (
        Assignment,
        AssignmentAncestor,
        Extension,
        Order,
        Report,
        TopLoad,
        TopMonth,
        Transition,
    )
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

    for model in (ContentType, Assignment, AssignmentAncestor, TopLoad, TopMonth, Transition, Report, Extension,
                  Order, RoleAssignment, CalendarDay):
        visit(model)
    existing = set(connection.introspection.table_names())
    with connection.schema_editor() as editor:
        for model in (TopLoad, TopMonth):  # derived, rebuilt from the rows: recreated when the model changed
            if model._meta.db_table in existing:
                with connection.cursor() as cursor:
                    columns = {c.name for c in connection.introspection.get_table_description(
                        cursor, model._meta.db_table)}
                if columns != {f.column for f in model._meta.local_fields}:
                    editor.delete_model(model)
                    existing.discard(model._meta.db_table)
        for model in ordered:
            if model._meta.db_table not in existing:
                editor.create_model(model)


def generate(args) -> dict:
    """The region and the assignments (bulk inserts; returns ids the timings use)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from krai.orders.models import Assignment, AssignmentAncestor, Order, TopLoad, TopMonth, Transition
    from krai.org.models import Block, Organisation, Role, RoleAssignment, ScopeKind, User

    if Assignment.objects.count() >= args.assignments:
        print(f"reusing {Assignment.objects.count()} assignments")
        governor = User.objects.get(email="governor@bench.krai")
        vice = User.objects.get(email="vice1@bench.krai")
        body = Organisation.objects.filter(parent__isnull=True, block__isnull=False).order_by("pk").first()
        executor = Assignment.objects.filter(body=body, executor_user__isnull=False).values_list(
            "executor_user_id", flat=True).first()
        if not Transition.objects.exists():
            fill_history(connection)
        if not AssignmentAncestor.objects.exists():
            link_ancestors(connection)
        if not TopLoad.objects.exists() or not TopMonth.objects.exists():
            recount()
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
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
        fill_history(connection)
        link_ancestors(connection)
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


def fill_history(connection) -> None:
    """The history "as of a date" reads: one "opened" transition per assignment at 09:00 of the day it was given,
    and for each one no longer just issued a second with today's state — at 09:00 of its execution day when
    executed, of the next day otherwise (taken into work, reported, cancelled)."""
    started = time.perf_counter()
    pg = connection.vendor == "postgresql"

    def at(day: str) -> str:
        return f"(CAST({day} AS timestamp) + INTERVAL '9 hours')" if pg else f"datetime({day}, '+9 hours')"

    nxt = "(issued_on + 1)" if pg else "date(issued_on, '+1 day')"
    cols = "assignment_id, at, actor_id, action, status, deadline, executor_organisation_id, executor_user_id, " \
           "completed_on, note"
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO orders_transition ({cols}) SELECT id, {at('issued_on')}, issuer_id, 'opened', "  # noqa: S608
                       "'issued', original_deadline, executor_organisation_id, executor_user_id, NULL, '' "
                       "FROM orders_assignment ORDER BY id")
        cursor.execute(f"INSERT INTO orders_transition ({cols}) SELECT id, "  # noqa: S608
                       f"CASE WHEN status = 'done' THEN {at('completed_on')} ELSE {at(nxt)} END, issuer_id, "
                       "CASE status WHEN 'done' THEN 'accepted' WHEN 'cancelled' THEN 'cancelled' "
                       "WHEN 'reported' THEN 'reported' ELSE 'started' END, status, deadline, "
                       "executor_organisation_id, executor_user_id, completed_on, '' "
                       "FROM orders_assignment WHERE status <> 'issued' ORDER BY id")
    print(f"filled the history: {time.perf_counter() - started:.1f} s")


def link_ancestors(connection) -> None:
    """The closure table of the trees (``AssignmentAncestor``) the visibility below the top level reads, as
    any bulk load must rebuild it; analysed at once, so that the first timings get its statistics."""
    from krai.orders.models import AssignmentAncestor

    started = time.perf_counter()
    rows = AssignmentAncestor.rebuild()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {AssignmentAncestor._meta.db_table}")
    print(f"linked every delegated assignment to its ancestors: {rows} rows in {time.perf_counter() - started:.1f} s")


def recount() -> None:
    """The dashboard's pre-counted top-level load and trend (``TopLoad``, ``TopMonth``), rebuilt as after any
    bulk load."""
    from krai.orders.models import TopLoad, TopMonth

    started = time.perf_counter()
    cells = TopLoad.rebuild()
    print(f"recounted the top-level load and trend: {cells} + {TopMonth.objects.count()} cells in "
          f"{time.perf_counter() - started:.1f} s")


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


def timeit(func, repeat: int, *, warm: bool = True) -> list[float]:
    if warm:
        func()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return times


def as_of_floor_sql() -> str:
    """The region level as of a day: every assignment's last transition up to its end, top-level, by block."""
    sums = ("SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN t.status IN ('issued', 'in_progress', 'reported') THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN t.status IN ('issued', 'in_progress', 'reported') AND t.deadline < %s THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN t.status = 'done' AND t.completed_on > t.deadline THEN 1 ELSE 0 END)")
    return ("SELECT o.block_id, COUNT(*), " + sums + " FROM (SELECT"  # noqa: S608 - constant text
            " assignment_id, status, deadline, completed_on, "
            "executor_organisation_id, ROW_NUMBER() OVER (PARTITION BY assignment_id ORDER BY at DESC, id DESC) AS rn "
            "FROM orders_transition WHERE at <= %s) t JOIN orders_assignment a ON a.id = t.assignment_id "
            "JOIN org_organisation o ON o.id = t.executor_organisation_id "
            "WHERE t.rn = 1 AND a.parent_id IS NULL AND a.issued_on <= %s AND t.status <> 'cancelled' "
            "GROUP BY o.block_id")


WORST_FLOOR = ("SELECT id FROM orders_assignment WHERE status IN ('issued', 'in_progress', 'reported') "
               "AND deadline < %s ORDER BY deadline, id LIMIT 20")
TREND_FLOOR = ("SELECT issued_on, COUNT(*) FROM orders_assignment WHERE parent_id IS NULL AND status <> 'cancelled' "
               "AND issued_on >= %s GROUP BY issued_on",
               "SELECT completed_on, COUNT(*), SUM(CASE WHEN completed_on > deadline THEN 1 ELSE 0 END) "
               "FROM orders_assignment WHERE parent_id IS NULL AND status = 'done' AND completed_on >= %s "
               "GROUP BY completed_on")


def line(name: str, krai: list[float], floor: list[float] | None, rows: int | str = "") -> None:
    ratio = f"{statistics.median(krai) / max(statistics.median(floor), 1e-6):>10.2f}x" if floor else f"{'':>11}"
    floors = f"{statistics.median(floor):>9.1f}ms{percentile(floor, 95):>9.1f}ms" if floor else f"{'':>22}"
    print(f"{name:<24}{statistics.median(krai):>9.1f}ms{percentile(krai, 95):>8.1f}ms{floors}{ratio}{rows:>7}",
          flush=True)


def run(args) -> None:
    from datetime import datetime
    from datetime import time as day_time

    from django.db import connection
    from django.utils import timezone

    from krai.orders import dashboard

    ids = generate(args)
    today = date.today()
    print(f"{'level':<24}{'krai p50':>10}{'krai p95':>10}{'floor p50':>11}{'floor p95':>11}{'ratio p50':>11}"
          f"{'rows':>7}")

    def bare(sql: str, params: tuple):
        def query() -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()
        return query

    region_vice = floor_sql("region").replace("parent_id IS NULL", "parent_id IS NULL AND block_id = %s")
    cases = [
        ("region (governor)", ids["governor"], "region", {}, floor_sql("region"), ()),
        ("region (vice-gov.)", ids["vice"], "region", {}, region_vice, (ids["block"],)),
        ("block", ids["governor"], "block", {"block": ids["block"]}, floor_sql("block"), (ids["block"],)),
        ("body", ids["governor"], "body", {"body": ids["body"]}, floor_sql("body"), (ids["body"],)),
        ("body (vice-gov.)", ids["vice"], "body", {"body": ids["body"]}, floor_sql("body"), (ids["body"],)),
        ("executor", ids["governor"], "executor", {"executor": ids["executor"]}, floor_sql("executor"),
         (ids["executor"],)),
    ]
    for name, user, level, kwargs, sql, params in cases:
        user.__dict__.pop("_krai_scope", None)
        load = dashboard.control_load(user=user, level=level, today=today, **kwargs)
        krai = timeit(lambda u=user, lv=level, kw=kwargs: dashboard.control_load(user=u, level=lv, today=today, **kw),
                      args.repeat)
        line(name, krai, timeit(bare(sql, (today, *params)), args.repeat), len(load.rows))
    start = date(today.year - (today.month < 12), today.month % 12 + 1, 1)  # the trend's first month
    trend_floor = [bare(TREND_FLOOR[0], (start,)), bare(TREND_FLOOR[1], (start,))]
    for who in ("governor", "vice"):
        user = ids[who]
        worst = timeit(lambda u=user: dashboard.worst_overdue(user=u, today=today), args.repeat)
        line(f"worst overdue ({'gov.' if who == 'governor' else 'vice'})", worst,
             timeit(bare(WORST_FLOOR, (today,)), args.repeat) if who == "governor" else None)
        trend = timeit(lambda u=user: dashboard.trend(user=u, today=today), args.repeat)
        line(f"trend 12 m. ({'gov.' if who == 'governor' else 'vice'})", trend,
             timeit(lambda: [q() for q in trend_floor], args.repeat) if who == "governor" else None)
    if args.no_as_of:
        return
    # as of a day three months ago, from the history (per-row subqueries): fewer repeats, it is slow
    then = date(today.year - (today.month <= 3), (today.month - 4) % 12 + 1, min(today.day, 28))
    end = timezone.make_aware(datetime.combine(then, day_time.max))
    slow = max(2, args.repeat // 5)
    for who in ("governor", "vice"):
        user = ids[who]
        load = dashboard.control_load(user=user, level="region", today=today, as_of=then)
        krai = timeit(lambda u=user: dashboard.control_load(user=u, level="region", today=today, as_of=then), slow,
                      warm=False)  # (the call above warmed it)
        floor = timeit(bare(as_of_floor_sql(), (then, end, then)), slow) \
            if who == "governor" else None
        line(f"as of {then} ({'gov.' if who == 'governor' else 'vice'})", krai, floor, len(load.rows))


if __name__ == "__main__":
    main()
