"""Rankings: the region's standing in every active federal rating (``krai.monitoring.rankings.selectors``) — its
place in the latest edition published by the period's end is not kept apart: the latest edition is shown, with
the change against the edition before. Ratings are public figures."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krai.monitoring.rankings import selectors
from krai.reports.sections import Chart, Context, Part, SectionKind, Series, Table, register

KEY = "rankings"


def rows_for(ctx: Context) -> list[selectors.Standing]:
    return selectors.list_rows(active_only=True)


def _place(place) -> str:
    if place is None:
        return ""
    return f"{place.place}–{place.place_to}" if place.place_to else str(place.place)


def build(ctx: Context) -> Part:
    part = Part(kind=KEY, title=_("Rankings"))
    if not ctx.owner.has_perm("monitoring.access"):
        part.note = _("The template's owner may not see the monitors: nothing to report.")
        return part
    rows = rows_for(ctx)
    part.tables.append(Table(title=_("The region in the federal ratings"), header=[
        _("Rating"), _("Edition"), _("Place"), _("Previous place"), _("Change")], rows=[
        [row.rating.name, row.edition.period if row.edition else "", _place(row.change.current),
         _place(row.change.previous), row.change.delta] for row in rows]))
    placed = [row for row in rows if row.change.current is not None]
    part.charts.append(Chart(title=_("Place in the latest edition"), labels=[r.rating.name[:30] for r in placed],
                             stacked=False, series=[Series(_("place"), [r.change.current.place for r in placed],
                                                           "#6f42c1")]))
    return part


register(SectionKind(KEY, gettext_lazy("Rankings"),
                     gettext_lazy("The region's place in every active federal rating and its change."), build))
