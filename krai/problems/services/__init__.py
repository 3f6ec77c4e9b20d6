"""Every write of the problems area: one function per use case, keyword-only, atomic, permission-checked."""

from krai.problems.services.answers import (
    problem_answer,
    problem_rate,
    problem_reassign,
    problem_reopen,
    problem_take,
)
from krai.problems.services.bulk import BulkResult, problems_moderate_many
from krai.problems.services.erasure import problems_erase_person
from krai.problems.services.reports import (
    problem_edit_public,
    problem_endorse,
    problem_merge,
    problem_publish,
    problem_reject,
    problem_report,
    problem_subscribe,
    problem_unendorse,
)
from krai.problems.services.routing import due_date_for, route_for, routing_rule_delete, routing_rule_set
from krai.problems.services.sync import on_control_event

__all__ = [
    "BulkResult",
    "due_date_for",
    "on_control_event",
    "problem_answer",
    "problem_edit_public",
    "problem_endorse",
    "problem_merge",
    "problem_publish",
    "problem_rate",
    "problem_reassign",
    "problem_reject",
    "problem_reopen",
    "problem_report",
    "problem_subscribe",
    "problem_take",
    "problem_unendorse",
    "problems_erase_person",
    "problems_moderate_many",
    "route_for",
    "routing_rule_delete",
    "routing_rule_set",
]
