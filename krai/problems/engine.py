"""The control engine of the orders area, as this area uses it: one assignment per problem's reaction.

The engine lives in ``krai.orders``; while it is not installed (or lacks ``control_open``) problems keep
their own deadline and status and simply have no assignment. Calls run inside the caller's transaction,
so a refusal by the engine undoes the problem's change too.
"""

from __future__ import annotations

import importlib
from typing import Any

KIND = "problem"


def _modules() -> tuple[Any, Any] | None:
    try:
        control = importlib.import_module("krai.orders.services")
        control_selectors = importlib.import_module("krai.orders.selectors")
    except ImportError:
        return None
    if not hasattr(control, "control_open"):
        return None
    return control, control_selectors


def available() -> bool:
    """Whether the orders area provides the control engine."""
    return _modules() is not None


def assignment_for(problem) -> Any | None:
    modules = _modules()
    if modules is None or not hasattr(modules[1], "control_for_subject"):
        return None
    return modules[1].control_for_subject(problem)


def _call(name: str, **kwargs: Any) -> Any | None:
    modules = _modules()
    if modules is None or not hasattr(modules[0], name):
        return None
    return getattr(modules[0], name)(**kwargs)


def open_assignment(*, problem) -> Any | None:
    """Put the problem's reaction under control: the responsible body, the deadline.

    The engine may move a deadline that falls on a day off to the working day before; the problem
    takes the engine's deadline then, so both show the same day.
    """
    assignment = _call("control_open", actor=None, kind=KIND, subject=problem,
                       title=f"Обращение №{problem.pk}: {problem.category.name}"[:300],
                       executor_organisation=problem.organisation, deadline=problem.due_date,
                       text=problem.public_description)
    deadline = getattr(assignment, "deadline", None)
    if deadline is not None and deadline != problem.due_date:
        problem.due_date = deadline
        type(problem).objects.filter(pk=problem.pk).update(due_date=deadline)
    return assignment


def start(*, problem) -> None:
    assignment = assignment_for(problem)
    if assignment is not None and _status(assignment) == "issued":
        _call("control_start", actor=None, assignment=assignment)


def _status(assignment) -> str:
    return str(getattr(assignment, "status", "") or "")


def report_and_accept(*, problem, text: str) -> None:
    """The body answered: that is its report, and the reaction is given (accepted by the system).

    Services call the engine as the system (``actor=None``): they checked the person's permission already.
    """
    assignment = assignment_for(problem)
    if assignment is None or _status(assignment) not in ("issued", "in_progress", "reported"):
        return
    if _status(assignment) != "reported":
        _call("control_report", actor=None, assignment=assignment, text=text)
    _call("control_accept", actor=None, assignment=assignment)


def reassign(*, problem, organisation, reason: str) -> None:
    assignment = assignment_for(problem)
    if assignment is None or _status(assignment) not in ("issued", "in_progress"):
        open_assignment(problem=problem)
        return
    _call("control_reassign", actor=None, assignment=assignment, executor_organisation=organisation,
          reason=reason)


def reopen(*, problem, reason: str) -> None:
    """A poor rating: return the report if the engine still holds it, else put the problem under control again."""
    assignment = assignment_for(problem)
    if assignment is not None and _status(assignment) == "reported":
        _call("control_return", actor=None, assignment=assignment, reason=reason)
        return
    open_assignment(problem=problem)


def cancel(*, problem, reason: str) -> None:
    assignment = assignment_for(problem)
    if assignment is not None and _status(assignment) not in ("accepted", "cancelled", "done", "closed"):
        _call("control_cancel", actor=None, assignment=assignment, reason=reason)
