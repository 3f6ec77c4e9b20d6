"""Reading the idea discussion as a viewer may see it: the support and its threshold, the initiator's questions
with their answers (hidden answers only for coordinators and their authors), the viewer's subscriptions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from krai.core.privacy import mask_personal
from krai.lawmaking import policy
from krai.lawmaking.models import Answer, Initiative, Question, Stage, Subscription, Support
from krai.lawmaking.selectors.initiatives import visible
from krai.social.selectors.profiles import display_name


@dataclass(frozen=True)
class SupportState:
    count: int
    threshold: int
    due: date | None
    is_open: bool  # support is collected now
    supported: bool  # the viewer supports it
    may_support: bool  # the viewer may add (or withdraw) his support now
    own: bool  # the viewer is its initiator

    @property
    def percent(self) -> int:
        if not self.threshold:
            return 0
        return min(100, self.count * 100 // self.threshold)

    @property
    def remaining(self) -> int:
        return max(0, self.threshold - self.count)


def support_state(viewer: Any, initiative: Initiative) -> SupportState:
    signed_in = policy.is_active_user(viewer)
    is_open = initiative.stage == Stage.DISCUSSION and not (
        initiative.stage_due is not None and initiative.stage_due < timezone.localdate())
    supported = signed_in and Support.objects.filter(initiative=initiative, user=viewer).exists()
    own = signed_in and initiative.initiator_id == viewer.pk
    may = is_open and signed_in and not own and bool(viewer.email_confirmed)
    return SupportState(count=initiative.support_count, threshold=initiative.support_threshold,
                        due=initiative.stage_due, is_open=is_open, supported=supported, may_support=may, own=own)


def _answers_seen(viewer: Any) -> QuerySet[Answer]:
    rows = Answer.objects.select_related("author", "author__social_profile").order_by("created_at", "id")
    if policy.is_coordinator(viewer):
        return rows
    if policy.is_active_user(viewer):
        return rows.filter(Q(hidden_at__isnull=True) | Q(author_id=viewer.pk))
    return rows.filter(hidden_at__isnull=True)


def questions(viewer: Any, initiative: Initiative) -> list[Question]:
    """The initiative's questions, open ones first, each with ``shown_answers`` (what the viewer may read) and
    ``mine`` (the viewer's own answer or ``None``)."""
    rows = list(Question.objects.filter(initiative=initiative)
                .prefetch_related(Prefetch("answers", queryset=_answers_seen(viewer), to_attr="shown_answers"))
                .order_by(F("closed_at").asc(nulls_first=True), "created_at", "id"))
    me = viewer.pk if policy.is_active_user(viewer) else None
    for question in rows:
        question.mine = next((a for a in question.shown_answers if a.author_id == me), None)
        question.shown_text = mask_personal(question.text)
        for answer in question.shown_answers:
            # the public sees a resident as the community names him, his contacts masked (as elsewhere in Krai)
            answer.author_name = display_name(answer.author)
            answer.shown_text = mask_personal(answer.text)
    return rows


def question_for(viewer: Any, pk: Any) -> Question:
    """A question of an initiative ``viewer`` may see, or ``Http404``."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    question = Question.objects.select_related("initiative").filter(
        pk=pk, initiative__in=visible(viewer).values("pk")).first()
    if question is None or not policy.may_see(viewer, question.initiative):
        raise Http404
    return question


def answer_for(viewer: Any, pk: Any) -> Answer:
    """An answer ``viewer`` may read (hidden ones: coordinators and the author), or ``Http404``."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    answer = _answers_seen(viewer).select_related("question__initiative").filter(
        pk=pk, question__initiative__in=visible(viewer).values("pk")).first()
    if answer is None:
        raise Http404
    return answer


def subscription_for(viewer: Any, initiative: Initiative) -> Subscription | None:
    if not policy.is_active_user(viewer):
        return None
    return Subscription.objects.filter(user=viewer, initiative=initiative).first()


def my_initiative_subscriptions(viewer: Any) -> QuerySet[Subscription]:
    """The initiatives ``viewer`` follows (those he may still see)."""
    if not policy.is_active_user(viewer):
        return Subscription.objects.none()
    return (Subscription.objects.filter(user=viewer, initiative__in=visible(viewer).values("pk"))
            .select_related("initiative").order_by("-created_at", "-id"))


def my_filters(viewer: Any) -> QuerySet[Subscription]:
    """The viewer's filters of new initiatives."""
    if not policy.is_active_user(viewer):
        return Subscription.objects.none()
    return (Subscription.objects.filter(user=viewer, initiative__isnull=True)
            .select_related("municipality", "field").order_by("created_at", "id"))


def filter_for(viewer: Any, pk: Any) -> Subscription:
    """One of the viewer's filters, or ``Http404`` (someone else's answers the same)."""
    try:
        return my_filters(viewer).get(pk=int(pk))
    except (TypeError, ValueError, Subscription.DoesNotExist):
        raise Http404 from None
