"""Reads of problems for the public and for one resident: lists, one problem (404 when hidden), its history and
photos, endorsements and subscriptions, similar problems nearby, ratings, and a resident's own activity (read by
the portal's "my activity" page).
"""

from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from krai.core.files.selectors import attachments_for
from krai.problems.models import Category, Endorsement, Problem, ProblemRating, ProblemUpdate, Subscription
from krai.problems.selectors.base import Filters, _base, published


def problem_list(*, filters: Filters | None = None, order: str = "new") -> QuerySet[Problem]:
    """Published problems for everyone (newest first, or the most endorsed)."""
    qs = (filters or Filters()).apply(published())
    return qs.order_by("-endorsements_count", "-id") if order == "endorsed" else qs.order_by("-id")


def problem_get_for_user(*, user, pk: Any) -> Problem:
    """A problem ``user`` may see; missing and forbidden both raise Http404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404(_("No such problem.")) from None
    problem = _base().filter(pk=pk).first()
    if problem is None or not user.has_perm("problems.view_problem", problem):
        raise Http404(_("No such problem."))
    return problem


def timeline(*, user, problem: Problem) -> list[ProblemUpdate]:
    """A problem's history: the public entries, or everything for its moderators and body."""
    qs = problem.updates.select_related("actor", "organisation")
    staff = user.has_perm("problems.moderate_problem", problem) or user.has_perm("problems.answer_problem", problem)
    return list(qs if staff else qs.filter(is_public=True))


def photos(*, user, problem: Problem) -> list:
    return list(attachments_for(user=user, target=problem).filter(kind="image"))


def photos_apart(*, user, problem: Problem) -> tuple[list, list]:
    """The resident's photos and the answer's, apart: the author's uploads are the report's; any other
    (staff attaching the result of a fix) belong to the answer."""
    mine, answer = [], []
    for photo in photos(user=user, problem=problem):
        (mine if photo.uploaded_by_id == problem.author_id else answer).append(photo)
    return mine, answer


def has_endorsed(*, user, problem: Problem) -> bool:
    return bool(user.is_authenticated and Endorsement.objects.filter(problem=problem, user=user).exists())


def is_subscribed(*, user, problem: Problem) -> bool:
    return bool(user.is_authenticated and Subscription.objects.filter(problem=problem, user=user).exists())


def my_problems(*, user) -> QuerySet[Problem]:
    if not user.is_authenticated:
        return Problem.objects.none()
    return _base().filter(author=user).order_by("-id")


def similar_nearby(*, lat: float, lon: float, category: Category | None, radius_m: int = 300,
                   limit: int = 5) -> list[Problem]:
    """Open published problems of the same theme near a point: endorse one of them instead of repeating it."""
    if category is None or not (math.isfinite(lat) and math.isfinite(lon)) or abs(lat) > 89:
        return []
    dlat = radius_m / 111_320
    dlon = dlat / max(math.cos(math.radians(lat)), 0.01)
    qs = published().filter(status__in=Problem.OPEN, category=category, lat__range=(lat - dlat, lat + dlat),
                            lon__range=(lon - dlon, lon + dlon))
    return sorted(qs[:50], key=lambda p: (p.lat - lat) ** 2 + ((p.lon - lon) * math.cos(math.radians(lat))) ** 2
                  )[:limit]


def my_rating(*, user, problem: Problem) -> ProblemRating | None:
    """``user``'s rating of the problem's current fix cycle, or None."""
    if not user.is_authenticated:
        return None
    return ProblemRating.objects.filter(problem=problem, cycle=problem.cycle, user=user).first()


def can_rate(*, user, problem: Problem) -> bool:
    """The author or a supporter, the result reported, not yet rated by him in this cycle."""
    return bool(user.is_authenticated and problem.status in (Problem.Status.FIXED, Problem.Status.CLOSED)
                and not problem.duplicate_of_id and user.has_perm("problems.rate_problem", problem)
                and my_rating(user=user, problem=problem) is None)


# --- one resident's own activity (read by the portal's "my activity" page) ----------------------------------

def my_subscriptions(*, user) -> QuerySet[Subscription]:
    """The problems ``user`` follows, newest first."""
    if not user.is_authenticated:
        return Subscription.objects.none()
    return Subscription.objects.filter(user=user).select_related("problem").order_by("-created_at", "-id")


def my_endorsements(*, user) -> QuerySet[Endorsement]:
    if not user.is_authenticated:
        return Endorsement.objects.none()
    return Endorsement.objects.filter(user=user).select_related("problem").order_by("-created_at", "-id")


def my_ratings(*, user) -> QuerySet[ProblemRating]:
    """The results ``user`` rated, every fix cycle, newest first."""
    if not user.is_authenticated:
        return ProblemRating.objects.none()
    return ProblemRating.objects.filter(user=user).select_related("problem").order_by("-created_at", "-id")
