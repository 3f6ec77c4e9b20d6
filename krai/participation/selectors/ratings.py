"""Reads of government-service ratings: the registry, monthly ranks and their history, an organisation's view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, F, FloatField, Q, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.org.selectors import scope_for
from krai.participation import periods
from krai.participation.models import GovService, ServiceRank, ServiceRankBuild, ServiceRating


def service_list(*, organisation_id: int | None = None, search: str = "",
                 include_inactive: bool = False) -> QuerySet[GovService]:
    """The public registry of services, with this month's number of ratings."""
    month = periods.month_start(timezone.localdate())
    qs = GovService.objects.select_related("organisation")
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if organisation_id:
        qs = qs.filter(organisation_id=organisation_id)
    if search:
        qs = qs.filter(name__icontains=search)
    return qs.annotate(month_ratings=Count("ratings", filter=Q(ratings__month=month))).order_by("name", "pk")


def service_get(pk: int) -> GovService:
    service = GovService.objects.select_related("organisation").filter(pk=pk).first()
    if service is None:
        raise Http404(_("No such service."))
    return service


def own_rating(*, user, service: GovService) -> ServiceRating | None:
    """The user's rating of ``service`` for the current month, if any."""
    if not (user and user.is_authenticated):
        return None
    month = periods.month_start(timezone.localdate())
    return ServiceRating.objects.filter(service=service, user=user, month=month).first()


def rank_builds() -> QuerySet[ServiceRankBuild]:
    return ServiceRankBuild.objects.order_by("-month")


def ranks_for_month(*, month: dt.date | None = None, criterion: str = ServiceRank.Criterion.OVERALL
                    ) -> tuple[ServiceRankBuild | None, list[ServiceRank]]:
    """A month's published ranks for one criterion (the latest month unless given)."""
    build = (ServiceRankBuild.objects.filter(month=periods.month_start(month)).first() if month
             else ServiceRankBuild.objects.order_by("-month").first())
    if build is None:
        return None, []
    if criterion not in ServiceRank.Criterion.values:
        raise Http404(_("No such criterion."))
    return build, list(ServiceRank.objects.filter(build=build, criterion=criterion)
                       .select_related("service__organisation").order_by("position", "service__name"))


def rank_history(*, service: GovService) -> list[ServiceRank]:
    """The service's monthly places, every criterion, oldest month first."""
    return list(ServiceRank.objects.filter(service=service).select_related("build")
                .order_by("build__month", "criterion"))


@dataclass(frozen=True)
class ServiceSummary:
    service: GovService
    ratings: int
    quality: float | None
    convenience: float | None
    speed: float | None


def services_of_organisations(*, user) -> QuerySet[GovService]:
    """Services whose ratings and comments ``user`` may read: of organisations within his scope."""
    if not (user.is_authenticated and user.is_staff):
        return GovService.objects.none()
    return (GovService.objects.filter(scope_for(user).q(organisation="organisation"))
            .select_related("organisation").order_by("organisation__path", "name"))


def organisation_view(*, user, month: dt.date | None = None) -> list[ServiceSummary]:
    """Each service in ``user``'s scope with its number of ratings and mean marks (one month, or all time)."""
    ratings = ServiceRating.objects.filter(service__in=services_of_organisations(user=user))
    if month:
        ratings = ratings.filter(month=periods.month_start(month))
    rows = {row["service_id"]: row for row in ratings.values("service_id").annotate(
        n=Count("id"), q=Avg(Cast(F("quality"), FloatField())), c=Avg(Cast(F("convenience"), FloatField())),
        s=Avg(Cast(F("speed"), FloatField())))}
    return [ServiceSummary(service=s, ratings=rows.get(s.pk, {}).get("n", 0), quality=rows.get(s.pk, {}).get("q"),
                           convenience=rows.get(s.pk, {}).get("c"), speed=rows.get(s.pk, {}).get("s"))
            for s in services_of_organisations(user=user)]


def service_comments(*, user, service: GovService, limit: int = 200) -> QuerySet[ServiceRating]:
    """The ratings with comments of a service, for those who may see them (its organisation's scope)."""
    if not user.has_perm("participation.view_service_ratings", service):
        raise Http404(_("No such service."))
    return ServiceRating.objects.filter(service=service).exclude(comment="").order_by("-month", "-created_at")[:limit]
