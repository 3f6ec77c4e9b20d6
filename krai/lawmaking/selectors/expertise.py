"""Reading the expertise and the reaction: an initiative's invitations and reviews (a hidden review only for
coordinators and its author), an expert's published reviews (his profile's section), the reaction and the
control-engine assignment behind it, with whether it is on time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from krai.core.workcalendar.selectors import add_working_days
from krai.lawmaking import conf, policy
from krai.lawmaking.models import Initiative, Invitation, Reaction, Review, Stage
from krai.orders import selectors as control_selectors


def default_due(today: date | None = None) -> date:
    """The reviews' deadline when none is given: the configured number of working days from today (by the
    production calendar, as the control engine counts)."""
    return add_working_days(today or timezone.localdate(), conf.expertise_working_days())


def invitations(initiative: Initiative) -> QuerySet[Invitation]:
    """Who was invited to review, by field, with the answer (the experts are public members of the registry)."""
    return initiative.invitations.select_related("expert", "field").order_by("invited_at", "id")


def invitation_of(user: Any, initiative: Initiative) -> Invitation | None:
    if not policy.is_active_user(user):
        return None
    return initiative.invitations.select_related("field").filter(expert_id=user.pk).first()


def reviews(viewer: Any, initiative: Initiative) -> QuerySet[Review]:
    """The initiative's reviews ``viewer`` may read: the published ones, and the hidden ones for coordinators and
    for their author."""
    rows = initiative.reviews.select_related("expert", "field", "version").order_by("submitted_at", "id")
    if policy.is_coordinator(viewer):
        return rows
    condition = Q(hidden_at__isnull=True)
    if policy.is_active_user(viewer):
        condition |= Q(expert_id=viewer.pk)
    return rows.filter(condition)


def review_for(viewer: Any, initiative: Initiative, pk: Any) -> Review:
    """One review of the initiative ``viewer`` may read, or ``Http404``."""
    from django.http import Http404

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    review = reviews(viewer, initiative).filter(pk=pk).first()
    if review is None:
        raise Http404
    return review


def review_of(user: Any, initiative: Initiative) -> Review | None:
    if not policy.is_active_user(user):
        return None
    return initiative.reviews.select_related("version").filter(expert_id=user.pk).first()


def conclusions(initiative: Initiative) -> dict[str, int]:
    """Published reviews counted by conclusion (every conclusion present, zero included)."""
    counts = dict(initiative.reviews.filter(hidden_at__isnull=True).values_list("conclusion")
                  .annotate(n=Count("id")).values_list("conclusion", "n"))
    return {value: counts.get(value, 0) for value in Review.Conclusion.values}


def expert_reviews(viewer: Any, user_id: int, *, limit: int | None = None) -> list[Review]:
    """An expert's published reviews of published initiatives, newest first (his profile's section)."""
    rows = (Review.objects.filter(expert_id=user_id, hidden_at__isnull=True,
                                  initiative__published_at__isnull=False)
            .select_related("initiative", "field").order_by("-submitted_at", "-id"))
    return list(rows[:limit] if limit else rows)


def may_review(user: Any, initiative: Initiative, today: date | None = None) -> bool:
    """Whether the reviewer's form is open to ``user`` now (invited, not declined, in the stage, by the deadline)."""
    invitation = invitation_of(user, initiative)
    if invitation is None or invitation.status == Invitation.Status.DECLINED:
        return False
    return initiative.stage == Stage.EXPERTISE and (today or timezone.localdate()) <= invitation.due


@dataclass(frozen=True)
class ReactionState:
    """The reaction owed or given: the answer (if any), the assignment on control, its deadline and timing."""

    reaction: Reaction | None
    assignment: Any
    due: date | None
    overdue: bool
    on_time: bool | None

    @property
    def body(self) -> Any:
        return self.assignment.executor_organisation if self.assignment is not None else None


def reaction_state(initiative: Initiative, today: date | None = None) -> ReactionState | None:
    """``None`` before the draft was sent for the reaction."""
    reaction = Reaction.objects.select_related("body", "decided_by").filter(initiative=initiative).first()
    assignment = control_selectors.control_for_subject(initiative)
    if reaction is None and assignment is None:
        return None
    due = assignment.deadline if assignment is not None else (reaction.due if reaction else None)
    today = today or timezone.localdate()
    if reaction is not None:
        return ReactionState(reaction=reaction, assignment=assignment, due=due, overdue=False,
                             on_time=reaction.on_time)
    overdue = bool(assignment.is_overdue(today))
    return ReactionState(reaction=None, assignment=assignment, due=due, overdue=overdue, on_time=None)
