"""The database side of re-planning: load a programme's items and links once, let ``scheduling`` walk them in
memory, and say what would change — which items shift, and what that breaks (a control point moved, a child
leaving its parent's dates, a fixed item in the way).

A programme is the unit because links may cross its projects. Two queries load it (``values_list``, no model
instances), whatever its size; the walk is ``scheduling.replan``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from krai.core.workcalendar.index import WorkingDays
from krai.projects import scheduling
from krai.projects.models import Dependency, WorkItem


@dataclass
class Loaded:
    graph: scheduling.Graph
    calendar: WorkingDays
    paths: dict[int, str]  # id → its outline path ("0002.0001.")
    children: dict[int, list[int]]
    titles: dict[int, str] = field(default_factory=dict)  # fetched only for the items a message names

    def fetch_titles(self, ids: set[int]) -> None:
        wanted = [pk for pk in ids if pk not in self.titles]
        for start in range(0, len(wanted), 900):
            self.titles.update(WorkItem.objects.filter(pk__in=wanted[start:start + 900]).values_list("pk", "title"))


def load(programme_id: int, *, extra_dates: tuple[date, ...] = ()) -> Loaded:
    rows = list(WorkItem.objects.filter(project__programme_id=programme_id).values_list(
        "id", "planned_start", "planned_finish", "parent_id", "kind", "pinned", "actual_finish", "path"))
    links = list(Dependency.objects.filter(programme_id=programme_id).values_list(
        "predecessor_id", "successor_id", "type", "lag"))
    years = [d.year for d in extra_dates] + [r[1].year for r in rows] + [r[2].year for r in rows]
    calendar = WorkingDays(min(years, default=date.today().year) - 2, max(years, default=date.today().year) + 2)
    nodes: dict[int, scheduling.Node] = {}
    paths: dict[int, str] = {}
    children: dict[int, list[int]] = {}
    milestone = WorkItem.Kind.CONTROL_POINT
    for pk, start, finish, parent, kind, pinned, actual_finish, path in rows:
        first = calendar.on_or_after(start)
        nodes[pk] = scheduling.Node(id=pk, start=first, finish=max(first, calendar.on_or_before(finish)),
                                    parent=parent, milestone=kind == milestone, pinned=pinned,
                                    done=actual_finish is not None)
        paths[pk] = path
        if parent is not None:
            children.setdefault(parent, []).append(pk)
    graph = scheduling.Graph(nodes=nodes, links=[scheduling.Link(p, s, t, lag) for p, s, t, lag in links])
    return Loaded(graph=graph, calendar=calendar, paths=paths, children=children)


@dataclass
class Warning:
    item_id: int
    code: str  # control_point | parent | pinned
    message: str


@dataclass
class Plan:
    """What a move does: ``dates`` holds the new planned dates of every item that changes."""

    dates: dict[int, tuple[date, date]] = field(default_factory=dict)
    shifted: dict[int, int] = field(default_factory=dict)
    warnings: list[Warning] = field(default_factory=list)
    parents_widened: dict[int, tuple[date, date]] = field(default_factory=dict)


def _label(loaded: Loaded, pk: int) -> str:
    """"2.1 Title" of an item (its title fetched with the others a message names: ``Loaded.fetch_titles``)."""
    loaded.fetch_titles({pk})
    path, title = loaded.paths[pk], loaded.titles.get(pk, "")
    wbs = ".".join(str(int(part)) for part in path.split(".") if part)
    return f"{wbs} {title}"


MESSAGES = {
    "pinned": gettext_noop("«%(item)s» has fixed dates and is not moved: its link needs it %(days)s working days "
                           "later."),
    "control_point": gettext_noop("The control point «%(item)s» moves from %(old)s to %(new)s."),
    "parent": gettext_noop("«%(item)s» would end on %(end)s, outside «%(parent)s» (until %(frame)s); its dates are "
                           "widened."),
}


def _descendants(loaded: Loaded, pk: int) -> list[int]:
    found, stack = [], list(loaded.children.get(pk, ()))
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(loaded.children.get(current, ()))
    return found


def propose(loaded: Loaded, moves: dict[int, tuple[date, date]], walk_from: frozenset[int] = frozenset(),
            carry: frozenset[int] = frozenset()) -> Plan:
    """Apply ``moves`` (item → new planned start and finish) in memory and walk what follows.

    A parent in ``carry`` (moved whole: its duration in working days kept) carries its subtree with it. Raises
    ``scheduling.CycleError`` if the links loop. The caller has checked each move against its parent's dates.
    ``walk_from`` adds items that did not move but whose successors must be checked (a new link's predecessor).
    """
    cal, nodes = loaded.calendar, loaded.graph.nodes
    before = {pk: (node.start, node.finish) for pk, node in nodes.items()}
    moved: set[int] = set()
    for pk, (start, finish) in moves.items():
        node = nodes[pk]
        new_start = cal.on_or_after(start)
        new_finish = max(new_start, cal.on_or_before(finish))
        delta_start = new_start - node.start
        node.start, node.finish = new_start, new_finish
        moved.add(pk)
        if pk in carry and delta_start and loaded.children.get(pk):
            for child in _descendants(loaded, pk):
                if child not in moves:
                    nodes[child].start += delta_start
                    nodes[child].finish += delta_start
                    moved.add(child)
    result = scheduling.replan(loaded.graph, moved | set(walk_from))
    plan = Plan(shifted=result.shifted)
    pending: list[tuple[int, str, dict]] = []  # the messages are written once the titles they name are fetched
    for pk, delta in result.blocked:
        pending.append((pk, "pinned", {"item": pk, "days": delta}))
    # widen the frames the shifts break, from the bottom up, and say so
    changed = [pk for pk in nodes if (nodes[pk].start, nodes[pk].finish) != before[pk]]
    for pk in sorted(changed, key=lambda k: -len(loaded.paths[k])):
        node = nodes[pk]
        if pk in result.shifted and node.milestone:
            pending.append((pk, "control_point", {"item": pk, "old": cal.day(before[pk][1]).strftime("%d.%m.%Y"),
                                                  "new": cal.day(node.finish).strftime("%d.%m.%Y")}))
        parent = node.parent
        while parent is not None:
            frame = nodes[parent]
            if node.start >= frame.start and node.finish <= frame.finish:
                break
            if pk in result.shifted or parent not in moves:
                pending.append((pk, "parent", {"item": pk, "end": cal.day(node.finish).strftime("%d.%m.%Y"),
                                               "parent": parent, "frame": cal.day(frame.finish).strftime("%d.%m.%Y")}))
            frame.start, frame.finish = min(frame.start, node.start), max(frame.finish, node.finish)
            plan.parents_widened[parent] = (cal.day(frame.start), cal.day(frame.finish))
            node, parent = frame, frame.parent
    for pk, node in nodes.items():
        if (node.start, node.finish) != before[pk]:
            plan.dates[pk] = (cal.day(node.start), cal.day(node.finish))
    loaded.fetch_titles({p["item"] for _pk, _code, p in pending} | {p["parent"] for _pk, code, p in pending
                                                                     if code == "parent"})
    for pk, code, params in pending:
        params = {**params, "item": _label(loaded, params["item"])}
        if code == "parent":
            params["parent"] = _label(loaded, params["parent"])
        plan.warnings.append(Warning(pk, code, _(MESSAGES[code]) % params))
    return plan
