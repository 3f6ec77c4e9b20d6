"""Lawsuits' tile on the monitoring overview: each figure is the number of rows of the case list it links to,
counted by the list's own selector with the same filters."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from krai.monitoring import tiles
from krai.monitoring.lawsuits import selectors


@tiles.register("lawsuits", order=40)
def lawsuits_tile(user) -> tiles.Tile | None:
    if not user.has_perm("monitoring.access"):
        return None
    if not selectors.cases_visible_to(user).exists():
        return None
    open_cases = selectors.case_list(user, stage="open").count()
    soon = selectors.case_list(user, soon=True).count()
    flagged = selectors.case_list(user, flagged=True).count()
    url = reverse("monitoring:lawsuits:home")
    return tiles.Tile("lawsuits", _("Lawsuits"), url, figures=[
        tiles.Figure(_("Open cases"), open_cases, "", f"{url}?stage=open"),
        tiles.Figure(_("Cases with a hearing within 7 days"), soon, "warning" if soon else "", f"{url}?soon=on"),
        tiles.Figure(_("No next step"), flagged, "danger" if flagged else "", f"{url}?flagged=on"),
    ])
