"""Staffing: fill rates (``krai.monitoring.staffing.selectors.fill_rates``) on the period's last day — per block
of the region, or per body of one block when the template names it — planned and filled positions and the rate.
Counts and rates only, never a person."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krai.monitoring.staffing import selectors
from krai.reports.sections import BLOCK, Chart, Context, Part, SectionKind, Series, Table, register

KEY = "staffing"


def rates_for(ctx: Context) -> dict:
    return selectors.fill_rates(ctx.owner, block=ctx.block.code if ctx.block else "", on=ctx.period_end)


def build(ctx: Context) -> Part:
    part = Part(kind=KEY, title=_("Staffing"))
    if not ctx.owner.has_perm("monitoring.access"):
        part.note = _("The template's owner may not see the monitors: nothing to report.")
        return part
    found = rates_for(ctx)
    part.note = _("On %(day)s.") % {"day": f"{ctx.period_end:%d.%m.%Y}"}
    header = [_("Name"), _("Positions"), _("Vacant positions"), _("Planned rates"), _("Filled rates"),
              _("Filled, %")]

    def cells(row, label: str) -> list:
        return [label, row.positions, row.vacant_positions, float(row.planned), float(row.filled), row.percent]

    total = found["total"]
    part.tables.append(Table(title=_("Fill rates"), header=header,
                             rows=[cells(row, row.label) for row in found["rows"]], total=cells(total, _("Total"))))
    part.charts.append(Chart(title=_("Filled, %"), labels=[row.label[:30] for row in found["rows"]], stacked=False,
                             series=[Series(_("filled, %"), [row.percent or 0 for row in found["rows"]],
                                            "#20c997")]))
    return part


register(SectionKind(KEY, gettext_lazy("Staffing"),
                     gettext_lazy("Planned and filled positions and the fill rate per block or body."), build,
                     filters=(BLOCK,)))
