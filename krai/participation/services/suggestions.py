"""Writes of suggestions: a resident proposes (a category, a topic, a solution to a problem); staff answer."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.core.events.services import record_event
from krai.core.notifications.services import notify
from krai.participation.models import Suggestion
from krai.participation.services._common import require, require_confirmed_resident

MAX_BODY = 5000


@transaction.atomic
def suggestion_create(*, actor: Any, kind: str, title: str, body: str, problem: Any = None) -> Suggestion:
    """Propose a new problem category or topic, or a solution to a problem the resident may see."""
    require_confirmed_resident(actor, verb=_("make a suggestion"))
    require(actor, "participation.add_suggestion")
    errors: dict[str, Any] = {}
    title, body = (title or "").strip(), (body or "").strip()
    if kind not in Suggestion.Kind.values:
        errors["kind"] = _("Choose what you suggest.")
    if not title:
        errors["title"] = _("Give your suggestion a title.")
    elif len(title) > 200:
        errors["title"] = _("At most %(n)s characters.") % {"n": 200}
    if not body:
        errors["body"] = _("Describe your suggestion.")
    elif len(body) > MAX_BODY:
        errors["body"] = _("At most %(n)s characters.") % {"n": MAX_BODY}
    if kind == Suggestion.Kind.SOLUTION:
        if problem is None or not actor.has_perm("problems.view_problem", problem):
            errors["problem"] = _("Choose the problem your solution is for.")
    elif problem is not None:
        errors["problem"] = _("Only a solution is linked to a problem.")
    if errors:
        raise ValidationError(errors)
    suggestion = Suggestion.objects.create(kind=kind, author=actor, title=title, body=body,
                                           problem=problem if kind == Suggestion.Kind.SOLUTION else None)
    record_event(kind="participation.suggestion_made", actor=actor, subject=suggestion,
                 payload={"kind": kind, "problem": suggestion.problem_id})
    return suggestion


@transaction.atomic
def suggestion_answer(*, actor: Any, suggestion: Suggestion, status: str, answer: str) -> Suggestion:
    """Staff answer a suggestion (accepted, taken into consideration, or rejected); the author is told."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    require(actor, "participation.answer_suggestion", suggestion,
            message=_("Suggestions are answered by the Department of Control and administrators."))
    errors: dict[str, Any] = {}
    answer = (answer or "").strip()
    if status not in (Suggestion.Status.ACCEPTED, Suggestion.Status.CONSIDERED, Suggestion.Status.REJECTED):
        errors["status"] = _("Accept, take into consideration or reject.")
    if not answer:
        errors["answer"] = _("Write the answer: the author reads it.")
    if errors:
        raise ValidationError(errors)
    suggestion.status, suggestion.answer = status, answer
    suggestion.answered_by, suggestion.answered_at = actor, timezone.now()
    suggestion.save()
    event = record_event(kind="participation.suggestion_answered", actor=actor, subject=suggestion,
                         payload={"status": status})
    if suggestion.author_id:
        notify(users=[suggestion.author], kind="participation.suggestion",
               title=str(_("Your suggestion is answered: %(title)s") % {"title": suggestion.title}),
               body=answer, url=reverse("participation:suggestion", args=[suggestion.pk]), event=event)
    return suggestion
