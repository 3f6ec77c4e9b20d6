"""What a project's plan says when read whole: progress and money rolled up the tree, the critical path,
lateness, slippage against a baseline, and the project's health.

Rolled-up progress is weighted by duration in working days (a week-long task counts five times a one-day
one; a control point counts as one day), as MS Project and OpenProject do. Budgets add up from the leaves;
an item with parts shows the sum of its parts, and its own figure only when it has none.

Health (one word with its reasons):

* **late** — a control point or an item on the critical path is past its planned finish and not finished, or
  the plan ends after the project's end date;
* **at risk** — an item off the critical path is past its planned finish and unfinished, or the critical
  path slipped against the latest baseline, or an open risk is of high probability and high impact;
* **on track** — none of these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from krai.core.workcalendar.index import WorkingDays
from krai.projects import scheduling
from krai.projects.models import Baseline, Dependency, Project, Risk, WorkItem

HEALTH = {"on_track": pgettext_lazy("project health", "on track"),
          "at_risk": pgettext_lazy("project health", "at risk"),
          "late": pgettext_lazy("project health", "late")}


@dataclass
class Row:
    item: WorkItem
    has_parts: bool = False
    progress: int = 0
    budget_planned: Decimal = Decimal("0")
    budget_spent: Decimal = Decimal("0")
    float_days: int | None = None
    critical: bool = False
    overdue: bool = False
    weight: int = 1


@dataclass
class Analysis:
    project: Project
    today: date
    rows: list[Row]
    by_id: dict[int, Row]
    health: str = "on_track"
    reasons: list[str] = field(default_factory=list)
    progress: int = 0
    budget_planned: Decimal = Decimal("0")
    budget_spent: Decimal = Decimal("0")
    planned_finish: date | None = None

    @property
    def health_label(self) -> str:
        return str(HEALTH[self.health])

    @property
    def critical_ids(self) -> set[int]:
        return {pk for pk, row in self.by_id.items() if row.critical}


def _graph(items: list[WorkItem], cal: WorkingDays) -> scheduling.Graph:
    nodes = {}
    for item in items:
        start = cal.on_or_after(item.planned_start)
        finish = max(start, cal.on_or_before(item.planned_finish))
        nodes[item.pk] = scheduling.Node(id=item.pk, start=start, finish=finish, parent=item.parent_id,
                                         milestone=item.is_milestone, done=item.is_done)
    ids = set(nodes)
    # one end joined (both ends made SQLite pick a slow plan); links from another project are dropped by ``ids``
    links = [scheduling.Link(p, s, t, lag) for p, s, t, lag in Dependency.objects.filter(
        successor__project_id=items[0].project_id).values_list(
        "predecessor_id", "successor_id", "type", "lag") if p in ids and s in ids] if items else []
    return scheduling.Graph(nodes=nodes, links=links)


def analyse(project: Project, *, items: list[WorkItem] | None = None, today: date | None = None) -> Analysis:
    today = today or timezone.localdate()
    if items is None:
        items = list(WorkItem.objects.filter(project=project).select_related("owner_organisation", "responsible")
                     .order_by("path"))
    rows = [Row(item=item) for item in items]
    by_id = {row.item.pk: row for row in rows}
    result = Analysis(project=project, today=today, rows=rows, by_id=by_id)
    if not items:
        return result
    years = [i.planned_start.year for i in items] + [i.planned_finish.year for i in items] + [today.year]
    cal = WorkingDays(min(years) - 1, max(years) + 1)
    graph = _graph(items, cal)
    parents = {item.parent_id for item in items if item.parent_id}
    leaves = {item.pk for item in items if item.pk not in parents}
    floats = scheduling.critical_path(graph, leaves)
    # leaves first: their own figures; then parents, deepest first, as sums of their children
    for row in rows:
        item = row.item
        row.has_parts = item.pk in parents
        node = graph.nodes[item.pk]
        row.weight = max(1, node.finish - node.start + 1) if not item.is_milestone else 1
        if not row.has_parts:
            row.progress = 100 if item.is_done else item.progress
            row.budget_planned, row.budget_spent = item.budget_planned, item.budget_spent
            row.float_days = floats.get(item.pk)
            row.critical = not item.is_done and row.float_days is not None and row.float_days <= 0
        row.overdue = not item.is_done and item.planned_finish < today
    sums: dict[int, list] = {}
    for row in sorted(rows, key=lambda r: -r.item.depth):
        if row.has_parts:
            weight, done, planned, spent, critical = sums.get(row.item.pk, [0, 0, Decimal(0), Decimal(0), False])
            row.progress = round(done / weight) if weight else 0
            row.budget_planned, row.budget_spent, row.critical = planned, spent, critical
            row.overdue = row.overdue and row.progress < 100
        parent = row.item.parent_id
        if parent is not None:
            bucket = sums.setdefault(parent, [0, 0, Decimal(0), Decimal(0), False])
            weight = row.weight if not row.has_parts else sums.get(row.item.pk, [row.weight])[0]
            bucket[0] += weight
            bucket[1] += row.progress * weight
            bucket[2] += row.budget_planned
            bucket[3] += row.budget_spent
            bucket[4] = bucket[4] or row.critical
    top = [row for row in rows if row.item.parent_id is None]
    total_weight = sum((sums.get(r.item.pk, [r.weight])[0] if r.has_parts else r.weight) for r in top)
    result.progress = round(sum(r.progress * (sums.get(r.item.pk, [r.weight])[0] if r.has_parts else r.weight)
                                for r in top) / total_weight) if total_weight else 0
    result.budget_planned = sum((r.budget_planned for r in top), Decimal(0))
    result.budget_spent = sum((r.budget_spent for r in top), Decimal(0))
    result.planned_finish = max(item.planned_finish for item in items)
    _health(result, leaves)
    return result


def _health(result: Analysis, leaves: set[int]) -> None:
    late, risk = [], []
    for row in result.rows:
        item = row.item
        if not row.overdue or row.item.pk not in leaves:
            continue
        label = f"{item.wbs} {item.title}"
        if item.is_milestone:
            late.append(_("Control point «%(i)s» was due %(d)s.") % {"i": label,
                                                                     "d": item.planned_finish.strftime("%d.%m.%Y")})
        elif row.critical:
            late.append(_("«%(i)s» on the critical path was due %(d)s.") % {
                "i": label, "d": item.planned_finish.strftime("%d.%m.%Y")})
        else:
            risk.append(_("«%(i)s» was due %(d)s.") % {"i": label, "d": item.planned_finish.strftime("%d.%m.%Y")})
    project = result.project
    if result.planned_finish and result.planned_finish > project.ends_on:
        late.append(_("The plan ends %(p)s, after the project's end date %(e)s.") % {
            "p": result.planned_finish.strftime("%d.%m.%Y"), "e": project.ends_on.strftime("%d.%m.%Y")})
    baseline = project.baselines.order_by("-created_at", "-id").first()
    if baseline is not None:
        slipped = [s for s in slippage(result, baseline) if s.finish_days > 0 and s.row and s.row.critical]
        if slipped:
            worst = max(slipped, key=lambda s: s.finish_days)
            risk.append(_("The critical path slipped %(n)s days against the baseline «%(b)s» (at «%(i)s»).") % {
                "n": worst.finish_days, "b": baseline.name, "i": worst.title})
    if Risk.objects.filter(project=project, is_open=True, probability=Risk.Level.HIGH,
                           impact=Risk.Level.HIGH).exists():
        risk.append(_("An open risk of high probability and high impact."))
    if late:
        result.health, result.reasons = "late", late + risk
    elif risk:
        result.health, result.reasons = "at_risk", risk
    else:
        result.health, result.reasons = "on_track", []


@dataclass
class Slip:
    item_id: int | None
    wbs: str
    title: str
    row: Row | None
    baseline_start: date | None
    baseline_finish: date | None
    start: date | None
    finish: date | None
    start_days: int = 0
    finish_days: int = 0
    status: str = "same"  # same | moved | added | removed


def slippage(result: Analysis, baseline: Baseline) -> list[Slip]:
    """Each item against ``baseline``: days its start and finish moved (calendar days; later is positive)."""
    slips: list[Slip] = []
    saved = {b.item_id: b for b in baseline.items.all()}
    for row in result.rows:
        item, old = row.item, saved.pop(row.item.pk, None)
        if old is None:
            slips.append(Slip(item.pk, item.wbs, item.title, row, None, None, item.planned_start, item.planned_finish,
                              status="added"))
            continue
        start_days = (item.planned_start - old.planned_start).days
        finish_days = (item.planned_finish - old.planned_finish).days
        slips.append(Slip(item.pk, item.wbs, item.title, row, old.planned_start, old.planned_finish,
                          item.planned_start, item.planned_finish, start_days, finish_days,
                          "moved" if start_days or finish_days else "same"))
    for old in saved.values():
        slips.append(Slip(None, old.wbs, old.title, None, old.planned_start, old.planned_finish, None, None,
                          status="removed"))
    return slips


def analyse_all(projects, *, today: date | None = None) -> list[Analysis]:
    """``analyse`` of each project (the list page and the monitoring tile count the same way)."""
    today = today or timezone.localdate()
    return [analyse(project, today=today) for project in projects]


def health_counts(results: list[Analysis]) -> dict[str, int]:
    return {key: sum(1 for r in results if r.health == key) for key in HEALTH}
