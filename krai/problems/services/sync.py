"""Reactions to the control engine's events about problems (idempotent by event id)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime

from krai.problems import engine
from krai.problems.models import Problem, ProblemUpdate
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
