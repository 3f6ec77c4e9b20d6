"""The drill-down lists behind the efficiency numbers: the very rows a number counts (``efficiency_rows``), in a
stable order, with what a list shows of each row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from krai.administration.efficiency_periods import Period
from krai.administration.selectors import efficiency_rows as rows_of
from krai.administration.selectors.efficiency_rows import Reach
from krai.administration.selectors.efficiency_scope import Unit, Units
from krai.core.workcalendar.index import WorkingDays
from krai.orders import cells

#: what a list's rows are, by measure
KINDS = {"closed": "assignment", "on_time": "assignment", "late": "assignment", "delay": "assignment",
         "overdue": "assignment", "returns": "return", "answers": "answer", "answers_on_time": "answer",
         "ratings": "rating"}


@dataclass
class Items:
    kind: str
    qs: QuerySet
    historic: bool  # an overdue list as of a past day: rows show that day's status, deadline and executor


def items(units: Units, *, measure: str, unit: Unit | None, only: bool, person: int | None, period: Period,
          today: date | None = None) -> Items:
    """The rows behind ``measure``'s number for that reach and period, ordered for paging."""
    rows = rows_of.rows_of(measure, Reach(units.reach(unit, only=only), person), period, today)
    kind = KINDS[measure]
    if kind == "assignment":
        qs = rows.qs.select_related("executor_organisation", "executor_user").order_by(
            rows_of.deadline_column(rows), "id")
    elif kind == "return":
        qs = rows.qs.select_related("assignment", "executor_organisation", "executor_user", "actor").order_by(
            "at", "id")
    elif kind == "answer":
        qs = rows.qs.select_related("problem", "organisation", "actor").order_by("created_at", "id")
    else:
        qs = rows.qs.select_related("problem").order_by("created_at", "id")
    return Items(kind, qs, rows.org == "h_org")


def shown(found: Items, page_rows: list) -> list:
    """One page's rows ready to show: an overdue list as of a past day as it stood then; a late row with its delay
    in working days (``delay``, by the production calendar), as the average counts it."""
    page_rows = cells.as_it_was(page_rows) if found.historic else list(page_rows)
    if found.kind == "assignment":
        late = [a for a in page_rows if a.completed_on and a.completed_on > a.deadline]
        if late:
            calendar = WorkingDays(min(a.deadline for a in late).year, max(a.completed_on for a in late).year)
            for a in late:
                a.delay_working_days = calendar.between(a.deadline, a.completed_on)
    return page_rows
