"""The indicators monitor's tile on the monitoring overview: how many indicators are in each colour, and how
many reports are overdue, within the user's scope — each figure linking to the table (or the reports) filtered to
exactly the rows it counts."""

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
    count = selectors.colour_counts(rows)
    # any parameter turns off the table's default narrowing (a vice-governor's first block, a head's first body):
    # the tile counts everything the user sees, so its links ask for everything, in one colour or all
    table = reverse("monitoring:indicators:table")
    overdue = f"{reverse('monitoring:indicators:reports')}?status=overdue"
    return tiles.Tile(key="indicators", title=_("Target indicators"), url=f"{table}?colour=", figures=[
        tiles.Figure(_("on plan"), count["ok"], "success", f"{table}?colour=ok"),
        tiles.Figure(_("behind"), count["warn"], "warning", f"{table}?colour=warn"),
        tiles.Figure(_("far behind"), count["critical"], "danger", f"{table}?colour=critical"),
        tiles.Figure(_("overdue reports"), selectors.overdue_reports(user).count(), "danger", overdue),
    ], note=_("%(n)d indicators") % {"n": len(rows)}, note_url=f"{table}?colour=")
