"""What the court cases put in a person's planner (``krai.core.agenda``): the hearings he goes to or answers for.

A hearing is his when he is the case's lawyer, or when he heads the body that is party to the case (a head role
over its organisation or its municipality) — not every hearing his scope lets him read, which for a
vice-governor or the Department of Control would be the whole region's. Two or three queries, however many.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from krai.core.agenda import AgendaItem
from krai.monitoring.lawsuits.models import Hearing
from krai.monitoring.lawsuits.selectors import cases_visible_to
from krai.org.scopes import headed_organisations_q

AREA = "lawsuits"


def items(user, start: datetime, end: datetime) -> list[AgendaItem]:
    """The hearings from ``start`` (included) to ``end`` (excluded) of the cases ``user`` leads or heads."""
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff or end <= start:
        return []
    cases = cases_visible_to(user).filter(Q(lawyer_id=user.pk) | headed_organisations_q(user, "organisation"))
    hearings = (Hearing.objects.filter(case__in=cases, starts_at__gte=start, starts_at__lt=end)
                .select_related("case").order_by("starts_at", "id"))
    found: list[AgendaItem] = []
    for hearing in hearings:
        case = hearing.case
        place = ", ".join(part for part in (case.court, hearing.room) if part)
        status = hearing.result or case.get_stage_display()
        found.append(AgendaItem(
            key=f"{AREA}:hearing:{hearing.pk}", area=AREA, kind="hearing",
            title=_("Court hearing, case № %(number)s") % {"number": case.number}, start=hearing.starts_at,
            url=reverse("monitoring:lawsuits:case", args=[case.pk]), status=str(status), detail=place))
    return found
