"""Moderation of many reports at once: each one through the one-report service, so each is checked and
audited on its own, and one refusal does not undo the others."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from krai.problems.models import Problem
from krai.problems.services._common import clean_text, require
from krai.problems.services.reports import problem_publish, problem_reject

MAX_BULK = 100  # one page of the queue at most: a mistaken click should not reach thousands


@dataclass(frozen=True)
class Published:
    pk: int
    organisation: str
    due_date: dt.date | None


@dataclass
class BulkResult:
    """What happened to each report: published (where to, by when), rejected, or refused (and why)."""

    published: list[Published] = field(default_factory=list)
    rejected: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or str(_("You may not do this."))


def problems_moderate_many(*, actor, problems: Iterable[Problem], action: str, reason: str = "") -> BulkResult:
    """Publish (routed by the routing table) or reject (with one reason for all) each of ``problems``.

    Each report goes through ``problem_publish`` or ``problem_reject`` in its own transaction: the same
    permission and state checks, its own history row and event. Refusals are collected, not raised.
    """
    require(actor, "problems.access_workspace")
    if action not in ("publish", "reject"):
        raise ValidationError({"action": _("Choose to publish or to reject.")})
    problems = list(problems)
    if not problems:
        raise ValidationError({"ids": _("Tick the reports to moderate.")})
    if len(problems) > MAX_BULK:
        raise ValidationError({"ids": _("At most %(n)s reports at once.") % {"n": MAX_BULK}})
    if action == "reject":
        reason = clean_text(reason, field="reason", maximum=2000,
                            required=_("Say why the reports are rejected: each author is told."))
    result = BulkResult()
    for problem in problems:
        try:
            if action == "publish":
                done = problem_publish(actor=actor, problem=problem)
                result.published.append(Published(done.pk, done.organisation.name, done.due_date))
            else:
                problem_reject(actor=actor, problem=problem, reason=reason)
                result.rejected.append(problem.pk)
        except (ValidationError, PermissionDenied) as error:
            result.refused.append((problem.pk, _message(error)))
    return result
