"""Indicator deviations: the indicators monitor's deviation table (``krai.monitoring.indicators.selectors``) as
of the period's last day — every indicator the owner sees (of one block, in one municipality, when the template
names them), its last reported value, the plan to date and the deviation, with the count per colour."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krai.monitoring.indicators import selectors
from krai.reports.sections import BLOCK, MUNICIPALITY, Chart, Context, Part, SectionKind, Series, Table, register

KEY = "indicators"
COLOURS = {"ok": "#198754", "warn": "#ffc107", "critical": "#dc3545", "none": "#6c757d"}


def rows_for(ctx: Context) -> list[selectors.Row]:
    return selectors.deviation_table(user=ctx.owner, as_of=ctx.period_end,
                                     block=ctx.block.pk if ctx.block else None,
                                     municipality=ctx.municipality.pk if ctx.municipality else None)


def build(ctx: Context) -> Part:
    part = Part(kind=KEY, title=_("Indicator deviations"))
    if not ctx.owner.has_perm("monitoring.access"):
        part.note = _("The template's owner may not see the monitors: nothing to report.")
        return part
    rows = rows_for(ctx)
    counts = selectors.colour_counts(rows)
    names = {"ok": _("on plan"), "warn": _("behind"), "critical": _("critical"), "none": _("no data")}
    part.note = _("As of %(day)s.") % {"day": f"{ctx.period_end:%d.%m.%Y}"}
    part.tables.append(Table(title=_("Indicators by colour"), header=[_("Colour"), _("Indicators")],
                             rows=[[names[c], counts[c]] for c in selectors.COLOURS],
                             total=[_("Total"), len(rows)]))
    part.tables.append(Table(title=_("Indicator deviations"), header=[
        _("Code"), _("Indicator"), _("Period"), _("Actual"), _("Plan to date"), _("Deviation, %"), _("Colour")],
        rows=[[r.indicator.code, r.indicator.name, f"{r.month:02d}.{r.year}" if r.year else "",
               r.actual, r.plan, r.deviation, names.get(r.colour, r.colour)] for r in rows]))
    part.charts.append(Chart(title=_("Indicators by colour"), labels=[str(names[c]) for c in selectors.COLOURS],
                             stacked=False, series=[Series(_("indicators"), [counts[c] for c in selectors.COLOURS],
                                                           COLOURS["critical"])]))
    return part


register(SectionKind(KEY, gettext_lazy("Indicator deviations"),
                     gettext_lazy("The indicators' last reported values against the plan at the period's end, and "
                                  "how many are on plan, behind or critical."),
                     build, filters=(BLOCK, MUNICIPALITY)))
