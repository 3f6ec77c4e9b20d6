"""The indicators monitor's tile on the monitoring overview: how many indicators are in each colour, and how
many reports are overdue, within the user's scope."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from krai.monitoring import tiles
from krai.monitoring.indicators import selectors


@tiles.register("indicators", order=20)
def indicators_tile(user) -> tiles.Tile | None:
    if not user.has_perm("indicators.view"):
        return None
    rows = selectors.deviation_table(user=user)
    if not rows:
        return None
    count = {c: sum(1 for r in rows if r.colour == c) for c in ("ok", "warn", "critical")}
    return tiles.Tile(key="indicators", title=_("Target indicators"), url=reverse("monitoring:indicators:table"),
                      figures=[(_("on plan"), count["ok"], "success"), (_("behind"), count["warn"], "warning"),
                               (_("far behind"), count["critical"], "danger"),
                               (_("overdue reports"), selectors.overdue_reports(user).count(), "danger")],
                      note=_("%(n)d indicators") % {"n": len(rows)})
