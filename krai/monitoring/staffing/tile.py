"""Staffing's tile on the monitoring overview."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from krai.monitoring import tiles
from krai.monitoring.staffing import selectors


@tiles.register("staffing", order=30)
def staffing_tile(user) -> tiles.Tile | None:
    if not user.has_perm("monitoring.access"):
        return None
    rates = selectors.fill_rates(user)
    if not rates["total"].positions:
        return None
    risks = selectors.risks(user)
    percent = rates["total"].percent
    return tiles.Tile("staffing", _("Staff completeness"), reverse("monitoring:staffing:home"), figures=[
        (_("Fill rate, %"), percent, "success" if (percent or 0) >= rates["threshold"] * 100 else "warning"),
        (_("Critical vacancies overdue"), len(risks["vacancies"]), "danger" if risks["vacancies"] else ""),
        (_("Units below the threshold"), len(risks["units"]), "warning" if risks["units"] else ""),
    ])
