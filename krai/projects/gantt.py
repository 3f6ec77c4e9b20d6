"""The roadmap's data: a project's plan as the rows of a Gantt chart (frappe-gantt's task objects) and as the
rows of its PDF.

One read of the plan (the fields the chart needs, no related rows), one ``analysis.analyse`` call for the
rolled-up progress and the critical path, one query for the links and one for the chosen baseline: the cost
stays a handful of queries whatever the size of the plan.

``custom_class`` lists the row's states, space-separated: ``critical`` (on the critical path), ``milestone``
(a control point), ``parent`` (an item with parts), ``done`` (finished), ``late`` (past its planned finish
and unfinished). frappe-gantt 1.2 adds ``custom_class`` with ``classList.add``, which refuses spaces, so the
page's script splits it (``static/projects/gantt-chart.js``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from krai.projects import analysis
from krai.projects.models import Baseline, BaselineItem, Dependency, Project, WorkItem

FIELDS = ("id", "project_id", "parent_id", "path", "depth", "kind", "title", "planned_start", "planned_finish",
          "actual_start", "actual_finish", "progress", "budget_planned", "budget_spent", "pinned")


@dataclass
class Row:
    id: int
    parent_id: int | None
    depth: int
    wbs: str
    title: str
    kind: str
    start: date
    finish: date
    progress: int
    critical: bool
    milestone: bool
    parent: bool
    done: bool
    late: bool
    float_days: int | None
    predecessors: list[int]
    baseline: tuple[date, date] | None = None

    @property
    def name(self) -> str:
        return f"{self.wbs} {self.title}"

    @property
    def classes(self) -> list[str]:
        flags = (("critical", self.critical), ("milestone", self.milestone), ("parent", self.parent),
                 ("done", self.done), ("late", self.late))
        return [name for name, on in flags if on]

    @property
    def slip_days(self) -> int | None:
        """Calendar days the finish moved against the baseline (later is positive); None without one."""
        return (self.finish - self.baseline[1]).days if self.baseline else None


@dataclass
class Roadmap:
    project: Project
    today: date
    rows: list[Row]
    result: analysis.Analysis
    baseline: Baseline | None = None

    @property
    def start(self) -> date | None:
        return min((r.start for r in self.rows), default=None)

    @property
    def finish(self) -> date | None:
        return max((r.finish for r in self.rows), default=None)


def plan_items(project: Project) -> list[WorkItem]:
    """The plan in outline order, with only the fields the chart and the analysis read."""
    return list(WorkItem.objects.filter(project=project).only(*FIELDS).order_by("path"))


def roadmap(project: Project, *, baseline: Baseline | None = None, today: date | None = None) -> Roadmap:
    items = plan_items(project)
    result = analysis.analyse(project, items=items, today=today)
    ids = {item.pk for item in items}
    predecessors: dict[int, list[int]] = {}
    # one join only: SQLite plans the two-sided join as project × project
    for pred, succ in Dependency.objects.filter(successor__project_id=project.pk).values_list("predecessor_id",
                                                                                             "successor_id"):
        if pred in ids and succ in ids:
            predecessors.setdefault(succ, []).append(pred)
    saved: dict[int, tuple[date, date]] = {}
    if baseline is not None:
        saved = {pk: (start, finish) for pk, start, finish in BaselineItem.objects.filter(
            baseline=baseline, item__isnull=False).values_list("item_id", "planned_start", "planned_finish")}
    rows = []
    for row in result.rows:
        item = row.item
        milestone = item.is_milestone
        rows.append(Row(
            id=item.pk, parent_id=item.parent_id, depth=item.depth, wbs=item.wbs, title=item.title,
            kind=item.kind, start=item.planned_finish if milestone else item.planned_start,
            finish=item.planned_finish, progress=int(row.progress), critical=row.critical, milestone=milestone,
            parent=row.has_parts, done=item.is_done or (row.has_parts and row.progress >= 100),
            late=row.overdue, float_days=row.float_days, predecessors=predecessors.get(item.pk, []),
            baseline=saved.get(item.pk)))
    return Roadmap(project=project, today=result.today, rows=rows, result=result, baseline=baseline)


def tasks(chart: Roadmap) -> list[dict]:
    """The rows as frappe-gantt task objects (plus the fields the page's tooltip and baseline bars read)."""
    kinds = {value: str(label) for value, label in WorkItem.Kind.choices}
    out = []
    for row in chart.rows:
        task = {
            "id": str(row.id),
            "name": row.name,
            "start": row.start.isoformat(),
            "end": row.finish.isoformat(),
            "progress": row.progress,
            "dependencies": ", ".join(str(pk) for pk in row.predecessors),
            "custom_class": " ".join(row.classes),
            "critical": row.critical,
            "kind": kinds.get(row.kind, row.kind),
            "depth": row.depth,
            "float": row.float_days,
        }
        if row.baseline is not None:
            task["baseline_start"] = row.baseline[0].isoformat()
            task["baseline_end"] = row.baseline[1].isoformat()
            task["slip"] = row.slip_days
        out.append(task)
    return out


def payload(chart: Roadmap, *, editable: bool) -> dict:
    """The JSON of the chart endpoint."""
    baseline = chart.baseline
    return {
        "project": {"code": chart.project.code, "title": chart.project.title},
        "today": chart.today.isoformat(),
        "editable": editable,
        "health": chart.result.health,
        "health_label": chart.result.health_label,
        "baseline": {"id": baseline.pk, "name": baseline.name} if baseline is not None else None,
        "tasks": tasks(chart),
    }
