"""Reads of suggestions, and of everything one resident did in participation ("my activity")."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from krai.participation.models import Idea, IdeaSupport, Participation, PriorityVote, ServiceRating, Suggestion


def problem_for_suggestion(*, user, pk: Any) -> Any:
    """The problem a solution is suggested for, if ``user`` may see it; else None.

    Participation does not import the problems area: the model comes from the foreign key, and
    whether the user may see the row from the problems' own permission.
    """
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    model = Suggestion._meta.get_field("problem").related_model
    problem = model.objects.filter(pk=pk).first()
    return problem if problem is not None and user.has_perm("problems.view_problem", problem) else None


def suggestion_queue(*, user, status: str = "new", kind: str = "") -> QuerySet[Suggestion]:
    """Suggestions for those who answer them, the oldest unanswered first."""
    if not user.has_perm("participation.answer_suggestion"):
        return Suggestion.objects.none()
    qs = Suggestion.objects.select_related("author", "problem", "answered_by")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("created_at", "id") if status == Suggestion.Status.NEW else qs.order_by("-created_at", "-id")


def suggestion_get(*, user, pk: int) -> Suggestion:
    """One suggestion its author or an answerer may see; Http404 alike for missing and forbidden."""
    found = Suggestion.objects.select_related("author", "problem", "answered_by").filter(pk=pk).first()
    if found is None or not user.has_perm("participation.view_suggestion", found):
        raise Http404(_("No such suggestion."))
    return found


def suggestions_of(*, user) -> QuerySet[Suggestion]:
    if not user.is_authenticated:
        return Suggestion.objects.none()
    return Suggestion.objects.filter(author=user).select_related("problem").order_by("-created_at", "-id")


def my_activity(*, user, limit: int = 50) -> dict[str, list[Any]]:
    """What ``user`` did in participation, newest first: votes, priority votes, ratings, ideas, support, suggestions.

    A secret ballot's content is not here: only that he took part (the ballot is stored apart from him).
    """
    if not user.is_authenticated:
        return {"votes": [], "priority_votes": [], "ratings": [], "ideas": [], "supports": [], "suggestions": []}
    return {
        "votes": list(Participation.objects.filter(user=user).select_related("poll").order_by("-voted_at")[:limit]),
        "priority_votes": list(PriorityVote.objects.filter(voter=user).select_related("priority")
                               .order_by("-created_at")[:limit]),
        "ratings": list(ServiceRating.objects.filter(user=user).select_related("service")
                        .order_by("-pk")[:limit]),
        "ideas": list(Idea.objects.filter(author=user).select_related("campaign")
                      .annotate(supporters=Count("supports", distinct=True)).order_by("-created_at")[:limit]),
        "supports": list(IdeaSupport.objects.filter(user=user).select_related("idea").order_by("-created_at")[:limit]),
        "suggestions": list(suggestions_of(user=user)[:limit]),
    }
