"""The rankings tile of the monitoring overview: the home region's place in each rating in force, and the drops —
the rows of the list page filtered to the ratings in force (``?active=1``; the drops: ``&dropped=1``)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from krai.monitoring import tiles
from krai.monitoring.rankings import selectors

ARROWS = {selectors.UP: "▲", selectors.DOWN: "▼"}


def _figure(row: selectors.Standing) -> tiles.Figure:
    change = row.change
    if change.current is None:  # no edition yet, or the home region is not in it: the list shows "—" too
        return tiles.Figure(row.rating.name, "—", "", row.rating.get_absolute_url())
    tone = "danger" if row.dropped else "success" if change.direction == selectors.UP else \
        "warning" if change.direction == selectors.DOWN else ""
    arrow = ARROWS.get(change.direction, "")
    delta = f" {arrow}{abs(change.delta)}" if arrow else ""
    return tiles.Figure(row.rating.name, f"{change.current.place_label}{delta}", tone, row.rating.get_absolute_url())


@tiles.register("rankings", order=10)
def rankings_tile(user) -> tiles.Tile | None:
    if not user.has_perm("rankings.view_rating"):
        return None
    rows = selectors.list_rows(active_only=True)
    drops = sum(1 for row in rows if row.dropped)
    url = reverse("monitoring:rankings:list")
    return tiles.Tile("rankings", _("Federal rankings"), f"{url}?active=1", figures=[_figure(row) for row in rows],
                      note=_("Fell past the threshold: %(n)s") % {"n": drops} if drops else "",
                      note_url=f"{url}?active=1&dropped=1" if drops else "")
