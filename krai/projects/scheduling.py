"""The scheduling arithmetic of a work breakdown, in memory and in working-day numbers (no queries here).

Dates are turned into numbers of working days (``krai.core.workcalendar.index.WorkingDays``) so that a lag
of *n* working days is an addition. An item keeps its duration in working days when it moves.

* ``replan`` — some items were moved by a person; walk what follows them once, in topological order (Kahn's
  algorithm over the part of the graph reachable from the moved items), pushing each successor just enough
  to satisfy all its links. Successors are pushed later, never pulled earlier: a gap a person left stays
  theirs to close (as in MS Project's "as soon as possible" with a start constraint). A pinned item is not
  moved; the broken link is reported instead.
* ``critical_path`` — the classic critical path method over the leaves: a backward pass from the end of the
  plan gives each item its latest finish; its total float is that minus its planned finish, and an item
  with no float is critical.

Links: FS — the successor starts after the predecessor finishes (+ lag); SS — it starts no earlier than the
predecessor starts (+ lag); FF — it finishes no earlier than the predecessor finishes (+ lag); SF — it
finishes no earlier than the predecessor starts (+ lag).
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field


class CycleError(ValueError):
    """The links make a loop, so no order of the items satisfies them."""

    def __init__(self, items: list[int]) -> None:
        super().__init__("dependency cycle")
        self.items = items


@dataclass
class Node:
    id: int
    start: int
    finish: int
    parent: int | None = None
    milestone: bool = False
    pinned: bool = False
    done: bool = False

    @property
    def duration(self) -> int:
        return self.finish - self.start


@dataclass(frozen=True)
class Link:
    pred: int
    succ: int
    type: str = "FS"
    lag: int = 0


@dataclass
class Graph:
    nodes: dict[int, Node]
    links: list[Link]
    outgoing: dict[int, list[Link]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[int, list[Link]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self) -> None:
        for link in self.links:
            self.outgoing[link.pred].append(link)
            self.incoming[link.succ].append(link)

    def add(self, link: Link) -> None:
        self.links.append(link)
        self.outgoing[link.pred].append(link)
        self.incoming[link.succ].append(link)


def earliest_start(link: Link, pred: Node, succ: Node) -> int:
    """The earliest start ``link`` allows ``succ`` (keeping its duration)."""
    if link.type == "SS":
        return pred.start + link.lag
    if link.type == "FF":
        return pred.finish + link.lag - succ.duration
    if link.type == "SF":
        return pred.start + link.lag - succ.duration
    # FS: the next working day after the predecessor's finish; a control point (a moment) may share its day
    return pred.finish + (0 if pred.milestone else 1) + link.lag


def reaches(graph: Graph, start: int, target: int) -> bool:
    """Whether ``target`` follows ``start`` through the links (adding target → start would close a loop)."""
    seen, stack = {start}, [start]
    while stack:
        current = stack.pop()
        if current == target:
            return True
        for link in graph.outgoing.get(current, ()):
            if link.succ not in seen:
                seen.add(link.succ)
                stack.append(link.succ)
    return False


@dataclass
class Replan:
    shifted: dict[int, int]  # item → working days it moved by (pushed later)
    blocked: list[tuple[int, int]]  # (pinned item, working days it would need to move)


def replan(graph: Graph, moved: set[int] | frozenset[int]) -> Replan:
    """Push what follows ``moved`` so that every link holds again; one pass in topological order.

    Raises ``CycleError`` if the links reachable from ``moved`` loop.
    """
    reach: set[int] = set()
    queue = deque(moved)
    while queue:
        current = queue.popleft()
        if current in reach:
            continue
        reach.add(current)
        for link in graph.outgoing.get(current, ()):
            if link.succ not in reach:
                queue.append(link.succ)
    waiting = dict.fromkeys(reach, 0)
    for n in reach:
        for link in graph.outgoing.get(n, ()):
            waiting[link.succ] += 1
    ready = deque(n for n, count in waiting.items() if count == 0)
    done = 0
    result = Replan(shifted={}, blocked=[])
    nodes = graph.nodes
    while ready:
        current = ready.popleft()
        done += 1
        node = nodes[current]
        if current not in moved and not node.done:
            need = max((earliest_start(link, nodes[link.pred], node) for link in graph.incoming.get(current, ())),
                       default=node.start)
            if need > node.start:
                delta = need - node.start
                if node.pinned:
                    result.blocked.append((current, delta))
                else:
                    node.start += delta
                    node.finish += delta
                    result.shifted[current] = result.shifted.get(current, 0) + delta
        for link in graph.outgoing.get(current, ()):
            waiting[link.succ] -= 1
            if waiting[link.succ] == 0:
                ready.append(link.succ)
    if done < len(reach):
        raise CycleError(sorted(n for n, count in waiting.items() if count > 0))
    return result


def topological(graph: Graph, ids: set[int]) -> list[int]:
    """``ids`` in an order where every link's predecessor comes first (links leaving ``ids`` ignored)."""
    waiting = dict.fromkeys(ids, 0)
    for link in graph.links:
        if link.pred in ids and link.succ in ids:
            waiting[link.succ] += 1
    ready = deque(n for n, count in waiting.items() if count == 0)
    order: list[int] = []
    while ready:
        current = ready.popleft()
        order.append(current)
        for link in graph.outgoing.get(current, ()):
            if link.succ in waiting:
                waiting[link.succ] -= 1
                if waiting[link.succ] == 0:
                    ready.append(link.succ)
    if len(order) < len(ids):
        raise CycleError(sorted(n for n, count in waiting.items() if count > 0))
    return order


def latest_finish_allowed(link: Link, pred: Node, succ_latest_start: int, succ_latest_finish: int) -> int:
    """The latest finish of ``pred`` that keeps ``link`` with its successor at its latest dates."""
    if link.type == "SS":
        return succ_latest_start - link.lag + pred.duration
    if link.type == "FF":
        return succ_latest_finish - link.lag
    if link.type == "SF":
        return succ_latest_finish - link.lag + pred.duration
    return succ_latest_start - (0 if pred.milestone else 1) - link.lag


def critical_path(graph: Graph, leaves: set[int], end: int | None = None) -> dict[int, int]:
    """Total float (working days) of every leaf; 0 or less is critical. ``end``: the plan's end (default: the
    latest finish among the leaves). Links touching a non-leaf (a stage) are left out of the method."""
    if not leaves:
        return {}
    nodes = graph.nodes
    finish = max(nodes[n].finish for n in leaves) if end is None else end
    latest_finish: dict[int, int] = {}
    for current in reversed(topological(graph, leaves)):
        node = nodes[current]
        allowed = [latest_finish_allowed(link, node, latest_finish[link.succ] - nodes[link.succ].duration,
                                         latest_finish[link.succ])
                   for link in graph.outgoing.get(current, ()) if link.succ in latest_finish]
        latest_finish[current] = min(allowed, default=finish)
    return {n: latest_finish[n] - nodes[n].finish for n in leaves}
