"""The expertise's and the reaction's registrations and event reactions (imported by ``subscribers``): the
expert's profile section "Reviews of draft acts", the invited expert told and reminded, and everyone who took
part in a draft told of the government's reaction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override, pgettext_lazy

from krai.core.comments.models import Comment
from krai.core.events.registry import subscriber
from krai.core.notifications.services import notify
from krai.lawmaking.models import (
    Amendment,
    Annotation,
    Answer,
    Initiative,
    Invitation,
    Reaction,
    Review,
    Subscription,
    Support,
)
from krai.lawmaking.selectors import expertise as selectors
from krai.social.sections import register_section


def _profile_reviews(viewer: Any, profile: Any) -> dict[str, Any] | None:
    reviews = selectors.expert_reviews(viewer, profile.user_id, limit=20)
    return {"lawmaking_reviews": reviews} if reviews else None


register_section("lawmaking-reviews", pgettext_lazy("profile section", "Reviews of draft acts"),
                 "lawmaking/profile_reviews.html", _profile_reviews, order=40)


def _language(user: Any) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


@subscriber("lawmaking.expertise_invited", kinds=["lawmaking.expert_invited", "lawmaking.expert_reminded"])
def tell_expert(event: Any) -> None:
    invitation = Invitation.objects.select_related("expert", "initiative").filter(pk=event.subject_id).first()
    if invitation is None or invitation.status != Invitation.Status.INVITED:
        return
    initiative = invitation.initiative
    due = invitation.due.strftime("%d.%m.%Y")
    with override(_language(invitation.expert)):
        if event.kind == "lawmaking.expert_invited":
            title = _("You are invited to review the draft “%(title)s” by %(date)s") % {
                "title": initiative.title[:200], "date": due}
        else:
            title = _("Reminder: your review of the draft “%(title)s” is due on %(date)s") % {
                "title": initiative.title[:200], "date": due}
        notify(users=[invitation.expert], kind=event.kind, title=title,
               url=reverse("lawmaking:review", args=[initiative.pk]), event=event)


def participants(initiative: Initiative) -> list[Any]:
    """Everyone who took part in the draft, each once: the initiator, supporters, authors of answers, of comments
    on the initiative, of annotations and amendments, reviewers, and subscribers of the initiative."""
    ids: set[int] = set()
    if initiative.initiator_id:
        ids.add(initiative.initiator_id)
    ids.update(Support.objects.filter(initiative=initiative).values_list("user_id", flat=True))
    ids.update(Answer.objects.filter(question__initiative=initiative).values_list("author_id", flat=True))
    ids.update(Comment.objects.filter(content_type=ContentType.objects.get_for_model(Initiative),
                                      object_id=str(initiative.pk)).values_list("author_id", flat=True))
    ids.update(Annotation.objects.filter(initiative=initiative).values_list("author_id", flat=True))
    ids.update(Amendment.objects.filter(initiative=initiative).values_list("author_id", flat=True))
    ids.update(Review.objects.filter(initiative=initiative).values_list("expert_id", flat=True))
    ids.update(Subscription.objects.filter(initiative=initiative).values_list("user_id", flat=True))
    ids.discard(None)
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


@subscriber("lawmaking.reaction_participants", kinds=["lawmaking.reaction_given"])
def tell_participants(event: Any) -> None:
    initiative = Initiative.objects.filter(pk=event.subject_id).first()
    reaction = Reaction.objects.filter(initiative_id=event.subject_id).first()
    if initiative is None or reaction is None:
        return
    url = reverse("lawmaking:reaction", args=[initiative.pk])
    people = participants(initiative)
    by_language: dict[str, list[Any]] = {}
    for person in people:
        by_language.setdefault(_language(person), []).append(person)
    for language, group in by_language.items():
        with override(language):
            title = _("The government answered the draft “%(title)s”: %(decision)s") % {
                "title": initiative.title[:200], "decision": reaction.get_decision_display()}
            body = "\n".join(part for part in (
                _("Act № %(number)s of %(date)s") % {"number": reaction.act_number,
                                                    "date": reaction.act_date.strftime("%d.%m.%Y")}
                if reaction.act_number and reaction.act_date else reaction.act_number,
                reaction.act_title, reaction.reasons) if part)
            notify(users=group, kind="lawmaking.reaction_given", title=title, body=body, url=url, event=event)
