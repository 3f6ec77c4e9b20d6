"""Reactions to the control engine's events about problems (idempotent by event id).

The engine's assignment of kind "problem" is worked on from the orders pages and API too: an executor
reports there, the controller accepts or returns the report, an issuer cancels. The problem follows:

* ``control.reported`` — the report is the body's answer "fixed" with the report's text;
* ``control.accepted`` — the control loop closes: the answer stands (given now if the report was missed);
* ``control.returned`` — the answer is withdrawn and the problem is back in work, with the reason;
* ``control.cancelled`` — the problem keeps its status and deadline; a staff-only history row says so.

Only the problem's current root assignment counts (not a delegated child, not an assignment of before a
reopening). The problems services call the engine themselves (an answer reports and accepts, a reopening
returns); by the time those events arrive the problem is in the target state already and nothing happens.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from krai.problems import buckets, engine
from krai.problems.models import Problem, ProblemUpdate
from krai.problems.services._common import event as problem_event
from krai.problems.services._common import history


def _deadline(value) -> dt.date | None:
    if not value:
        return None
    parsed = parse_datetime(str(value))
    if parsed is not None:
        return parsed.date()
    return parse_date(str(value)[:10])


@transaction.atomic
def on_control_event(*, event) -> None:
    """Keep a problem true to its assignment: a body changed, a deadline moved, the reaction is overdue."""
    payload = event.payload or {}
    if payload.get("kind") != engine.KIND or ProblemUpdate.objects.filter(event_id=event.pk).exists():
        return
    problem = Problem.objects.select_for_update().filter(pk=payload.get("subject_id")).first()
    if problem is None:
        return
    kind = event.kind
    if kind in _FOLLOW:
        assignment = engine.assignment_for(problem)
        if assignment is not None and str(assignment.pk) == str(payload.get("assignment_id")):
            _FOLLOW[kind](problem=problem, assignment=assignment, event=event, payload=payload)
        return
    if kind == "control.overdue" and problem.status in Problem.AWAITING_REACTION:
        history(problem=problem, kind="overdue", event_id=event.pk, organisation=problem.organisation)
    elif kind == "control.extended":
        deadline = _deadline(payload.get("deadline"))
        if deadline and deadline != problem.due_date:
            problem.due_date = deadline
            problem.save(update_fields=["due_date", "updated_at"])
            history(problem=problem, kind="extended", event_id=event.pk, text=deadline.isoformat())
    elif kind in ("control.reassigned", "control.delegated"):
        assignment = engine.assignment_for(problem)
        organisation_id = getattr(assignment, "executor_organisation_id", None)
        if kind == "control.reassigned" and organisation_id and organisation_id != problem.organisation_id \
                and problem.status in Problem.AWAITING_REACTION:
            problem.organisation_id = organisation_id
            problem.save(update_fields=["organisation", "updated_at"])
            history(problem=problem, kind="reassigned", event_id=event.pk, organisation=problem.organisation)


def _report_text(assignment, payload: dict) -> str:
    reports = assignment.reports.order_by("-id")
    report = reports.filter(pk=payload["report_id"]).first() if payload.get("report_id") else reports.first()
    return (getattr(report, "text", "") or "").strip()[:4000]


def _answered_by_engine(problem: Problem) -> bool:
    """Whether the problem's latest answer came from a report in the engine (not from the problems services)."""
    last = problem.updates.filter(kind=ProblemUpdate.Kind.ANSWERED).order_by("-id").first()
    return last is not None and last.event_id is not None


def _answer_fixed(*, problem: Problem, assignment, event, payload: dict) -> None:
    """The engine's report as the body's answer "fixed" (only while the problem still waits for one)."""
    if problem.status not in Problem.AWAITING_REACTION:
        return  # answered already (by the problems services, or by an earlier report): nothing to do
    text = _report_text(assignment, payload) or str(assignment.title or "")
    now = timezone.now()
    before = buckets.key_of(problem)
    problem.status, problem.answer, problem.answer_text = Problem.Status.FIXED, Problem.Answer.FIXED, text
    problem.answered_at, problem.closed_at = now, now
    problem.save(update_fields=["status", "answer", "answer_text", "answered_at", "closed_at", "updated_at"])
    buckets.move(before, buckets.key_of(problem), problem)
    history(problem=problem, kind="answered", actor=event.actor, text=text, organisation=problem.organisation,
            event_id=event.pk)
    problem_event(kind="answered", actor=event.actor, problem=problem, answer=Problem.Answer.FIXED,
                  planned_date=None, via="control",
                  on_time=bool(problem.due_date is None or timezone.localdate() <= problem.due_date))


def _on_reported(*, problem: Problem, assignment, event, payload: dict) -> None:
    _answer_fixed(problem=problem, assignment=assignment, event=event, payload=payload)


def _on_accepted(*, problem: Problem, assignment, event, payload: dict) -> None:
    if problem.status in Problem.AWAITING_REACTION:
        _answer_fixed(problem=problem, assignment=assignment, event=event, payload=payload)
    elif problem.status == Problem.Status.FIXED and _answered_by_engine(problem):
        # the answer came from the engine's report; its acceptance is worth a line in the record
        history(problem=problem, kind="accepted", actor=event.actor, organisation=problem.organisation,
                event_id=event.pk)
    # answered through the problems services: they accepted it themselves — already in the target state


def _on_returned(*, problem: Problem, assignment, event, payload: dict) -> None:
    if problem.status not in (Problem.Status.FIXED, Problem.Status.CLOSED, Problem.Status.PLANNED):
        return  # already back with the body (a reopening returned the report itself)
    reason = str(payload.get("reason") or "")
    before = buckets.key_of(problem)
    problem.status, problem.closed_at = Problem.Status.IN_WORK, None
    problem.answer, problem.answer_text, problem.answered_at = "", "", None
    problem.save(update_fields=["status", "closed_at", "answer", "answer_text", "answered_at", "updated_at"])
    buckets.move(before, buckets.key_of(problem), problem)
    history(problem=problem, kind="returned", actor=event.actor, text=reason, organisation=problem.organisation,
            event_id=event.pk)
    problem_event(kind="returned", actor=event.actor, problem=problem, reason=reason)


def _on_cancelled(*, problem: Problem, assignment, event, payload: dict) -> None:
    if problem.status not in Problem.AWAITING_REACTION:
        return  # merged, answered or closed: the problems services cancelled it themselves
    history(problem=problem, kind="uncontrolled", actor=event.actor, text=str(payload.get("reason") or ""),
            organisation=problem.organisation, public=False, event_id=event.pk)


_FOLLOW = {"control.reported": _on_reported, "control.accepted": _on_accepted,
           "control.returned": _on_returned, "control.cancelled": _on_cancelled}
