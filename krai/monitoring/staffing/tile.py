"""Staffing's tile on the monitoring overview: the fill rate and the risks, as the monitor's page shows them (the
same selectors; the risks are the page's lists ``#st-critical`` and ``#st-low``)."""

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
    url = reverse("monitoring:staffing:home")
    return tiles.Tile("staffing", _("Staff completeness"), url, figures=[
        tiles.Figure(_("Fill rate, %"), percent,
                     "success" if (percent or 0) >= rates["threshold"] * 100 else "warning", url),
        tiles.Figure(_("Critical vacancies overdue"), len(risks["vacancies"]), "danger" if risks["vacancies"] else "",
                     f"{url}#st-critical"),
        tiles.Figure(_("Units below the threshold"), len(risks["units"]), "warning" if risks["units"] else "",
                     f"{url}#st-low"),
    ])
