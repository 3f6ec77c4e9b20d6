"""Reading court cases, scoped to the user: his scope's organisations, or cases where he is the lawyer."""

from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from krai.monitoring.lawsuits.models import CourtCase, Hearing, Stage
from krai.org.scopes import scope_for


def idle_days() -> int:
    return int(getattr(settings, "KRAI_LAWSUIT_IDLE_DAYS", 30))


def cases_visible_to(user) -> QuerySet[CourtCase]:
    if not user.is_authenticated or not user.is_staff:
        return CourtCase.objects.none()
    scope = scope_for(user)
    return CourtCase.objects.filter(scope.q(organisation="organisation") | Q(lawyer_id=user.pk))


def with_flags(cases: QuerySet[CourtCase], *, now: dt.datetime | None = None) -> QuerySet[CourtCase]:
    """Annotate ``has_next_hearing`` and ``no_next_step`` (open, no future hearing, no stage change in N days)."""
    now = now or timezone.now()
    future = Hearing.objects.filter(case=OuterRef("pk"), starts_at__gte=now)
    return cases.annotate(has_next_hearing=Exists(future))


def no_next_step(cases: QuerySet[CourtCase], *, now: dt.datetime | None = None) -> QuerySet[CourtCase]:
    now = now or timezone.now()
    limit = timezone.localdate(now) - dt.timedelta(days=idle_days())
    return with_flags(cases, now=now).filter(has_next_hearing=False, stage_changed_on__lte=limit).exclude(
        stage=Stage.CLOSED)


SOON_DAYS = 7


def hearing_soon(cases: QuerySet[CourtCase], *, now: dt.datetime | None = None) -> QuerySet[CourtCase]:
    """Cases with a hearing in the next ``SOON_DAYS`` days."""
    now = now or timezone.now()
    soon = Hearing.objects.filter(case=OuterRef("pk"), starts_at__gte=now,
                                  starts_at__lt=now + dt.timedelta(days=SOON_DAYS))
    return cases.filter(Exists(soon))


def case_list(user, *, organisation: str = "", category: str = "", stage: str = "", q: str = "",
              flagged: bool = False, lawyer_me: bool = False, soon: bool = False) -> QuerySet[CourtCase]:
    """The list page's cases — and the overview tile's figures, counted over the same filters."""
    cases = cases_visible_to(user)
    if organisation:
        cases = cases.filter(organisation__code=organisation)
    if category:
        cases = cases.filter(category=category)
    if stage == "open":
        cases = cases.exclude(stage=Stage.CLOSED)
    elif stage:
        cases = cases.filter(stage=stage)
    if q:
        cases = cases.filter(Q(number__icontains=q) | Q(court__icontains=q) | Q(other_parties__icontains=q))
    if lawyer_me:
        cases = cases.filter(lawyer_id=user.pk)
    if soon:
        cases = hearing_soon(cases)
    cases = no_next_step(cases) if flagged else with_flags(cases)
    return cases.select_related("organisation", "lawyer").order_by("-filed_on", "-id")


def flagged_ids(user) -> set[int]:
    return set(no_next_step(cases_visible_to(user)).values_list("pk", flat=True))


def case_for_user(user, pk: int) -> CourtCase:
    case = cases_visible_to(user).select_related("organisation", "lawyer").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def totals(user, *, by: str) -> list[dict]:
    """Claims and outcomes per organisation (``by="organisation"``) or per category."""
    field = {"organisation": "organisation__name", "category": "category"}[by]
    rows = (cases_visible_to(user).values(field).annotate(
        cases=Count("pk"), open=Count("pk", filter=~Q(stage=Stage.CLOSED)),
        claimed=Sum("amount_claimed"), awarded=Sum("amount_awarded"),
        won=Count("pk", filter=Q(outcome="won")), lost=Count("pk", filter=Q(outcome="lost")),
        partly=Count("pk", filter=Q(outcome="partly")),
        settled=Count("pk", filter=Q(outcome__in=["settled", "withdrawn"]))).order_by("-cases", field))
    labels = dict(CourtCase.Category.choices)
    return [{**row, "label": str(labels.get(row[field], row[field])) if by == "category" else row[field]}
            for row in rows]


def month_calendar(user, *, year: int, month: int, lawyer_me: bool = False) -> dict:
    """The month's hearings by day (days with none included, so it reads as a calendar)."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    cases = cases_visible_to(user)
    if lawyer_me:
        cases = cases.filter(lawyer_id=user.pk)
    hearings = (Hearing.objects.filter(case__in=cases, starts_at__gte=start, starts_at__lt=end)
                .select_related("case", "case__organisation", "case__lawyer").order_by("starts_at"))
    by_day: dict[dt.date, list[Hearing]] = {}
    for hearing in hearings:
        by_day.setdefault(timezone.localtime(hearing.starts_at).date(), []).append(hearing)
    days = [{"day": first + dt.timedelta(days=i), "hearings": by_day.get(first + dt.timedelta(days=i), [])}
            for i in range((last - first).days + 1)]
    previous = first - dt.timedelta(days=1)
    following = last + dt.timedelta(days=1)
    return {"first": first, "days": days, "count": len(hearings), "previous": previous.strftime("%Y-%m"),
            "next": following.strftime("%Y-%m"), "today": timezone.localdate()}
