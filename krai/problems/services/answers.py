"""The responsible body's writes (take in work, answer, pass on) and the residents' (rate, reopen)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.files.services import attachment_create
from krai.problems import buckets, engine
from krai.problems.models import Problem, ProblemRating
from krai.problems.services._common import clean_text, event, history, max_photo_bytes, require
from krai.problems.services.reports import _locked, check_photos
from krai.problems.services.routing import due_date_for

POOR_RATING = 2  # this or less, with a reason, reopens the problem


@transaction.atomic
def problem_take(*, actor, problem: Problem) -> Problem:
    """The body takes a routed (or reopened) problem in work."""
    problem = _locked(problem)
    require(actor, "problems.answer_problem", problem, message=_("This problem is not your body's to answer."))
    if problem.status not in (Problem.Status.ROUTED, Problem.Status.REOPENED):
        raise ValidationError(_("Only a problem sent to your body can be taken in work."), code="state")
    before = buckets.key_of(problem)
    problem.status = Problem.Status.IN_WORK
    problem.save(update_fields=["status", "updated_at"])
    buckets.move(before, buckets.key_of(problem), problem)
    history(problem=problem, kind="in_work", actor=actor, organisation=problem.organisation)
    engine.start(problem=problem)
    event(kind="taken", actor=actor, problem=problem)
    return problem


@transaction.atomic
def problem_answer(*, actor, problem: Problem, answer: str, text: str, planned_date: dt.date | None = None,
                   programme: str = "", photos: Sequence = ()) -> Problem:
    """The official reaction: fixed (a report, photos), planned (a date, the programme), or declined (the law).

    A planned problem is answered again once the work is done.
    """
    problem = _locked(problem)
    require(actor, "problems.answer_problem", problem, message=_("This problem is not your body's to answer."))
    allowed = (*Problem.AWAITING_REACTION, Problem.Status.PLANNED)
    if problem.status not in allowed:
        raise ValidationError(_("This problem is not waiting for an answer."), code="state")
    errors: dict[str, Any] = {}
    if answer not in Problem.Answer.values:
        errors["answer"] = _("Choose fixed, planned or declined.")
    try:
        text = clean_text(text, field="text", required=_("Write the answer: what was done, or why not."),
                          maximum=4000)
    except ValidationError as error:
        errors.update(error.message_dict)
    if answer == Problem.Answer.PLANNED:
        if planned_date is None:
            errors["planned_date"] = _("Say when the work is planned.")
        elif planned_date <= timezone.localdate():
            errors["planned_date"] = _("A planned date lies in the future.")
    if answer != Problem.Answer.FIXED and photos:
        errors["photos"] = _("Photos go with a report of the fix.")
    if errors:
        raise ValidationError(errors)
    photos = list(photos or [])
    check_photos(photos)
    status = {Problem.Answer.FIXED: Problem.Status.FIXED, Problem.Answer.PLANNED: Problem.Status.PLANNED,
              Problem.Answer.DECLINED: Problem.Status.CLOSED}[answer]
    was_awaiting = problem.status in Problem.AWAITING_REACTION
    before = buckets.key_of(problem)
    problem.status, problem.answer, problem.answer_text = status, answer, text
    problem.answered_at = timezone.now()
    problem.planned_date = planned_date if answer == Problem.Answer.PLANNED else problem.planned_date
    problem.programme = (programme or "").strip()[:300] if answer == Problem.Answer.PLANNED else problem.programme
    problem.closed_at = timezone.now() if status in (Problem.Status.FIXED, Problem.Status.CLOSED) else None
    problem.save()
    buckets.move(before, buckets.key_of(problem), problem)
    for photo in photos:
        attachment_create(actor=actor, target=problem, upload=photo, allowed_kinds=("image",),
                          max_bytes=max_photo_bytes())
    history(problem=problem, kind="answered", actor=actor, text=text, organisation=problem.organisation)
    if was_awaiting:
        engine.report_and_accept(problem=problem, text=text)
    event(kind="answered", actor=actor, problem=problem, answer=answer,
          planned_date=problem.planned_date if answer == Problem.Answer.PLANNED else None,
          on_time=bool(problem.due_date is None or timezone.localdate() <= problem.due_date))
    return problem


@transaction.atomic
def problem_reassign(*, actor, problem: Problem, organisation, reason: str) -> Problem:
    """Pass the problem to another body (wrong addressee); the deadline runs on."""
    problem = _locked(problem)
    require(actor, "problems.reassign_problem", problem, message=_("This problem is not your body's to pass on."))
    if problem.status not in Problem.AWAITING_REACTION:
        raise ValidationError(_("Only a problem waiting for an answer can be passed on."), code="state")
    reason = clean_text(reason, field="reason", required=_("Say why the problem goes to another body."),
                        maximum=2000)
    if organisation is None or not organisation.is_active:
        raise ValidationError({"organisation": _("Choose an active organisation.")})
    if organisation.pk == problem.organisation_id:
        raise ValidationError({"organisation": _("The problem is with this organisation already.")})
    before = buckets.key_of(problem)
    problem.organisation, problem.status = organisation, Problem.Status.ROUTED
    problem.save(update_fields=["organisation", "status", "updated_at"])
    buckets.move(before, buckets.key_of(problem), problem)
    history(problem=problem, kind="reassigned", actor=actor, text=reason, organisation=organisation)
    engine.reassign(problem=problem, organisation=organisation, reason=reason)
    event(kind="reassigned", actor=actor, problem=problem, reason=reason)
    return problem


@transaction.atomic
def problem_rate(*, actor, problem: Problem, rating: Any, comment: str = "") -> Problem:
    """The author or a supporter rates the result (1–5), once per fix cycle; a poor rating with a reason
    reopens the problem for the body (a new cycle, rated afresh)."""
    problem = _locked(problem)
    require(actor, "problems.rate_problem", problem,
            message=_("The author and those who endorsed the report rate its result."))
    if problem.status not in (Problem.Status.FIXED, Problem.Status.CLOSED) or problem.duplicate_of_id:
        raise ValidationError(_("A result is rated once the body reports it."), code="state")
    if ProblemRating.objects.filter(problem=problem, cycle=problem.cycle, user=actor).exists():
        raise ValidationError(_("You have rated this result already."), code="already_rated")
    if isinstance(rating, bool) or not isinstance(rating, int | str) or not str(rating).isdigit() \
            or not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": _("Rate from 1 to 5.")})
    rating = int(rating)
    comment = str(comment or "").strip()[:2000]
    if rating <= POOR_RATING and not comment:
        raise ValidationError({"comment": _("Say what is wrong: the problem goes back to the body.")})
    by_author = problem.author_id == actor.pk
    ProblemRating.objects.create(problem=problem, user=actor, cycle=problem.cycle, value=rating, comment=comment,
                                 is_author=by_author)
    # the figure is the latest rated cycle's: the first rating of a new cycle replaces the old cycle's sums
    sums = ProblemRating.objects.filter(problem=problem, cycle=problem.cycle).aggregate(n=Count("id"),
                                                                                        total=Sum("value"))
    problem.ratings_count, problem.ratings_total = sums["n"], sums["total"]
    fields = ["ratings_count", "ratings_total", "updated_at"]
    if by_author:
        problem.rating, problem.rating_comment = rating, comment
        fields += ["rating", "rating_comment"]
    problem.save(update_fields=fields)
    history(problem=problem, kind="rated", actor=actor, text=comment)
    event(kind="rated", actor=actor, problem=problem, rating=rating, cycle=problem.cycle, by_author=by_author)
    if rating <= POOR_RATING:
        _reopen(actor=actor, problem=problem, reason=comment)
    return problem


def _reopen(*, actor, problem: Problem, reason: str) -> None:
    before = buckets.key_of(problem)
    problem.status, problem.closed_at = Problem.Status.REOPENED, None
    problem.due_date = due_date_for(problem.category)
    problem.cycle += 1
    problem.save()
    buckets.move(before, buckets.key_of(problem), problem)
    history(problem=problem, kind="reopened", actor=actor, text=reason, organisation=problem.organisation)
    engine.reopen(problem=problem, reason=reason)
    event(kind="reopened", actor=actor, problem=problem, reason=reason, due_date=problem.due_date, cycle=problem.cycle)


@transaction.atomic
def problem_reopen(*, actor, problem: Problem, reason: str) -> Problem:
    """The author or a supporter says it is not fixed: back to the body with a new deadline and a new cycle."""
    problem = _locked(problem)
    require(actor, "problems.rate_problem", problem,
            message=_("The author and those who endorsed the report may reopen it."))
    if problem.status not in (Problem.Status.FIXED, Problem.Status.CLOSED) or problem.duplicate_of_id:
        raise ValidationError(_("Only an answered problem can be reopened."), code="state")
    reason = clean_text(reason, field="reason", required=_("Say what is still wrong."), maximum=2000)
    _reopen(actor=actor, problem=problem, reason=reason)
    return problem
