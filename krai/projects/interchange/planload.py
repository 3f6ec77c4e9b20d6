"""A plan read from a table, checked whole and stored in bulk.

Each row was typed and checked alone by the import kernel (``importers.PlanImporter.check_row``); here the
rows are checked together — numbers unique, every parent present, a child within its parent's dates, no
parts under a control point, every predecessor known, no link to the item itself or its own part, no loop —
and every problem is reported with the row it is on. A good set is stored in one transaction:

* **the bulk path.** ``services.item_create`` and ``services.dependency_add`` load and re-plan the programme
  on every call, which is quadratic in a plan of thousands of rows; an import writes the items level by level
  with ``bulk_create`` (paths numbered as ``item_create`` numbers them), the links with one more, opens the
  control engine's assignments of the controlled items through ``binding.sync`` (as ``item_create``
  does), and records **one** event, ``projects.plan_imported``, with the counts.
* **dates are kept as the file gives them.** The links are stored but nothing is moved: a link the file's
  dates do not hold is counted in the summary (``links_not_held``); the next move re-plans what follows.
* **append or replace.** Into a project without items the rows are simply stored. A project with a plan
  takes them only with an explicit mode: ``append`` (new top-level items after the existing ones) or
  ``replace`` (every existing item, its links and its open assignments are removed first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.core.workcalendar.index import WorkingDays
from krai.projects import binding, scheduling
from krai.projects.interchange import wbsrows
from krai.projects.models import Dependency, Project, WorkItem
from krai.projects.services.items import MAX_DEPTH
from krai.projects.validation import dates, inside_parent, money

MODES = ("", "append", "replace")


class PlanErrors(Exception):
    """Rows that cannot be stored: ``errors`` holds (row index, column, value, reason)."""

    def __init__(self, errors: list[tuple[int, str, str, str]]) -> None:
        super().__init__("plan rows rejected")
        self.errors = errors


@dataclass(eq=False)
class Entry:
    index: int
    wbs: tuple[int, ...]
    kind: str
    title: str
    start: date
    finish: date
    row: dict
    parent: Entry | None = None
    children: list[Entry] = field(default_factory=list)
    preds: list[wbsrows.Pred] = field(default_factory=list)
    item: WorkItem | None = None


def _cell(row: dict, name: str) -> str:
    value = row.get(name)
    return "" if value is None else str(value)


def _entries(rows: list[dict], errors: list) -> list[Entry]:
    entries: list[Entry] = []
    for index, row in enumerate(rows):
        try:
            wbs = wbsrows.parse_wbs(row.get("wbs"))
            kind = wbsrows.parse_kind(row.get("kind")) or ""
            preds = wbsrows.parse_predecessors(row.get("predecessors"))
        except ValueError as exc:  # checked row by row before; kept for a caller that skipped it
            errors.append((index, "wbs", _cell(row, "wbs"), str(exc)))
            continue
        finish = row.get("planned_finish")
        start = finish if kind == WorkItem.Kind.CONTROL_POINT or row.get("planned_start") is None \
            else row["planned_start"]
        entries.append(Entry(index, wbs, kind, (row.get("title") or "").strip(), start, finish, row, preds=preds))
    return entries


def _tree(entries: list[Entry], errors: list) -> list[Entry]:
    """Parents found by number; kinds defaulted; the roots in order. Problems go to ``errors``."""
    by_wbs: dict[tuple[int, ...], Entry] = {}
    for entry in entries:
        if entry.wbs in by_wbs:
            errors.append((entry.index, "wbs", wbsrows.wbs_text(entry.wbs), _(
                "The number %(wbs)s is given twice.") % {"wbs": wbsrows.wbs_text(entry.wbs)}))
        else:
            by_wbs[entry.wbs] = entry
    roots = []
    for entry in sorted(by_wbs.values(), key=lambda e: e.wbs):
        if len(entry.wbs) > MAX_DEPTH:
            errors.append((entry.index, "wbs", wbsrows.wbs_text(entry.wbs), _(
                "The breakdown may be at most %(n)s levels deep.") % {"n": MAX_DEPTH}))
        if len(entry.wbs) == 1:
            roots.append(entry)
            continue
        parent = by_wbs.get(entry.wbs[:-1])
        if parent is None:
            errors.append((entry.index, "wbs", wbsrows.wbs_text(entry.wbs), _(
                "There is no row %(parent)s for this row to be a part of.") % {
                "parent": wbsrows.wbs_text(entry.wbs[:-1])}))
            continue
        entry.parent = parent
        parent.children.append(entry)
    for entry in by_wbs.values():
        if not entry.kind:
            entry.kind = WorkItem.Kind.STAGE if entry.children else WorkItem.Kind.TASK
        if entry.children and entry.kind == WorkItem.Kind.CONTROL_POINT:
            errors.append((entry.index, "kind", _cell(entry.row, "kind"), _("A control point cannot have parts.")))
        if entry.kind == WorkItem.Kind.CONTROL_POINT:
            entry.start = entry.finish
        if len(entry.children) > 9999:
            errors.append((entry.index, "wbs", wbsrows.wbs_text(entry.wbs),
                           _("An item may have at most 9999 children.")))
        try:
            dates(entry.start, entry.finish)
        except ValidationError as exc:
            errors.append((entry.index, "planned_finish", _cell(entry.row, "planned_finish"), exc.messages[0]))
            continue
        parent = entry.parent
        if parent is not None and isinstance(parent.start, date) and isinstance(parent.finish, date) \
                and parent.start <= parent.finish:
            frame = WorkItem(path=_path(parent.wbs), title=parent.title, planned_start=parent.start,
                             planned_finish=parent.finish)
            try:
                inside_parent(frame, entry.start, entry.finish)
            except ValidationError as exc:
                errors.append((entry.index, "planned_start", _cell(entry.row, "planned_start"), exc.messages[0]))
    return roots


def _path(wbs: tuple[int, ...]) -> str:
    return "".join(f"{part:04d}." for part in wbs)


def _links(entries: list[Entry], errors: list) -> list[tuple[Entry, Entry, wbsrows.Pred]]:
    by_wbs = {e.wbs: e for e in entries}
    links, seen = [], set()
    for entry in entries:
        for pred in entry.preds:
            source = by_wbs.get(pred.wbs)
            text = _cell(entry.row, "predecessors")
            if source is None:
                errors.append((entry.index, "predecessors", text, _("There is no row %(wbs)s in the file.")
                               % {"wbs": wbsrows.wbs_text(pred.wbs)}))
            elif source is entry:
                errors.append((entry.index, "predecessors", text, _("An item cannot depend on itself.")))
            elif entry.wbs[:len(source.wbs)] == source.wbs or source.wbs[:len(entry.wbs)] == entry.wbs:
                errors.append((entry.index, "predecessors", text,
                               _("An item cannot depend on its own part or on the item it is part of.")))
            elif (source.index, entry.index) in seen:
                errors.append((entry.index, "predecessors", text, _("These items are already linked.")))
            else:
                seen.add((source.index, entry.index))
                links.append((source, entry, pred))
    return links


def _loop(links: list[tuple[Entry, Entry, wbsrows.Pred]]) -> list[Entry]:
    """The items of one loop of the links, in order, or [] when they make none."""
    incoming: dict[Entry, list[Entry]] = {}
    outgoing: dict[Entry, list[Entry]] = {}
    for source, target, _pred in links:
        incoming.setdefault(target, []).append(source)
        outgoing.setdefault(source, []).append(target)
    waiting = {e: len(incoming.get(e, ())) for e in {*incoming, *outgoing}}
    ready = [e for e, n in waiting.items() if n == 0]
    while ready:
        for target in outgoing.get(ready.pop(), ()):
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    left = {e for e, n in waiting.items() if n > 0}
    if not left:
        return []
    walk: list[Entry] = [min(left, key=lambda e: e.index)]
    while True:  # every item left has a predecessor left: walking back must come round
        step = next(s for s in incoming[walk[-1]] if s in left)
        if step in walk:
            return list(reversed(walk[walk.index(step):]))
        walk.append(step)


def check(rows: list[dict]) -> tuple[list[Entry], list[tuple[Entry, Entry, wbsrows.Pred]]]:
    """The rows as a tree with its links, or PlanErrors with every problem found."""
    errors: list[tuple[int, str, str, str]] = []
    entries = _entries(rows, errors)
    roots = _tree(entries, errors)
    links = _links(entries, errors)
    if not errors:
        loop = _loop(links)
        if loop:
            names = " → ".join(wbsrows.wbs_text(e.wbs) for e in [*loop, loop[0]])
            for entry in loop:
                errors.append((entry.index, "predecessors", _cell(entry.row, "predecessors"),
                               _("The dependencies make a loop: %(items)s.") % {"items": names}))
    if errors:
        raise PlanErrors(sorted(errors, key=lambda e: e[0]))
    return roots, links


def _walk(entries: list[Entry]):
    for entry in entries:
        yield entry
        yield from _walk(entry.children)


def _not_held(links: list[tuple[Entry, Entry, wbsrows.Pred]]) -> int:
    if not links:
        return 0
    years = [d.year for s, t, _p in links for d in (s.start, s.finish, t.start, t.finish)]
    cal = WorkingDays(min(years) - 1, max(years) + 1)

    def node(e: Entry) -> scheduling.Node:
        first = cal.on_or_after(e.start)
        return scheduling.Node(id=e.index, start=first, finish=max(first, cal.on_or_before(e.finish)),
                               milestone=e.kind == WorkItem.Kind.CONTROL_POINT)
    return sum(1 for s, t, p in links if scheduling.earliest_start(
        scheduling.Link(s.index, t.index, p.type, p.lag), node(s), node(t)) > node(t).start)


def _clear(project: Project) -> int:
    items = list(WorkItem.objects.filter(project=project).select_related("project"))
    for item in items:
        if item.kind in WorkItem.CONTROLLED and item.owner_organisation_id is not None:
            binding.cancel(item, _("The project's plan was replaced by an import."))
    WorkItem.objects.filter(project=project).delete()
    return len(items)


def store(project: Project, rows: list[dict], *, actor, mode: str = "", source: str = "xlsx",
          record_id: int | None = None) -> dict:
    """Check ``rows`` whole and store them (see the module's text); PlanErrors or ValidationError otherwise.

    The caller holds the transaction; ``rows`` carry typed values and resolved ``organisation`` and ``person``.
    """
    if mode not in MODES:
        raise ValidationError(_("Choose whether to append to the plan or replace it."), code="mode")
    Project.objects.select_for_update().filter(programme_id=project.programme_id).values_list("pk", flat=True).first()
    roots, links = check(rows)
    existing = WorkItem.objects.filter(project=project, parent=None)
    offset, replaced = 0, 0
    if existing.exists():
        if mode == "replace":
            replaced = _clear(project)
        elif mode == "append":
            offset = max(int(path.rstrip(".").split(".")[-1]) for path in existing.values_list("path", flat=True))
        else:
            raise ValidationError(_("The project already has a plan: choose to append the rows to it or to replace "
                                    "it."), code="has_plan")
    if offset + len(roots) > 9999:
        raise ValidationError(_("An item may have at most 9999 children."), code="too_many")
    level = [(entry, offset + number) for number, entry in enumerate(roots, start=1)]
    created = 0
    while level:
        objects = []
        for entry, number in level:
            row, parent = entry.row, entry.parent.item if entry.parent else None
            entry.item = WorkItem(
                project=project, parent=parent, path=(parent.path if parent else "") + f"{number:04d}.",
                depth=parent.depth + 1 if parent else 0, kind=entry.kind, title=entry.title[:500],
                description=row.get("description") or "", owner_organisation=row.get("organisation"),
                responsible=row.get("person"), planned_start=entry.start, planned_finish=entry.finish,
                budget_planned=money(row.get("budget_planned"), "budget_planned") if row.get("budget_planned")
                is not None else Decimal("0"), pinned=bool(row.get("pinned")))
            objects.append(entry.item)
        WorkItem.objects.bulk_create(objects, batch_size=500)
        created += len(objects)
        level = [(child, number) for entry, _n in level
                 for number, child in enumerate(entry.children, start=1)]
    Dependency.objects.bulk_create([
        Dependency(programme_id=project.programme_id, predecessor=source.item, successor=target.item,
                   type=pred.type, lag=pred.lag) for source, target, pred in links], batch_size=500)
    for entry in _walk(roots):
        if entry.kind in WorkItem.CONTROLLED and entry.item.owner_organisation_id is not None:
            entry.item.project = project
            binding.sync(entry.item)
    summary = {"created": created, "links": len(links), "replaced": replaced, "links_not_held": _not_held(links)}
    record_event(kind="projects.plan_imported", actor=actor, subject=project,
                 payload={**summary, "mode": mode or "new", "format": source, "import": record_id})
    return summary
