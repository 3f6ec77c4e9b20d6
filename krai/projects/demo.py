"""Demo programmes and projects: two national projects' regional parts (roads, health), a third (education) and
a regional programme (clean water) — five projects of 20–50 items in three or four levels, with dependencies
of all four types and lags, executors among the demo's bodies, municipalities and people, a baseline saved at
the start and dates moved since (slippage), work finished in the past, some of it late, risks, reports and
the monitoring's target indicators (``krai.projects.demo_data`` holds the texts).

Dates are reckoned from today in working days, so the demo stays current: the plan is laid out in memory with
the projects' own scheduler (``scheduling.replan`` over the demo's links), then written through the services
(items, links, baseline, re-plan, progress), which open the control engine's assignments of the tasks and
control points. Idempotent: programmes by code; a project that exists is left as it is.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TextIO

from django.utils import timezone

from krai.core.demo import demo_loader
from krai.core.workcalendar.index import WorkingDays
from krai.orders.services.control import quiet
from krai.org.models import Organisation, User
from krai.projects import scheduling, services
from krai.projects.demo_data import PROGRAMMES, PROJECTS, Spec
from krai.projects.models import Baseline, Programme, Project, WorkItem

DOMAIN = "demo.krai"
BASELINE = "Базовый план (паспорт проекта)"
Kind = WorkItem.Kind


@dataclass
class Entry:
    key: str
    parent: str | None
    kind: str
    title: str
    duration: int = 0  # working days, a leaf's
    org: str | None = None
    who: str | None = None
    late: bool = False
    progress: int | None = None
    start: int = 0
    finish: int = 0
    budget: Decimal = Decimal(0)


@dataclass
class Layout:
    entries: dict[str, Entry]  # in outline order
    links: list[tuple[str, str, str, int]]  # (type, predecessor key, successor key, lag)


def _link(text: str) -> tuple[str, int]:
    kind, _, lag = text.partition("+")
    return kind, int(lag or 0)


def _leaves_of(task: Spec, key: str) -> list[tuple[str, Spec]]:
    subs = task.get("sub")
    return [(f"{key}.{m}", sub) for m, sub in enumerate(subs)] if subs else [(key, task)]


def _plan_project(spec: Spec, layout: Layout, base: int, floors: dict[str, int]) -> None:
    """Entries and links of one project (keys "code:…"); ``floors``: the earliest start of each leaf."""
    code, entries, links = spec["code"], layout.entries, layout.links

    def add(entry: Entry, floor: int | None = None) -> str:
        entries[entry.key] = entry
        if floor is not None:
            floors[entry.key] = floor
        return entry.key

    previous_stage_end: str | None = None
    for i, stage in enumerate(spec["stages"]):
        stage_key = add(Entry(f"{code}:s{i}", None, Kind.STAGE, stage["title"], org=spec["owner"]))
        floor = base + stage.get("offset", 0)
        first_of_previous: str | None = None
        end_of_previous: str | None = None
        for j, result in enumerate(stage["results"]):
            result_key = add(Entry(f"{code}:s{i}r{j}", stage_key, Kind.RESULT, result["title"], org=result["org"],
                                   who=result["who"]))
            tail: str | None = None
            first: str | None = None
            for k, task in enumerate(result["tasks"]):
                key = f"{code}:{task['key']}" if "key" in task else f"{result_key}t{k}"
                leaves = _leaves_of(task, key)
                if task.get("sub"):
                    add(Entry(key, result_key, Kind.TASK, task["title"]))  # its parts are on control, not it
                for m, (leaf_key, leaf) in enumerate(leaves):
                    add(Entry(leaf_key, key if task.get("sub") else result_key, Kind.TASK, leaf["title"],
                              duration=leaf["duration"], org=leaf.get("org", task.get("org", result["org"])),
                              who=leaf.get("who", task.get("who", result["who"])), late=bool(task.get("late")),
                              progress=task.get("progress")), floor)
                    if m > 0:
                        links.append(("FS", leaves[m - 1][0], leaf_key, 0))
                head = leaves[0][0]
                if tail is not None:
                    kind, lag = _link(task.get("link") or ("SS+0" if task.get("side") else "FS+0"))
                    links.append((kind, tail, head, lag))
                first = first or head
                if not task.get("side"):
                    tail = leaves[-1][0]
            if first_of_previous is not None and result.get("after") == "fs":
                links.append(("FS", end_of_previous, first, 1))
            elif first_of_previous is not None:
                links.append(("SS", first_of_previous, first, result.get("stagger", 10)))
            elif previous_stage_end is not None and "offset" not in stage:
                links.append(("FS", previous_stage_end, first, 1))
            end = tail
            if result.get("cp"):
                cp_key = f"{code}:{result['cp_key']}" if "cp_key" in result else f"{result_key}cp"
                end = add(Entry(cp_key, result_key, Kind.CONTROL_POINT, result["cp"], org=result["org"],
                                who=result["who"], late=bool(result.get("cp_late"))), floor)
                links.append(("FF", tail, cp_key, 0))
            first_of_previous, end_of_previous = first, end
        previous_stage_end = end_of_previous
    for kind, pred, succ, lag in spec.get("links", ()):
        links.append((kind, pred if ":" in pred else f"{code}:{pred}", succ if ":" in succ else f"{code}:{succ}",
                      lag))


def _lay_out(specs: list[Spec], cal: WorkingDays, today_wd: int) -> Layout:
    """Entries of ``specs`` (one programme) with working-day dates that satisfy every link, parents framing
    their parts, and each project's budget spread over its tasks by duration."""
    layout, floors = Layout(entries={}, links=[]), {}
    for spec in specs:
        _plan_project(spec, layout, today_wd - spec["started"], floors)
    entries = layout.entries
    nodes = {key: scheduling.Node(id=n, start=floors[key], finish=floors[key] + max(0, entries[key].duration - 1),
                                  milestone=entries[key].kind == Kind.CONTROL_POINT)
             for n, key in enumerate(entries) if key in floors}
    by_number = {node.id: key for key, node in nodes.items()}
    graph = scheduling.Graph(nodes={node.id: node for node in nodes.values()},
                             links=[scheduling.Link(nodes[p].id, nodes[s].id, t, lag)
                                    for t, p, s, lag in layout.links if p in nodes and s in nodes])
    sources = {node.id for node in nodes.values() if not graph.incoming.get(node.id)}
    scheduling.replan(graph, sources)
    for number, node in graph.nodes.items():
        entry = entries[by_number[number]]
        entry.start, entry.finish = node.start, node.finish
    framed: set[str] = set()
    for entry in reversed(list(entries.values())):  # children come after their parents
        if entry.parent is not None:
            parent = entries[entry.parent]
            if entry.parent in framed:
                parent.start, parent.finish = min(parent.start, entry.start), max(parent.finish, entry.finish)
            else:
                parent.start, parent.finish = entry.start, entry.finish
                framed.add(entry.parent)
    for spec in specs:
        tasks = [e for e in entries.values() if e.key.startswith(spec["code"] + ":") and e.key in floors
                 and e.kind == Kind.TASK]
        total = sum(e.duration for e in tasks)
        for entry in tasks:
            entry.budget = (Decimal(spec["budget"]) * entry.duration / total).quantize(Decimal("0.01"))
    return layout


class _Writer:
    def __init__(self, today: date, cal: WorkingDays, rng: random.Random) -> None:
        self.today, self.cal, self.rng = today, cal, rng
        self.orgs = {o.code: o for o in Organisation.objects.all()}
        self.users = {u.email.removesuffix(f"@{DOMAIN}"): u for u in User.objects.filter(
            email__endswith=f"@{DOMAIN}", is_staff=True, is_active=True)}
        self.items: dict[str, WorkItem] = {}

    def day(self, number: int) -> date:
        return self.cal.day(number)

    def programme(self, spec: Spec, starts_on: date, ends_on: date) -> Programme:
        found = Programme.objects.filter(code=spec["code"]).first()
        return found or services.programme_create(
            actor=None, code=spec["code"], title=spec["title"], level=spec["level"], description=spec["description"],
            owner_organisation=self.orgs[spec["owner"]], curator=self.users.get(spec["curator"]),
            starts_on=starts_on, ends_on=ends_on)

    def project(self, spec: Spec, programme: Programme, layout: Layout) -> Project:
        from krai.monitoring.indicators.models import Indicator

        own = [e for e in layout.entries.values() if e.key.startswith(spec["code"] + ":")]
        project = services.project_create(
            actor=None, programme=programme, code=spec["code"], title=spec["title"], goal=spec["goal"],
            owner_organisation=self.orgs[spec["owner"]], manager=self.users.get(spec["manager"]),
            curator=self.users.get(spec["curator"]), budget_planned=spec["budget"],
            starts_on=self.day(min(e.start for e in own)),
            ends_on=self.day(max(e.finish for e in own)) + timedelta(days=spec.get("margin", 45)),
            indicators=list(Indicator.objects.filter(code__in=spec.get("indicators", ()))))
        for entry in own:
            self.items[entry.key] = services.item_create(
                actor=None, project=project, parent=self.items.get(entry.parent) if entry.parent else None,
                title=entry.title, kind=entry.kind, planned_start=self.day(entry.start),
                planned_finish=self.day(entry.finish), owner_organisation=self.orgs.get(entry.org or ""),
                responsible=self.users.get(entry.who or ""), budget_planned=entry.budget, today=self.today)
        return project

    def baseline_and_slips(self, spec: Spec, project: Project) -> None:
        baseline = services.baseline_save(actor=None, project=project, name=BASELINE)
        saved = timezone.make_aware(datetime.combine(project.starts_on + timedelta(days=5), time(10, 0)))
        Baseline.objects.filter(pk=baseline.pk).update(created_at=saved)  # saved when the passport was approved
        for key, days in spec.get("slips", ()):
            item = WorkItem.objects.select_related("parent", "project").get(pk=self.items[f"{spec['code']}:{key}"].pk)
            if item.parent is not None:
                days = min(days, (item.parent.planned_finish - item.planned_finish).days)
            if days > 0:
                services.reschedule(actor=None, project=project, confirm=True, today=self.today, moves={
                    item: (item.planned_start + timedelta(days=days), item.planned_finish + timedelta(days=days))})

    def progress(self, project: Project, late_keys: dict[int, Entry]) -> None:
        """Finish what the plan put in the past (a few days early or late), report progress on what is under
        way; the items the demo keeps late stay unfinished."""
        today = self.today
        leaves = (WorkItem.objects.filter(project=project, children__isnull=True).select_related("project")
                  .order_by("planned_finish", "path"))
        for item in leaves:
            entry = late_keys.get(item.pk)
            late = entry is not None and entry.late
            if item.planned_start > today or (item.is_milestone and (late or item.planned_finish >= today)):
                continue
            spent = item.budget_planned * Decimal(self.rng.choice(("0.92", "0.97", "1.00")))
            if item.planned_finish < today and not late:
                finish = min(today, item.planned_finish + timedelta(days=self.rng.choice((-2, -1, 0, 0, 0, 1, 3, 6))))
                finish = max(finish, item.planned_start)
                services.item_progress(actor=None, item=item, actual_start=item.planned_start, actual_finish=finish,
                                       budget_spent=spent.quantize(Decimal("0.01")), today=today)
                continue
            span = max(1, (item.planned_finish - item.planned_start).days)
            share = (entry.progress if late and entry.progress is not None
                     else min(95, max(5, round(100 * (today - item.planned_start).days / span))))
            services.item_progress(actor=None, item=item, progress=share, actual_start=item.planned_start,
                                   budget_spent=(spent * share / 100).quantize(Decimal("0.01")), today=today)

    def notes(self, spec: Spec, project: Project) -> None:
        manager = project.manager
        for title, probability, impact, mitigation, is_open in spec.get("risks", ()):
            risk = services.risk_add(actor=manager, project=project, title=title, probability=probability,
                                     impact=impact, mitigation=mitigation)
            if not is_open:
                services.risk_update(actor=manager, risk=risk, is_open=False)
        for days_ago, text in sorted(spec.get("reports", ()), reverse=True):
            services.status_report_add(actor=manager, project=project, text=text,
                                       reported_on=self.today - timedelta(days=days_ago))


@demo_loader(order=80)
def load_projects(*, scale: int, stdout: TextIO, rng: random.Random) -> list[str]:
    today = timezone.localdate()
    cal = WorkingDays(today.year - 3, today.year + 4)
    today_wd = cal.on_or_before(today)
    writer = _Writer(today, cal, rng)
    needed = {s["owner"] for s in PROGRAMMES} | {s["owner"] for s in PROJECTS}
    if not needed <= set(writer.orgs):
        stdout.write("  projects: the structure lacks some bodies; skipped\n")
        return []
    made = 0
    with quiet():
        for programme_spec in PROGRAMMES:
            specs = [s for s in PROJECTS if s["programme"] == programme_spec["code"]]
            fresh = [s for s in specs if not Project.objects.filter(code=s["code"]).exists()]
            if not fresh:
                continue
            layout = _lay_out(specs, cal, today_wd)
            first = min(e.start for e in layout.entries.values())
            last = max(e.finish for e in layout.entries.values())
            programme = writer.programme(programme_spec, date(writer.day(first).year, 1, 1),
                                         max(date(today.year + 4, 12, 31), writer.day(last) + timedelta(days=90)))
            projects = {s["code"]: writer.project(s, programme, layout) for s in fresh}
            for kind, pred, succ, lag in layout.links:
                if pred in writer.items and succ in writer.items:
                    services.dependency_add(actor=None, predecessor=writer.items[pred],
                                            successor=writer.items[succ], type=kind, lag=lag, confirm=True,
                                            today=today)
            by_pk = {writer.items[key].pk: entry for key, entry in layout.entries.items() if key in writer.items}
            for spec in fresh:
                project = projects[spec["code"]]
                writer.baseline_and_slips(spec, project)
                writer.progress(project, by_pk)
                writer.notes(spec, project)
                made += 1
    items = WorkItem.objects.filter(project__code__in=[s["code"] for s in PROJECTS]).count()
    stdout.write(f"  projects: {made} new projects, {items} work items in {len(PROJECTS)} demo projects\n")
    return [f"{'head.health@' + DOMAIN:<34} a project manager (/workspace/projects/p/zdrav-primary-care/)"]
