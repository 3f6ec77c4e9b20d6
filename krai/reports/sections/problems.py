"""Problems by municipality: the workspace's statistics (``krai.problems.selectors.statistics`` by municipality,
over the problems routed to the owner's scope) — received, answered, on time, fixed, overdue, the average rating —
as they stand when the edition is generated; one municipality's row when the template names one."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krai.problems import selectors
from krai.reports.sections import MUNICIPALITY, Chart, Context, Part, SectionKind, Series, Table, register

KEY = "problems"
COLOURS = {"fixed": "#198754", "received": "#0d6efd", "overdue": "#dc3545"}


def rows_for(ctx: Context) -> list[selectors.StatRow]:
    rows = selectors.statistics(user=ctx.owner, by="municipality")
    if ctx.municipality is not None:
        rows = [row for row in rows if row.key == ctx.municipality.pk]
    return rows


def build(ctx: Context) -> Part:
    part = Part(kind=KEY, title=_("Problems by municipality"))
    if not ctx.owner.has_perm("problems.view_statistics"):
        part.note = _("The template's owner may not see the problems' statistics: nothing to report.")
        return part
    rows = rows_for(ctx)
    part.note = _("Residents' reports routed to the bodies, as they stand on the day the edition is made.")
    header = [_("Municipality"), _("Received"), _("Answered"), _("Answered on time"), _("Fixed"), _("Overdue"),
              _("Average rating")]
    table = [[row.name, row.received, row.answered, row.on_time, row.fixed, row.overdue, row.rating]
             for row in rows]
    total = [_("Total"), *(sum(row[i] for row in table) for i in range(1, 6)), None]
    part.tables.append(Table(title=_("Problems by municipality"), header=header, rows=table, total=total))
    shown = sorted(rows, key=lambda r: -r.received)[:15]  # the chart keeps to the busiest fifteen
    part.charts.append(Chart(title=_("Received, fixed and overdue"), labels=[r.name for r in shown], stacked=False,
                             series=[Series(_("received"), [r.received for r in shown], COLOURS["received"]),
                                     Series(_("fixed"), [r.fixed for r in shown], COLOURS["fixed"]),
                                     Series(_("overdue"), [r.overdue for r in shown], COLOURS["overdue"])]))
    return part


register(SectionKind(KEY, gettext_lazy("Problems by municipality"),
                     gettext_lazy("Residents' reports per municipality: received, answered on time, fixed, "
                                  "overdue, the average rating."),
                     build, filters=(MUNICIPALITY,)))
