"""Lawsuits' tile on the monitoring overview."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krai.monitoring import tiles
from krai.monitoring.lawsuits import selectors
from krai.monitoring.lawsuits.models import Hearing, Stage


@tiles.register("lawsuits", order=40)
def lawsuits_tile(user) -> tiles.Tile | None:
    if not user.has_perm("monitoring.access"):
        return None
    cases = selectors.cases_visible_to(user)
    open_cases = cases.exclude(stage=Stage.CLOSED).count()
    if not open_cases and not cases.exists():
        return None
    now = timezone.now()
    week = Hearing.objects.filter(case__in=cases, starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=7)).count()
    flagged = len(selectors.flagged_ids(user))
    return tiles.Tile("lawsuits", _("Lawsuits"), reverse("monitoring:lawsuits:home"), figures=[
        (_("Open cases"), open_cases, ""),
        (_("Hearings in 7 days"), week, "warning" if week else ""),
        (_("No next step"), flagged, "danger" if flagged else ""),
    ])
