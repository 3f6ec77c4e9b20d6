"""The efficiency table as pages and downloads show it: the columns, each cell's number for the period and the
compared one with the change, and the link of every number to the list of exactly what it counts."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from krai.administration.efficiency_periods import Period
from krai.administration.selectors.efficiency import Line, Measures

COLUMNS = (
    ("closed", _("Executed")),
    ("on_time", _("On time, %")),
    ("late", _("Executed late")),
    ("delay", _("Average delay, working days")),
    ("overdue", _("Overdue at the period's end")),
    ("returns", _("Returned for rework")),
    ("answers", _("Answers to residents")),
    ("answers_on_time", _("Answered on time, %")),
    ("ratings", _("Residents' average rating")),
)
#: columns whose figure is a share or an average; the count behind it is shown beside it
DERIVED = {"on_time", "delay", "answers_on_time", "ratings"}


def items_url(measure: str, link: dict, period: Period) -> str:
    return reverse("administration:efficiency_items") + "?" + urlencode(
        {"measure": measure, **link, **period.as_params()})


def show(value: float | int | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def change(now: float | int | None, before: float | int | None) -> tuple[str, str]:
    """The arrow and the difference (``"↑", "3"``); nothing to compare: ``("", "")``."""
    if now is None or before is None:
        return "", ""
    diff = now - before
    if isinstance(diff, float):
        diff = round(diff, 1)
        text = f"{abs(diff):.1f}"
    else:
        text = str(abs(diff))
    return ("↑" if diff > 0 else "↓" if diff < 0 else "="), text


@dataclass
class Cell:
    measure: str
    value: str
    count: int
    url: str
    before_value: str
    before_count: int
    before_url: str
    arrow: str
    difference: str
    derived: bool


def cells(line: Line, period: Period, compare: Period) -> list[Cell]:
    out = []
    for measure, _label in COLUMNS:
        now, before = line.now.figure(measure), line.before.figure(measure)
        arrow, difference = change(now, before)
        out.append(Cell(measure, show(now), line.now.count(measure), items_url(measure, line.link, period),
                        show(before), line.before.count(measure), items_url(measure, line.link, compare),
                        arrow, difference, measure in DERIVED))
    return out


def header() -> list[str]:
    """The download's columns: who, then for each measure the figure, its count, the compared one, the change."""
    head = [str(_("Row")), str(_("Name"))]
    for _measure, label in COLUMNS:
        head += [str(label), str(_("count")), str(_("previous")), str(_("change"))]
    return head


def export_row(kind: str, name: str, now: Measures, before: Measures) -> list:
    row: list = [kind, name]
    for measure, _label in COLUMNS:
        a, b = now.figure(measure), before.figure(measure)
        arrow, difference = change(a, b)
        row += [a, now.count(measure), b, f"{arrow} {difference}".strip()]
    return row
