"""Fill rates, computed from the staffing tables and the employments' dates (so any past day is exact).

Fill rate = filled rates / planned rates. A position's filled rate is the sum of the rates of its employments in
force that day (started on or before, not ended before), capped at the position's own rate so that overlapping
hand-overs never count above 100 %. An employee **on leave** still fills the post (it is his); an **acting**
employee does not (he performs the duties of a post that is still vacant). The table in force on a day is the
body's table with the latest ``valid_from`` on or before it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0")


@dataclass
class Rate:
    planned: Decimal = ZERO
    filled: Decimal = ZERO
    positions: int = 0
    vacant_positions: int = 0
    label: str = ""
    key: Hashable = None
    extra: dict = field(default_factory=dict)

    @property
    def share(self) -> float | None:
        return float(self.filled / self.planned) if self.planned else None

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else round(share * 100)

    def add(self, planned: Decimal, filled: Decimal) -> None:
        self.planned += planned
        self.filled += filled
        self.positions += 1
        self.vacant_positions += int(filled < planned)


@dataclass(frozen=True)
class PositionRow:
    """What the computation needs of a position (loaded with ``values()``: no model per row)."""

    pk: int
    table_id: int
    organisation_id: int
    unit_id: int
    rate: Decimal


@dataclass(frozen=True)
class EmploymentRow:
    position_id: int
    rate: Decimal
    started_on: dt.date
    ended_on: dt.date | None
    acting: bool

    def in_force(self, on: dt.date) -> bool:
        return self.started_on <= on and (self.ended_on is None or self.ended_on >= on)


def filled_rate(position_rate: Decimal, employments: Iterable[EmploymentRow], on: dt.date) -> Decimal:
    held = sum((e.rate for e in employments if not e.acting and e.in_force(on)), ZERO)
    return min(held, position_rate)


def tables_in_force(tables: Iterable[tuple[int, int, dt.date]], on: dt.date) -> set[int]:
    """Of ``(table_id, organisation_id, valid_from)``, the ids of the tables in force on ``on``."""
    best: dict[int, tuple[dt.date, int]] = {}
    for table_id, organisation_id, valid_from in tables:
        if valid_from <= on and (organisation_id not in best or (valid_from, table_id) > best[organisation_id]):
            best[organisation_id] = (valid_from, table_id)
    return {table_id for _valid, table_id in best.values()}


def group_rates(positions: Iterable[PositionRow], employments: dict[int, list[EmploymentRow]], on: dt.date,
                key: Callable[[PositionRow], Hashable | None], tables: set[int] | None = None) -> dict[Hashable, Rate]:
    """Rates on ``on`` grouped by ``key(position)`` (None: left out), over the positions of ``tables``."""
    out: dict[Hashable, Rate] = defaultdict(Rate)
    for position in positions:
        if tables is not None and position.table_id not in tables:
            continue
        group = key(position)
        if group is None:
            continue
        out[group].key = group
        out[group].add(position.rate, filled_rate(position.rate, employments.get(position.pk, ()), on))
    return dict(out)


def month_ends(today: dt.date, months: int) -> list[dt.date]:
    """The last day of each of the ``months`` months before this one, then today."""
    out = [today]
    first = today.replace(day=1)
    for _ in range(months - 1):
        last = first - dt.timedelta(days=1)
        out.append(last)
        first = last.replace(day=1)
    return sorted(out)
