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
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
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
    from krai.orders.models import Assignment, Extension, Order, Report, Transition
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

    for model in (ContentType, Assignment, Transition, Report, Extension, Order, RoleAssignment, CalendarDay):
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

    from krai.orders.models import Assignment, Order, Status
    from krai.org.models import Block, Organisation, Role, RoleAssignment, ScopeKind, User

    rng = random.Random(args.seed)
    if Assignment.objects.count() >= args.assignments:
        print(f"reusing {Assignment.objects.count()} assignments")
        governor = User.objects.get(email="governor@bench.krai")
        vice = User.objects.get(email="vice1@bench.krai")
        body = Organisation.objects.filter(parent__isnull=True, block__isnull=False).order_by("pk").first()
        executor = Assignment.objects.filter(body=body, executor_user__isnull=False).values_list(
            "executor_user_id", flat=True).first()
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
        today = date.today()
        now = datetime.now(UTC)
        statuses = [Status.DONE] * 60 + [Status.IN_PROGRESS] * 25 + [Status.ISSUED] * 5 + [Status.REPORTED] * 6 + \
            [Status.CANCELLED] * 4
        columns = ("id", "created_at", "updated_at", "kind", "subject_type_id", "subject_id", "parent_id", "root_id",
                   "depth", "title", "text", "issuer_id", "executor_organisation_id", "executor_user_id", "block_id",
                   "body_id", "status", "issued_on", "deadline", "original_deadline", "completed_on")
        names, marks = ", ".join(columns), ", ".join(["%s"] * len(columns))
        insert = f"INSERT INTO orders_assignment ({names}) VALUES ({marks})"  # noqa: S608 - constant column names
        vice_of = {b.pk: vices[i % BLOCKS].pk for i, b in enumerate(bodies)}
        # (id, body_id, depth, root_id, issued, deadline, executor_user_id) of recent top-level rows
        roots: list[tuple] = []
        rows: list[tuple] = []
        next_id = 1
        while next_id <= args.assignments:
            if not roots or rng.random() < 0.4:
                body = rng.choice(bodies)
                org_id, block_id, body_id, user_id, parent_id, depth, root_id = (
                    body.pk, body.block_id, body.pk, None, None, 0, next_id)
                issued = today - timedelta(days=rng.randint(1, 730))
                deadline = issued + timedelta(days=rng.randint(1, 60))
                issuer_id = rng.choice([governor.pk, vice_of[body.pk]])
            else:
                parent = rng.choice(roots)
                parent_id, body_id, depth, root_id = parent[0], parent[1], parent[2] + 1, parent[3]
                org = rng.choice(by_body[body_id])
                org_id, block_id = org.pk, org.block_id
                user_id = rng.choice(people[org.pk]).pk if rng.random() < 0.7 else None
                issued = parent[4]
                deadline = max(issued, parent[5] - timedelta(days=rng.randint(0, 3)))
                issuer_id = parent[6] or governor.pk
            status = rng.choice(statuses)
            completed = None
            if status == Status.DONE:
                completed = deadline + timedelta(days=rng.randint(1, 20)) if rng.random() < 0.25 else \
                    deadline - timedelta(days=rng.randint(0, (deadline - issued).days))
            rows.append((next_id, now, now, "order" if rng.random() < 0.8 else "problem", order_ct.pk, str(next_id),
                         parent_id, root_id, depth, f"Поручение {next_id}", "", issuer_id, org_id, user_id, block_id,
                         body_id, str(status), issued, deadline, deadline, completed))
            if depth < 2:
                roots.append((next_id, body_id, depth, root_id, issued, deadline, user_id))
                if len(roots) > 50:
                    roots.pop(0)
            next_id += 1
            if len(rows) >= 10_000:
                with connection.cursor() as cursor:
                    cursor.executemany(insert, rows)
                rows = []
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(insert, rows)
    with connection.cursor() as cursor:  # as autovacuum would: statistics, and the visibility map on PostgreSQL
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"generated {args.assignments} assignments in {time.perf_counter() - started:.1f} s")
    body = bodies[0]
    executor = Assignment.objects.filter(body=body, executor_user__isnull=False).values_list(
        "executor_user_id", flat=True).first()
    return {"governor": governor, "vice": vices[0], "block": body.block_id, "body": body.pk, "executor": executor}


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
