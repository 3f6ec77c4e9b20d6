"""Reads of ideas campaigns: campaigns, published ideas with their support, moderation queues."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.org.selectors import scope_for
from krai.participation.models import Campaign, Idea, IdeaSupport


def campaign_list(*, state: str = "", municipality_id: int | None = None) -> QuerySet[Campaign]:
    """Campaigns (anyone sees them), with their published ideas counted; ``state``: open, upcoming, past."""
    today = timezone.localdate()
    qs = Campaign.objects.select_related("municipality", "organisation").annotate(
        ideas_published=Count("ideas", filter=Q(ideas__moderation=Idea.Moderation.PUBLISHED)))
    if state == "open":
        qs = qs.filter(starts_on__lte=today, ends_on__gte=today)
    elif state == "upcoming":
        qs = qs.filter(starts_on__gt=today)
    elif state == "past":
        qs = qs.filter(ends_on__lt=today)
    if municipality_id:
        qs = qs.filter(Q(municipality__isnull=True) | Q(municipality_id=municipality_id))
    return qs.order_by("-starts_on", "-pk")


def campaign_get(pk: int) -> Campaign:
    campaign = Campaign.objects.select_related("municipality", "organisation").filter(pk=pk).first()
    if campaign is None:
        raise Http404(_("No such campaign."))
    return campaign


def campaign_list_managed(*, user) -> QuerySet[Campaign]:
    if not user.has_perm("participation.add_campaign"):
        return Campaign.objects.none()
    condition = (scope_for(user).q(organisation="organisation", municipality="municipality")
                 | Q(created_by_id=user.pk))
    return (Campaign.objects.filter(condition).select_related("municipality", "organisation")
            .annotate(pending=Count("ideas", filter=Q(ideas__moderation=Idea.Moderation.PENDING)))
            .order_by("-starts_on", "-pk"))


def _annotated(qs: QuerySet[Idea], user) -> QuerySet[Idea]:
    qs = qs.select_related("campaign", "author").annotate(supporters=Count("supports", distinct=True))
    if user is not None and user.is_authenticated:
        qs = qs.annotate(supported=Exists(IdeaSupport.objects.filter(idea=OuterRef("pk"), user=user)))
    return qs


def idea_list(*, user, campaign: Campaign, order: str = "support") -> QuerySet[Idea]:
    """A campaign's published ideas (and the user's own, whatever their moderation), most supported first."""
    condition = Q(moderation=Idea.Moderation.PUBLISHED)
    if user is not None and user.is_authenticated:
        condition |= Q(author=user)
    qs = _annotated(Idea.objects.filter(campaign=campaign).filter(condition), user)
    return qs.order_by("-created_at", "-pk") if order == "new" else qs.order_by("-supporters", "-created_at", "-pk")


def idea_get(*, user, pk: int) -> Idea:
    """A published idea, the author's own, or any for its moderators; else Http404."""
    idea = _annotated(Idea.objects.filter(pk=pk), user).first()
    if idea is None:
        raise Http404(_("No such idea."))
    own = user.is_authenticated and idea.author_id == user.pk
    if idea.moderation != Idea.Moderation.PUBLISHED and not (own or user.has_perm("participation.moderate_idea", idea)):
        raise Http404(_("No such idea."))
    return idea


def moderation_queue(*, user, campaign: Campaign | None = None, moderation: str = "pending") -> QuerySet[Idea]:
    """Ideas of the campaigns ``user`` runs, by moderation state (pending first in line)."""
    campaigns = campaign_list_managed(user=user)
    if user.has_perm("participation.add_campaign") and scope_for(user).region:
        campaigns = Campaign.objects.all()
    qs = Idea.objects.filter(campaign__in=campaigns.values("pk"))
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if moderation:
        qs = qs.filter(moderation=moderation)
    return _annotated(qs, user).order_by("created_at", "pk")
