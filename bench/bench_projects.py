"""Projects: moving one date in a programme of 20 projects, 10,000 work items and 15,000 dependencies — the full
service path against the bare walk in memory, in one run; and a 2,000-item project's critical path, analysis
and Gantt data.

    .venv/bin/python bench/bench_projects.py [--projects 20] [--items 10000] [--links 15000] [--big 2000]
        [--shift 20] [--repeat 5] [--keep] [--profile]
    KRAI_DATABASE_URL=postgres://postgres@127.0.0.1:5432/krai_x .venv/bin/python bench/bench_projects.py

Runs on the configured engine in a throw-away database beside the configured one (migrated; ``--keep`` keeps
it for the next run and skips the generation when the data is there). The generator bulk-inserts:

* a programme of ``--projects`` projects with ``--items`` items between them: per project 5 stages × 5
  results, the rest tasks spread over the results, each result closed by a control point; 85 % of the tasks
  and control points have an executor organisation and an open assignment of the control engine (kind
  ``project.item``, deadline = the item's planned finish, as ``services.control.sync`` opens it);
* ``--links`` dependencies: each result's tasks in a finish-to-start chain (lags 0–3), its control point
  finish-to-finish after the last task, results of a stage staggered start-to-start (lags 5–15), each stage
  after the previous stage's last control point, then random forward links of all four types with lags
  −2…5 inside a project, and 5 % across projects (an item waiting for one of another project at about the same
  point of its plan: the projects run side by side, as a programme's do);
* a second programme with one project of ``--big`` items (and 1.5 × as many links) for the per-project reads.

The dates are laid out in working days with the area's own walk (``scheduling.replan`` from the sources), so
every link holds and an item sits as early as its links allow: moving an early item pushes a long chain — the
worst case. Timed, ``--repeat`` times after one warm-up, each inside a transaction rolled back after it:

* ``reschedule`` — ``services.reschedule`` moving the first task of project 1 ``--shift`` (20) working days later, with
  ``confirm`` (the parents it pushes out are widened): checks, ``planner.load``, ``planner.propose``, the
  UPDATEs, the assignments' deadlines (``control_reschedule_many``: one set-based write), the event;
* ``load`` — ``planner.load`` of the programme alone (two ``values_list`` queries and the calendar);
* ``propose`` (the floor) — ``planner.propose`` of the same move on an already loaded graph (the walk,
  the frames, the warnings), and ``replan`` — ``scheduling.replan`` alone;
* ``critical path`` — ``scheduling.critical_path`` over the big project's leaves (graph already loaded);
* ``analyse`` — ``analysis.analyse`` of the big project (its queries included), against the bare items query;
* ``gantt data`` — GET ``/workspace/projects/p/<code>/gantt/data/`` of the big project through the Django test
  client (skipped when ``krai.projects.views_gantt`` is absent).

``--profile`` prints the 25 costliest functions (cumulative) of one ``reschedule``. After the timings one more
move is checked before its rollback: every shifted controlled item's assignment due on the previous working day
of its new finish, and the dashboard's pre-counted cells equal to a recount (``TopLoad.rebuild``).
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krai.settings")

STAGES, RESULTS = 5, 5
CONTROLLED_SHARE = 0.85
CROSS_SHARE = 0.05


def _layout(rng: random.Random, projects: int, items: int, links: int) -> tuple[list[list[dict]], list[tuple]]:
    """Per project its items (dicts in outline order: level, duration, leaf index) and the links between
    leaves as (type, global pred, global succ, lag), all pointing forward in the leaves' global order."""
    plans, out, seen, leaf_no = [], [], set(), 0
    per_project = [items // projects + (1 if p < items % projects else 0) for p in range(projects)]
    bounds = []
    for size in per_project:
        leaves = size - STAGES - STAGES * RESULTS
        per_result = [leaves // (STAGES * RESULTS) + (1 if r < leaves % (STAGES * RESULTS) else 0)
                      for r in range(STAGES * RESULTS)]
        plan, first = [], leaf_no
        stage_end = None
        for s in range(STAGES):
            plan.append({"level": 0, "kind": "stage"})
            previous_first = None
            for r in range(RESULTS):
                plan.append({"level": 1, "kind": "result"})
                count = per_result[s * RESULTS + r]
                chain = []
                for t in range(count):
                    cp = t == count - 1
                    plan.append({"level": 2, "kind": "control_point" if cp else "task", "leaf": leaf_no,
                                 "duration": 0 if cp else rng.randint(3, 15)})
                    chain.append(leaf_no)
                    leaf_no += 1
                for a, b in itertools.pairwise(chain[:-1]):
                    out.append(("FS", a, b, rng.choice((0, 0, 0, 1, 2, 3))))
                out.append(("FF", chain[-2], chain[-1], 0))
                if previous_first is not None:
                    out.append(("SS", previous_first, chain[0], rng.randint(5, 15)))
                elif stage_end is not None:
                    out.append(("FS", stage_end, chain[0], 1))
                previous_first = chain[0]
            stage_end = leaf_no - 1
        plans.append(plan)
        bounds.append((first, leaf_no))
    seen.update((p, s) for _t, p, s, _l in out)
    cross = int(links * CROSS_SHARE)
    while len(out) < links:
        if len(out) < links - cross or len(bounds) == 1:
            low, high = bounds[rng.randrange(len(bounds))]
            pred = rng.randrange(low, high - 1)
            succ = rng.randrange(pred + 1, min(high, pred + 60))
        else:
            # projects run side by side: an item waits for one of another project at about the same point of
            # its plan (a little earlier), so the links do not chain the projects one after another
            p = rng.randrange(len(bounds) - 1)
            q = rng.randrange(p + 1, len(bounds))
            at = rng.uniform(0.0, 0.85)
            pred = bounds[p][0] + int(at * (bounds[p][1] - bounds[p][0] - 1))
            succ = bounds[q][0] + int(min(0.99, at + rng.uniform(0.02, 0.1)) * (bounds[q][1] - bounds[q][0] - 1))
        if (pred, succ) not in seen:
            seen.add((pred, succ))
            out.append((rng.choice(("FS", "FS", "SS", "FF", "SF")), pred, succ, rng.choice((0, 0, 1, 2, 5, -2))))
    return plans, out


def generate(code: str, projects: int, items: int, links: int, seed: int) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction
    from django.utils import timezone

    from krai.core.workcalendar.index import WorkingDays
    from krai.orders.models import Assignment, Status
    from krai.org.models import Organisation, User
    from krai.projects import scheduling
    from krai.projects.models import Dependency, Programme, Project, WorkItem

    rng = random.Random(f"{seed}:{code}")
    today = timezone.localdate()
    cal = WorkingDays(today.year - 3, today.year + 6)
    orgs = list(Organisation.objects.order_by("pk"))
    manager = User.objects.get(email="manager@bench.krai")
    plans, link_rows = _layout(rng, projects, items, links)
    # lay the leaves out: each as early as its links allow, from a start 150 working days ago
    base = cal.on_or_before(today) - 150
    durations = {row["leaf"]: row["duration"] for plan in plans for row in plan if "leaf" in row}
    milestones = {row["leaf"] for plan in plans for row in plan if row.get("kind") == "control_point"}
    graph = scheduling.Graph(nodes={n: scheduling.Node(n, base, base + max(0, d - 1), milestone=n in milestones)
                                    for n, d in durations.items()},
                             links=[scheduling.Link(p, s, t, lag) for t, p, s, lag in link_rows])
    scheduling.replan(graph, {n for n in graph.nodes if not graph.incoming.get(n)})
    started = time.perf_counter()
    with transaction.atomic():
        programme = Programme.objects.create(code=code, title=f"Программа {code}", owner_organisation=orgs[0],
                                             starts_on=cal.day(base - 10), ends_on=cal.day(base + 2000))
        leaf_pk: dict[int, int] = {}
        subject_type = ContentType.objects.get_for_model(WorkItem)
        assignments = []
        for p, plan in enumerate(plans):
            spans = [graph.nodes[row["leaf"]] for row in plan if "leaf" in row]
            project = Project.objects.create(
                programme=programme, code=f"{code}-p{p + 1:02d}", title=f"Проект {p + 1}", owner_organisation=orgs[0],
                manager=manager, starts_on=cal.day(min(n.start for n in spans)),
                ends_on=cal.day(max(n.finish for n in spans)) + timedelta(days=365))
            # frames: a parent spans its parts (computed bottom-up over the outline)
            frames: list[list[int]] = []
            stack: list[int] = []
            for index, row in enumerate(plan):
                del stack[row["level"]:]
                if "leaf" in row:
                    node = graph.nodes[row["leaf"]]
                    frames.append([node.start, node.finish])
                    for parent in stack:
                        frames[parent][0] = min(frames[parent][0], node.start)
                        frames[parent][1] = max(frames[parent][1], node.finish)
                else:
                    frames.append([10 ** 9, -1])
                stack.append(index)
            created: list[WorkItem] = []
            for level in range(3):
                batch, numbers = [], []
                counters: dict[int | None, int] = {}
                stack = []
                for index, row in enumerate(plan):
                    del stack[row["level"]:]
                    parent = stack[-1] if stack else None
                    counters[parent] = counters.get(parent, 0) + 1
                    row.setdefault("path", (plan[parent]["path"] if parent is not None else "")
                                   + f"{counters[parent]:04d}.")
                    row.setdefault("parent", parent)
                    stack.append(index)
                    if row["level"] != level:
                        continue
                    start, finish = frames[index]
                    controlled = "leaf" in row and rng.random() < CONTROLLED_SHARE
                    batch.append(WorkItem(
                        project=project, parent_id=plan[parent]["pk"] if parent is not None else None,
                        path=row["path"], depth=level, kind=row["kind"], title=f"{row['kind']} {row['path']}",
                        owner_organisation=orgs[1 + index % (len(orgs) - 1)] if controlled else None,
                        planned_start=cal.day(start), planned_finish=cal.day(finish)))
                    numbers.append(index)
                for index, item in zip(numbers, WorkItem.objects.bulk_create(batch, batch_size=1000), strict=True):
                    plan[index]["pk"] = item.pk
                    if "leaf" in plan[index]:
                        leaf_pk[plan[index]["leaf"]] = item.pk
                    created.append(item)
            for item in created:
                if item.owner_organisation_id is not None:
                    assignments.append(Assignment(
                        kind="project.item", subject_type=subject_type, subject_id=str(item.pk),
                        title=item.title, executor_organisation_id=item.owner_organisation_id,
                        issuer=manager, issuer_organisation=orgs[0], controller_organisation=orgs[0],
                        body_id=item.owner_organisation_id, status=Status.ISSUED,
                        issued_on=min(today, item.planned_start), deadline=item.planned_finish,
                        original_deadline=item.planned_finish, depth=0))
        Dependency.objects.bulk_create([Dependency(programme=programme, predecessor_id=leaf_pk[p],
                                                   successor_id=leaf_pk[s], type=t, lag=lag)
                                        for t, p, s, lag in link_rows], batch_size=2000)
        Assignment.objects.bulk_create(assignments, batch_size=1000)
        from django.db.models import F

        Assignment.objects.filter(root__isnull=True).update(root=F("id"))
    print(f"  {code}: {projects} projects, {items:,} items, {len(link_rows):,} links, {len(assignments):,} "
          f"assignments written in {time.perf_counter() - started:.1f} s")


def _time(func, repeat: int, *, prepare=None) -> tuple[float, float, object]:
    samples, result = [], None
    for n in range(repeat + 1):
        state = prepare() if prepare else None
        started = time.perf_counter()
        result = func(state) if prepare else func()
        if n:  # the first is the warm-up
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples), max(samples), result


def _check(reschedule, reference) -> str:
    """One more move, checked before its rollback: every shifted controlled item's assignment is due on the
    previous working day of its new finish (never before its issue), and the dashboard's pre-counted cells equal
    a recount."""
    from django.db import transaction

    from krai.core.workcalendar.selectors import previous_working_day
    from krai.orders.counts import TopLoad
    from krai.orders.models import Assignment
    from krai.projects import services
    from krai.projects.models import WorkItem

    with transaction.atomic():
        pk, span = reschedule.move
        plan = services.reschedule(actor=reschedule.actor, project=reschedule.project, confirm=True,
                                   moves={WorkItem.objects.get(pk=pk): span})
        assert plan.dates == reference.dates
        finishes = dict(WorkItem.objects.filter(pk__in=list(plan.dates)).values_list("pk", "planned_finish"))
        wrong = checked = 0
        for chunk in range(0, len(finishes), 900):
            ids = [str(k) for k in list(finishes)[chunk:chunk + 900]]
            for a in Assignment.objects.filter(kind="project.item", subject_id__in=ids, parent__isnull=True):
                checked += 1
                wrong += a.deadline != max(previous_working_day(finishes[int(a.subject_id)]), a.issued_on)
        cells = sorted(TopLoad.objects.filter(n__gt=0).values_list(*TopLoad.FIELDS, "n"))
        TopLoad.rebuild()
        recount = sorted(TopLoad.objects.filter(n__gt=0).values_list(*TopLoad.FIELDS, "n"))
        transaction.set_rollback(True)
    return (f"deadlines wrong: {wrong} of {checked:,}; dashboard cells "
            f"{'match' if cells == recount else 'DIFFER from'} a recount")


def run(args) -> None:
    from django.db import connection, transaction
    from django.test import Client

    from krai.core.workcalendar.selectors import add_working_days
    from krai.orders.counts import TopLoad
    from krai.org.models import Organisation, Role, RoleAssignment, ScopeKind, User
    from krai.projects import analysis, planner, scheduling, services
    from krai.projects.models import Programme, Project, WorkItem

    if not Programme.objects.filter(code="bench").exists():
        Organisation.objects.bulk_create([Organisation(code=f"o{n}", name=f"Орган {n}", path=f"{n:06d}.")
                                          for n in range(1, 41)])
        manager = User.objects.create(email="manager@bench.krai", is_staff=True, surname="Руководитель")
        RoleAssignment.objects.create(user=manager, role=Role.CONTROLLER, scope=ScopeKind.REGION)
        print("generating …")
        generate("bench", args.projects, args.items, args.links, args.seed)
        generate("solo", 1, args.big, int(args.big * 1.5), args.seed)
        TopLoad.rebuild()
        services.baseline_save(actor=None, project=Project.objects.get(code="solo-p01"), name="Базовый план")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    manager = User.objects.get(email="manager@bench.krai")
    programme = Programme.objects.get(code="bench")
    project = Project.objects.get(code="bench-p01")
    item = WorkItem.objects.filter(project=project, kind="task").order_by("path").first()
    loaded = planner.load(programme.pk)
    cal = loaded.calendar
    node = loaded.graph.nodes[item.pk]
    move = {item.pk: (cal.day(node.start + args.shift), cal.day(node.finish + args.shift))}

    def reschedule():
        with transaction.atomic():
            plan = services.reschedule(actor=manager, project=project, confirm=True,
                                       moves={WorkItem.objects.get(pk=item.pk): move[item.pk]})
            transaction.set_rollback(True)
        return plan

    reschedule.actor, reschedule.project, reschedule.move = manager, project, (item.pk, move[item.pk])

    def fresh():
        return planner.load(programme.pk)

    def propose(state):
        return planner.propose(state, dict(move))

    def replan(state):
        moved = state.graph.nodes[item.pk]
        moved.start, moved.finish = moved.start + args.shift, moved.finish + args.shift
        return scheduling.replan(state.graph, {item.pk})

    print(f"\nprogramme: {WorkItem.objects.filter(project__programme=programme).count():,} items; moving "
          f"«{item.title}» of {project.code} {args.shift} working days later; {args.repeat} runs after a warm-up (ms)")
    rows = []
    r50, rmax, plan = _time(reschedule, args.repeat)
    controlled = WorkItem.objects.filter(pk__in=list(plan.dates), kind__in=WorkItem.CONTROLLED,
                                         owner_organisation__isnull=False).count()
    rows.append(("reschedule (full path)", r50, rmax))
    rows.append(("  planner.load", *_time(fresh, args.repeat)[:2]))
    p50, pmax, proposal = _time(propose, args.repeat, prepare=fresh)
    rows.append(("propose (floor: the walk in memory)", p50, pmax))
    rows.append(("  scheduling.replan alone", *_time(replan, args.repeat, prepare=fresh)[:2]))
    for label, median, worst in rows:
        print(f"  {label:<40}{median:>10.1f}{worst:>10.1f} max")
    print(f"  shifted: {len(plan.dates):,} items ({controlled:,} with an assignment), warnings "
          f"{len(plan.warnings):,}; propose shifted {len(proposal.dates):,}")
    print(f"  ratio reschedule / propose: {r50 / p50:.1f}×; reschedule {'meets' if r50 < 1000 else 'misses'} "
          f"the 1 s aim")
    print(f"  checked: {_check(reschedule, plan)}")

    # a typical move: a task half-way through the last project, whose tail (and what waits on it) follows
    last = Project.objects.filter(programme=programme).order_by("-code").first()
    tasks = list(WorkItem.objects.filter(project=last, kind="task").order_by("path").values_list("pk", flat=True))
    middle = WorkItem.objects.get(pk=tasks[len(tasks) // 2])
    span = (add_working_days(middle.planned_start, 5), add_working_days(middle.planned_finish, 5))

    def typical():
        with transaction.atomic():
            result = services.reschedule(actor=manager, project=last, confirm=True, moves={
                WorkItem.objects.get(pk=middle.pk): span})
            transaction.set_rollback(True)
        return result

    firsts = [WorkItem.objects.filter(project=p, kind="task").order_by("path").first()
              for p in Project.objects.filter(programme=programme)]

    def everything():
        # the stress case of the write path: every project's first task at once, so nearly the whole programme moves
        with transaction.atomic():
            result = services.reschedule(actor=manager, project=project, confirm=True, moves={
                WorkItem.objects.get(pk=first.pk): (add_working_days(first.planned_start, args.shift),
                                                    add_working_days(first.planned_finish, args.shift))
                for first in firsts if first.project_id == project.pk})
            for first in firsts:
                if first.project_id != project.pk:
                    services.reschedule(actor=manager, project=first.project, confirm=True, moves={
                        WorkItem.objects.get(pk=first.pk): (add_working_days(first.planned_start, args.shift),
                                                            add_working_days(first.planned_finish, args.shift))})
            transaction.set_rollback(True)
        return result

    t50, tmax, small = _time(typical, args.repeat)
    print(f"  {'reschedule, a typical move':<40}{t50:>10.1f}{tmax:>10.1f} max   (a task half-way through "
          f"{last.code}, 5 working days: {len(small.dates):,} items shift)")
    e50, emax, _ = _time(everything, max(1, args.repeat // 2))
    label = "each project's first task, in turn"
    print(f"  {label:<40}{e50:>10.1f}{emax:>10.1f} max   ({len(firsts)} re-plans "
          f"in one transaction: {e50 / len(firsts):.0f} ms each)")
    if args.profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(reschedule)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)

    big = Project.objects.get(code="solo-p01")
    solo = planner.load(big.programme_id)
    leaves = set(solo.graph.nodes) - set(solo.children)
    print(f"\nproject {big.code}: {len(solo.graph.nodes):,} items, {len(solo.graph.links):,} links, "
          f"{len(leaves):,} leaves (ms)")
    c50, cmax, floats = _time(lambda: scheduling.critical_path(solo.graph, leaves), args.repeat)
    print(f"  {'critical_path':<40}{c50:>10.1f}{cmax:>10.1f} max   ({sum(1 for f in floats.values() if f <= 0)} "
          f"critical)")
    a50, amax, result = _time(lambda: analysis.analyse(big), args.repeat)
    q50, qmax, _ = _time(lambda: list(WorkItem.objects.filter(project=big).select_related(
        "owner_organisation", "responsible").order_by("path")), args.repeat)
    print(f"  {'analyse':<40}{a50:>10.1f}{amax:>10.1f} max   (health {result.health})")
    print(f"  {'  floor: the items query alone':<40}{q50:>10.1f}{qmax:>10.1f} max   ratio {a50 / q50:.1f}×")
    try:
        import krai.projects.views_gantt  # noqa: F401
    except ImportError:
        print("  gantt data: krai.projects.views_gantt is absent; skipped")
        return
    client = Client()
    client.force_login(manager)
    url = f"/workspace/projects/p/{big.code}/gantt/data/"

    def gantt():
        response = client.get(url)
        assert response.status_code == 200, (response.status_code, response.content[:300])
        return response

    g50, gmax, response = _time(gantt, args.repeat)
    print(f"  {'gantt data (HTTP, test client)':<40}{g50:>10.1f}{gmax:>10.1f} max   ({len(response.content):,} bytes;"
          f" {g50 / a50:.1f}× analyse)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--links", type=int, default=15_000)
    parser.add_argument("--big", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shift", type=int, default=20, help="working days the first task moves by")
    parser.add_argument("--keep", action="store_true", help="keep (and reuse) the benchmark database")
    parser.add_argument("--profile", action="store_true", help="profile one reschedule")
    args = parser.parse_args()

    import django
    from django.conf import settings

    django.setup()
    from django.db import connection

    settings.KRAI_TWO_FACTOR_ROLES = []
    logging.getLogger("axes").setLevel(logging.WARNING)
    test = settings.DATABASES["default"].setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test["NAME"] = str(Path(tempfile.gettempdir()) / "krai-bench-projects.sqlite3")
    else:
        test["NAME"] = f"{connection.settings_dict['NAME']}_bench_projects"
    started = time.perf_counter()
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=args.keep)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}), ready in "
          f"{time.perf_counter() - started:.1f} s")
    try:
        run(args)
    finally:
        creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)


if __name__ == "__main__":
    main()
