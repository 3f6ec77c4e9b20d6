"""The in-memory arithmetic: the replan walk, the four link types with lags, cycles, the critical path, and the
working-day index against the day-by-day calendar."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from krai.core.workcalendar.index import WorkingDays
from krai.core.workcalendar.selectors import add_working_days, working_days_between
from krai.projects.scheduling import CycleError, Graph, Link, Node, critical_path, replan, topological


def graph(spans: dict[int, tuple[int, int]], links: list[Link], flags: dict | None = None) -> Graph:
    flags = flags or {}
    return Graph(nodes={k: Node(id=k, start=s, finish=f, **flags.get(k, {})) for k, (s, f) in spans.items()},
                 links=list(links))


@pytest.mark.parametrize(("kind", "lag", "expected"), [
    ("FS", 0, (11, 13)), ("FS", 2, (13, 15)), ("SS", 3, (8, 10)), ("FF", 0, (8, 10)), ("SF", 0, (3, 5)),
    ("FS", -2, (9, 11)),
])
def test_each_link_type_pushes_the_successor_just_enough(kind, lag, expected):
    g = graph({1: (5, 10), 2: (0, 2)}, [Link(1, 2, kind, lag)])
    result = replan(g, {1})
    assert (g.nodes[2].start, g.nodes[2].finish) == expected
    assert result.shifted == {2: expected[0]}


def test_a_successor_already_later_is_not_pulled_back():
    g = graph({1: (0, 2), 2: (10, 12)}, [Link(1, 2)])
    assert replan(g, {1}).shifted == {}
    assert g.nodes[2].start == 10


def test_a_chain_shifts_in_one_pass_and_takes_the_latest_of_several_predecessors():
    # 1 → 2 → 4 and 1 → 3 → 4; 3 is longer, so 4 follows 3
    g = graph({1: (0, 4), 2: (0, 1), 3: (0, 9), 4: (0, 0)}, [Link(1, 2), Link(1, 3, "SS"), Link(2, 4), Link(3, 4)])
    replan(g, {1})
    assert (g.nodes[2].start, g.nodes[3].start, g.nodes[4].start) == (5, 0, 10)


def test_a_pinned_item_stays_and_is_reported():
    g = graph({1: (0, 5), 2: (3, 4), 3: (0, 0)}, [Link(1, 2), Link(2, 3)], {2: {"pinned": True}})
    result = replan(g, {1})
    assert result.blocked == [(2, 3)]
    assert g.nodes[2].start == 3


def test_a_milestone_lets_its_successor_start_on_the_same_day():
    g = graph({1: (5, 5), 2: (0, 1)}, [Link(1, 2)], {1: {"milestone": True}})
    replan(g, {1})
    assert g.nodes[2].start == 5


def test_a_cycle_is_named():
    g = graph({1: (0, 1), 2: (0, 1), 3: (0, 1)}, [Link(1, 2), Link(2, 3), Link(3, 2)])
    with pytest.raises(CycleError) as caught:
        replan(g, {1})
    assert set(caught.value.items) == {2, 3}
    with pytest.raises(CycleError):
        topological(g, {1, 2, 3})


def test_the_critical_path_is_the_longest_chain():
    # 1(0-4) → 2(5-9) → 4(10-10); 1 → 3(5-6) → 4 : 3 has 3 days of float
    g = graph({1: (0, 4), 2: (5, 9), 3: (5, 6), 4: (10, 10)}, [Link(1, 2), Link(1, 3), Link(2, 4), Link(3, 4)])
    floats = critical_path(g, {1, 2, 3, 4})
    assert floats == {1: 0, 2: 0, 3: 3, 4: 0}


def test_the_working_day_index_agrees_with_the_calendar(db):
    cal = WorkingDays(2025, 2027)
    start = date(2025, 12, 25)
    for days in (0, 1, 5, 10, 23, 60, 250):
        assert cal.day(cal.on_or_after(start) + days) == add_working_days(start, days) or days == 0
    for offset in (1, 7, 30, 400):
        end = start + timedelta(days=offset)
        assert cal.between(start, end) == working_days_between(start, end)
    # a holiday (1 January) snaps forward to the first working day of the year
    assert cal.day(cal.on_or_after(date(2026, 1, 1))) == add_working_days(date(2025, 12, 31), 1)
