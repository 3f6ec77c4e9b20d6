"""The rankings tile of the monitoring overview: the home region's place in each rating, and the drops."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from krai.monitoring import tiles
from krai.monitoring.rankings import selectors


@tiles.register("rankings", order=10)
def rankings_tile(user) -> tiles.Tile | None:
    if not user.has_perm("rankings.view_rating"):
        return None
    rows = selectors.standings(list(selectors.rating_list(active_only=True)))
    figures = []
    for row in rows:
        change = row.change
        if change.current is None:
            continue
        tone = "danger" if row.dropped else "success" if change.direction == selectors.UP else \
            "warning" if change.direction == selectors.DOWN else ""
        arrow = {selectors.UP: "▲", selectors.DOWN: "▼"}.get(change.direction, "")
        delta = f" {arrow}{abs(change.delta)}" if arrow else ""
        figures.append((row.rating.name, f"{change.current.place_label}{delta}", tone))
    drops = sum(1 for row in rows if row.dropped)
    note = _("Fell past the threshold: %(n)s") % {"n": drops} if drops else ""
    return tiles.Tile("rankings", _("Federal rankings"), reverse("monitoring:rankings:list"), figures=figures,
                      note=note)
