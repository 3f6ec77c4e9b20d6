"""The rows behind every efficiency measure, written once: the figures group these very query sets and the
drill-down lists page them, so a number and its list cannot disagree (``tests/test_efficiency_links.py``).

What each measure counts, for a period ``start..end`` (both days included) and a reach (the organisations counted,
and optionally one person; person ``0`` means "no person named"):

* ``closed`` — assignments executed in the period: status *executed*, execution date (the accepted report's date,
  ``completed_on``) within the period; cancelled ones count nowhere;
* ``on_time`` / ``late`` — of those, executed on or before the deadline / after it (the control engine's
  ``late``: ``krai.orders.cells.bucket_q("late")``);
* ``delay`` — the late ones again: their average delay in working days (production calendar) is the figure;
* ``overdue`` — still on control and past the deadline at the end of the period, as the dashboard counts it "as of"
  that day (``krai.orders.cells``: status, deadline and executor from the history); for a period not over yet,
  today, from the current columns, as the dashboard of today;
* ``returns`` — reports returned for rework in the period (``returned`` transitions), for the executor whose report
  it was;
* ``answers`` / ``answers_on_time`` — official answers to residents' problems given in the period (the problem's
  history), of them those given by the reaction's due date; for the body that answered and, when recorded, the
  person;
* ``ratings`` — residents' ratings of the answers given in the period: each rating belongs to the latest answer
  before it.

Executed assignments (and their lateness) are counted for their executor — after a reassignment, the last one;
overdue ones for whoever held them at the period's end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from krai.administration.efficiency_periods import Period
from krai.orders import cells
from krai.orders.models import Assignment, Status, Transition
from krai.problems.models import ProblemRating, ProblemUpdate

ASSIGNMENT_MEASURES = ("closed", "on_time", "late", "delay", "overdue")
MEASURES = (*ASSIGNMENT_MEASURES, "returns", "answers", "answers_on_time", "ratings")


@dataclass(frozen=True)
class Reach:
    """Whose rows count: the organisations (``None``: the whole region) and, optionally, one person (0: none)."""

    org_ids: list[int] | None
    person: int | None = None

    def q(self, org_field: str, person_field: str) -> Q:
        q = Q()
        if self.org_ids is not None:
            q &= Q(**{f"{org_field}__in": self.org_ids})
        if self.person is not None:
            q &= Q(**{f"{person_field}__isnull": True}) if self.person == 0 else Q(**{person_field: self.person})
        return q


@dataclass(frozen=True)
class Rows:
    """A measure's rows and the names of the columns its figures group by (organisation, person)."""

    qs: QuerySet
    org: str
    person: str


def closed(reach: Reach, period: Period) -> Rows:
    qs = Assignment.objects.filter(status=Status.DONE, completed_on__gte=period.start, completed_on__lte=period.end)
    return Rows(qs.filter(reach.q("executor_organisation_id", "executor_user_id")),
                "executor_organisation_id", "executor_user_id")


def late(reach: Reach, period: Period) -> Rows:
    rows = closed(reach, period)
    return Rows(rows.qs.filter(cells.bucket_q("late", cells.CURRENT, period.end)), rows.org, rows.person)


def on_time(reach: Reach, period: Period) -> Rows:
    rows = closed(reach, period)
    return Rows(rows.qs.filter(completed_on__lte=F("deadline")), rows.org, rows.person)


def overdue_day(period: Period, today: date | None = None) -> tuple[date, bool]:
    """The day "overdue" is measured on: the period's last day, or today when the period is not over; and
    whether that is today (the current columns) rather than a past day (the history)."""
    today = today or timezone.localdate()
    return (today, True) if period.end >= today else (period.end, False)


def overdue(reach: Reach, period: Period, today: date | None = None) -> Rows:
    day, current = overdue_day(period, today)
    if current:
        qs = Assignment.objects.filter(cells.bucket_q("overdue", cells.CURRENT, day))
        return Rows(qs.filter(reach.q("executor_organisation_id", "executor_user_id")),
                    "executor_organisation_id", "executor_user_id")
    end = Period(day, day).end_moment
    # only what may still have been on control then (issued by that day, not closed before its end): the history
    # of those decides
    maybe_open = Assignment.objects.filter(issued_on__lte=day).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
    qs = cells.historic(maybe_open, day).filter(cells.bucket_q("overdue", cells.HISTORIC, day))
    return Rows(qs.filter(reach.q("h_org", "h_executor")), "h_org", "h_executor")


def returns(reach: Reach, period: Period) -> Rows:
    qs = Transition.objects.filter(action=Transition.Action.RETURNED, at__gte=period.start_moment,
                                   at__lt=period.end_moment)
    return Rows(qs.filter(reach.q("executor_organisation_id", "executor_user_id")),
                "executor_organisation_id", "executor_user_id")


def answers(reach: Reach, period: Period) -> Rows:
    qs = ProblemUpdate.objects.filter(kind=ProblemUpdate.Kind.ANSWERED, created_at__gte=period.start_moment,
                                      created_at__lt=period.end_moment)
    return Rows(qs.filter(reach.q("organisation_id", "actor_id")), "organisation_id", "actor_id")


def _on_time_q() -> Q:
    return Q(problem__due_date__isnull=True) | Q(problem__due_date__gte=TruncDate("created_at"))


def answers_on_time(reach: Reach, period: Period) -> Rows:
    rows = answers(reach, period)
    return Rows(rows.qs.filter(_on_time_q()), rows.org, rows.person)


def ratings(reach: Reach, period: Period) -> Rows:
    """Ratings whose latest answer before them lies in the period (given after the period's start, necessarily)."""
    last = (ProblemUpdate.objects.filter(problem=OuterRef("problem_id"), kind=ProblemUpdate.Kind.ANSWERED,
                                         created_at__lte=OuterRef("created_at")).order_by("-created_at", "-id"))
    qs = (ProblemRating.objects.filter(created_at__gte=period.start_moment)
          .annotate(answered_at=Subquery(last.values("created_at")[:1]),
                    answer_org=Subquery(last.values("organisation_id")[:1]),
                    answer_actor=Subquery(last.values("actor_id")[:1]))
          .filter(answered_at__gte=period.start_moment, answered_at__lt=period.end_moment))
    return Rows(qs.filter(reach.q("answer_org", "answer_actor")), "answer_org", "answer_actor")


def rows_of(measure: str, reach: Reach, period: Period, today: date | None = None) -> Rows:
    """The rows behind ``measure`` (``delay`` is the late ones: its figure is their average delay)."""
    if measure == "overdue":
        return overdue(reach, period, today)
    return {"closed": closed, "on_time": on_time, "late": late, "delay": late, "returns": returns,
            "answers": answers, "answers_on_time": answers_on_time, "ratings": ratings}[measure](reach, period)


def deadline_column(rows: Rows) -> str:
    """The deadline a list shows and sorts by: today's, or the historic one of an overdue list as of a day."""
    return "h_deadline" if rows.org == "h_org" else "deadline"

