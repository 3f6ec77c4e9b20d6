"""Employee efficiency per unit and person: the measures of a period counted in a few grouped queries.

For a reach (the organisations counted, optionally one person) and a period, ``tally`` runs one grouped query per
family of measures — executed (with on time and late), the late ones' delays, overdue at the period's end, returns,
answers, ratings — each ``GROUP BY`` executor organisation and person over the period's rows
(``efficiency_rows``), never a query per unit or person. Subtrees are then rolled up in Python through the
organisations' materialised ``path``. A page compares two periods, so it costs twice these six queries plus the
organisations and the names, however many units and people it shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, fields
from datetime import date

from django.db.models import Count, F, Q, Sum

from krai.administration.efficiency_periods import Period
from krai.administration.selectors import efficiency_rows as rows_of
from krai.administration.selectors.efficiency_rows import Reach
from krai.administration.selectors.efficiency_scope import Unit, Units, people_names
from krai.core.workcalendar.index import WorkingDays
from krai.orders import cells

#: fewer executed assignments than this in a period: the row is greyed, "too few to compare"
MIN_CLOSED = 5

Key = tuple[int, int | None]  # (organisation, person or None)


@dataclass
class Measures:
    """The counts of one row; shares and averages are derived from them (and so add up across rows)."""

    closed: int = 0
    on_time: int = 0
    late: int = 0
    delay_days: int = 0  # the late ones' working days after the deadline, summed
    overdue: int = 0
    returns: int = 0
    answers: int = 0
    answers_on_time: int = 0
    ratings: int = 0
    rating_sum: int = 0

    def add(self, other: Measures) -> Measures:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))
        return self

    @staticmethod
    def _ratio(part: int, whole: int, scale: float = 100.0) -> float | None:
        return round(scale * part / whole, 1) if whole else None

    @property
    def on_time_share(self) -> float | None:
        return self._ratio(self.on_time, self.closed)

    @property
    def average_delay(self) -> float | None:
        return self._ratio(self.delay_days, self.late, 1.0)

    @property
    def answers_on_time_share(self) -> float | None:
        return self._ratio(self.answers_on_time, self.answers)

    @property
    def average_rating(self) -> float | None:
        return round(self.rating_sum / self.ratings, 2) if self.ratings else None

    @property
    def too_few(self) -> bool:
        return self.closed < MIN_CLOSED

    def figure(self, measure: str) -> float | int | None:
        """The number a column shows for ``measure`` (a share or an average where the column is one)."""
        return {"closed": self.closed, "on_time": self.on_time_share, "late": self.late,
                "delay": self.average_delay, "overdue": self.overdue, "returns": self.returns,
                "answers": self.answers, "answers_on_time": self.answers_on_time_share,
                "ratings": self.average_rating}[measure]

    def count(self, measure: str) -> int:
        """How many rows the list behind ``measure``'s number holds."""
        return {"closed": self.closed, "on_time": self.on_time, "late": self.late, "delay": self.late,
                "overdue": self.overdue, "returns": self.returns, "answers": self.answers,
                "answers_on_time": self.answers_on_time, "ratings": self.ratings}[measure]


def _grouped(rows: rows_of.Rows, **aggregates) -> list[dict]:
    return list(rows.qs.values(rows.org, rows.person).annotate(**aggregates).order_by())


def _delays(reach: Reach, period: Period) -> dict[Key, int]:
    """The late ones' working days after the deadline, summed per (organisation, person): grouped by the two
    dates too, so each pair of dates is counted by the production calendar once."""
    rows = rows_of.late(reach, period)
    groups = list(rows.qs.values(rows.org, rows.person, "deadline", "completed_on").annotate(n=Count("id"))
                  .order_by())
    if not groups:
        return {}
    calendar = WorkingDays(min(g["deadline"] for g in groups).year, max(g["completed_on"] for g in groups).year)
    sums: dict[Key, int] = defaultdict(int)
    for g in groups:
        sums[(g[rows.org], g[rows.person])] += g["n"] * calendar.between(g["deadline"], g["completed_on"])
    return sums


def tally(reach: Reach, period: Period, today: date | None = None) -> dict[Key, Measures]:
    """Every measure of ``period`` per (organisation, person) within ``reach``: six grouped queries."""
    out: dict[Key, Measures] = defaultdict(Measures)
    rows = rows_of.closed(reach, period)
    late_q = cells.bucket_q("late", cells.CURRENT, period.end)
    for g in _grouped(rows, n=Count("id"), late=Count("id", filter=late_q),
                      on_time=Count("id", filter=Q(completed_on__lte=F("deadline")))):
        m = out[(g[rows.org], g[rows.person])]
        m.closed, m.late, m.on_time = g["n"], g["late"], g["on_time"]
    for key, days in _delays(reach, period).items():
        out[key].delay_days = days
    rows = rows_of.overdue(reach, period, today)
    for g in _grouped(rows, n=Count("id")):
        out[(g[rows.org], g[rows.person])].overdue = g["n"]
    rows = rows_of.returns(reach, period)
    for g in _grouped(rows, n=Count("id")):
        out[(g[rows.org], g[rows.person])].returns = g["n"]
    rows = rows_of.answers(reach, period)
    for g in _grouped(rows, n=Count("id"), on_time=Count("id", filter=rows_of._on_time_q())):
        m = out[(g[rows.org], g[rows.person])]
        m.answers, m.answers_on_time = g["n"], g["on_time"]
    rows = rows_of.ratings(reach, period)
    for g in _grouped(rows, n=Count("id"), total=Sum("value")):
        m = out[(g[rows.org], g[rows.person])]
        m.ratings, m.rating_sum = g["n"], g["total"] or 0
    return out


def total(counted: dict[Key, Measures]) -> Measures:
    result = Measures()
    for m in counted.values():
        result.add(m)
    return result


def per_unit(counted: dict[Key, Measures], units: Units, *, only: bool = False) -> dict[int, Measures]:
    """Each unit's figures: its own rows (``only``) or its whole subtree's, rolled up through the paths."""
    own: dict[int, Measures] = defaultdict(Measures)
    for (org, _person), m in counted.items():
        own[org].add(m)
    if only:
        return own
    rolled: dict[int, Measures] = defaultdict(Measures)
    for org, m in own.items():
        unit = units.by_id.get(org)
        for ancestor in unit.ancestor_ids if unit else [org]:
            if ancestor in units.by_id or ancestor == org:
                rolled[ancestor].add(m)
    return rolled


def per_person(counted: dict[Key, Measures]) -> dict[int, Measures]:
    """Each person's figures (key 0: what was given to a unit with no person named)."""
    people: dict[int, Measures] = defaultdict(Measures)
    for (_org, person), m in counted.items():
        people[person or 0].add(m)
    return people


@dataclass
class Line:
    """One row of a table: a unit or a person, this period and the compared one."""

    kind: str  # "unit" or "person"
    id: int
    label: str
    now: Measures
    before: Measures
    link: dict = field(default_factory=dict)  # the drill-down list's reach parameters for this row's numbers


@dataclass
class Report:
    period: Period
    compare: Period
    total: Line
    units: list[Line]
    people: list[Line]
    overdue_day: date


def report(units: Units, *, unit: Unit | None, only: bool, period: Period, compare: Period,
           person: int | None = None, today: date | None = None) -> Report:
    """A page's figures: the reach's total, its sub-units (or the scope's top units) and its people, two periods.

    With ``person`` the lines are that person's units instead (his figures in each)."""
    reach = Reach(units.reach(unit, only=only), person)
    now, before = tally(reach, period, today), tally(reach, compare, today)
    base = {"only": 1} if only else {}
    if unit is not None:
        base["unit"] = unit.id
    if person is not None:
        base["person"] = person
    head = Line("unit" if person is None else "person", unit.id if unit else 0, unit.name if unit else "",
                total(now), total(before), dict(base))
    unit_lines: list[Line] = []
    if person is None:
        children = units.children(unit.id if unit else None) if not only else []
        by_now, by_before = per_unit(now, units), per_unit(before, units)
        unit_lines = [Line("unit", c.id, c.name, by_now.get(c.id, Measures()), by_before.get(c.id, Measures()),
                           {"unit": c.id}) for c in children]
    else:
        by_now, by_before = per_unit(now, units, only=True), per_unit(before, units, only=True)
        for org in sorted(set(by_now) | set(by_before), key=lambda i: units.by_id[i].path if i in units.by_id else ""):
            if org in units.by_id:
                unit_lines.append(Line("unit", org, units.by_id[org].name, by_now.get(org, Measures()),
                                       by_before.get(org, Measures()), {"unit": org, "only": 1, "person": person}))
    people_lines: list[Line] = []
    if person is None and unit is not None:
        p_now, p_before = per_person(now), per_person(before)
        names = people_names(set(p_now) | set(p_before))
        for pid in set(p_now) | set(p_before):
            people_lines.append(Line("person", pid, names.get(pid, "") if pid else "",
                                     p_now.get(pid, Measures()), p_before.get(pid, Measures()),
                                     {**base, "person": pid}))
        people_lines.sort(key=lambda line: (line.id == 0, line.label))
    return Report(period, compare, head, unit_lines, people_lines, rows_of.overdue_day(period, today)[0])


def sort_lines(lines: list[Line], measure: str, descending: bool = True) -> list[Line]:
    """Lines by one measure's figure (rows without a figure last), then by name."""
    if measure not in rows_of.MEASURES:
        return sorted(lines, key=lambda line: (line.kind == "person" and line.id == 0, line.label))
    with_figure = [line for line in lines if line.now.figure(measure) is not None]
    without = [line for line in lines if line.now.figure(measure) is None]
    with_figure.sort(key=lambda line: line.label)
    with_figure.sort(key=lambda line: line.now.figure(measure), reverse=descending)
    return with_figure + sorted(without, key=lambda line: line.label)
