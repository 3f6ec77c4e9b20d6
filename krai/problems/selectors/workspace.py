"""The workspace's reads: the queue of problems routed to the acting user's scope, the moderation queue, the
bodies' names for the filter, and the statistics per body or municipality (``StatRow``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from krai.org.selectors import scope_for
from krai.problems.models import Problem
from krai.problems.selectors.base import Filters, _base


def workspace_queue(*, user, filters: Filters | None = None) -> QuerySet[Problem]:
    """Problems routed to the organisations in ``user``'s scope (or its municipalities): open ones first, the
    nearest deadline first among them, then the answered and closed ones."""
    scope = scope_for(user)
    if scope.region:
        qs = _base().exclude(status__in=(Problem.Status.NEW, Problem.Status.REJECTED))
    else:
        condition = scope.q(organisation="organisation")
        if scope.municipality_ids:
            condition |= Q(municipality_id__in=scope.municipality_ids)
        qs = _base().filter(condition).exclude(status__in=(Problem.Status.NEW, Problem.Status.REJECTED))
    qs = (filters or Filters()).apply(qs)
    is_open = Case(When(status__in=Problem.OPEN, then=Value(0)), default=Value(1), output_field=IntegerField())
    return qs.order_by(is_open, F("due_date").asc(nulls_last=True), "id")


def moderation_queue(*, user, filters: Filters | None = None) -> QuerySet[Problem]:
    """Reports awaiting moderation in the places ``user`` moderates (all of them for region-wide roles), the
    oldest first; narrowed by ``filters`` (theme, municipality, text)."""
    scope = scope_for(user)
    qs = (filters or Filters()).apply(_base().filter(status=Problem.Status.NEW)).order_by("id")
    if not user.has_perm("problems.access_workspace"):
        return qs.none()
    if scope.region or scope.has_role("administrator", "controller"):
        return qs
    if scope.has_role("head") and scope.municipality_ids:
        return qs.filter(municipality_id__in=scope.municipality_ids)
    return qs.none()


def body_names(*, user) -> list[str]:
    """The names of the bodies answering problems in ``user``'s queue: suggestions for the body filter."""
    qs = workspace_queue(user=user).exclude(organisation__isnull=True).order_by()
    return sorted(set(qs.values_list("organisation__name", flat=True).distinct()))


@dataclass
class StatRow:
    """Figures of one body or municipality."""

    key: int
    name: str
    received: int
    answered: int
    on_time: int
    fixed: int
    overdue: int
    rating: float | None
    ratings: int = 0

    @property
    def on_time_share(self) -> int:
        return round(100 * self.on_time / self.answered) if self.answered else 0


def statistics(*, user, by: str = "organisation") -> list[StatRow]:
    """Received, answered (on time), fixed, overdue, average rating — per body or per municipality.

    The rating is the average of every rating of each problem's latest rated fix cycle (a reopened and
    fixed again problem counts with its new ratings, not the old fix's).
    """
    field = "organisation" if by == "organisation" else "municipality"
    today = timezone.localdate()
    qs = workspace_queue(user=user).exclude(**{f"{field}__isnull": True}).order_by()
    rows = qs.values(f"{field}_id", f"{field}__name").annotate(
        received=Count("id"),
        answered=Count("id", filter=Q(answered_at__isnull=False)),
        on_time=Count("id", filter=Q(answered_at__isnull=False, due_date__isnull=False)
                      & Q(answered_at__date__lte=F("due_date"))),
        fixed=Count("id", filter=Q(status=Problem.Status.FIXED)),
        overdue=Count("id", filter=Q(status__in=Problem.AWAITING_REACTION, due_date__lt=today)),
        ratings=Sum("ratings_count"), ratings_total=Sum("ratings_total"),
    ).order_by(f"{field}__name")
    return [StatRow(key=r[f"{field}_id"], name=r[f"{field}__name"], received=r["received"], answered=r["answered"],
                    on_time=r["on_time"], fixed=r["fixed"], overdue=r["overdue"], ratings=r["ratings"] or 0,
                    rating=round(r["ratings_total"] / r["ratings"], 2) if r["ratings"] else None) for r in rows]
