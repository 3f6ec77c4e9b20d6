"""Order discipline by block: the control dashboard's figures (``krai.orders.dashboard.control_load``) for the
assignments due within the period — the region's blocks, or one block's bodies when the template names a block —
with the dashboard's chart (executed, on control in time, overdue). "Overdue" is measured on the day the edition is
generated, as the dashboard measures it today. In the workspace the report also lists the worst overdue
assignments (``worst_overdue``); a published one does not (they name executors)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krai.orders import dashboard
from krai.reports.sections import BLOCK, Chart, Context, Part, SectionKind, Series, Table, register

KEY = "orders"
COLOURS = {"done": "#198754", "open": "#0d6efd", "overdue": "#dc3545"}


def load_for(ctx: Context) -> dashboard.Load:
    """The dashboard's load this section reports: the same call the dashboard page makes for the period."""
    filters = dashboard.Filters(period_from=ctx.period_start, period_to=ctx.period_end)
    if ctx.block is not None:
        return dashboard.control_load(user=ctx.owner, level="block", block=ctx.block.pk, filters=filters)
    return dashboard.control_load(user=ctx.owner, level="region", filters=filters)


def build(ctx: Context) -> Part:
    part = Part(kind=KEY, title=_("Order discipline"))
    if not ctx.owner.has_perm("orders.view_dashboard"):
        part.note = _("The template's owner may not see the control dashboard: nothing to report.")
        return part
    load = load_for(ctx)
    part.note = _("Assignments due from %(start)s to %(end)s; overdue as of %(today)s.") % {
        "start": f"{ctx.period_start:%d.%m.%Y}", "end": f"{ctx.period_end:%d.%m.%Y}",
        "today": f"{load.today:%d.%m.%Y}"}
    first = _("Block") if load.level == "region" else _("Organisation")
    header = [first, _("Total"), _("Executed"), _("On control"), _("Overdue"), _("Executed late"),
              _("Executed, %"), _("Overdue, %")]

    def cells(row: dashboard.Row) -> list:
        return [str(row.label), row.total, row.done, row.open, row.overdue, row.late, row.share("done"),
                row.share("overdue")]

    part.tables.append(Table(title=load.title, header=header, rows=[cells(r) for r in load.rows],
                             total=cells(load.totals)))
    part.charts.append(Chart(title=_("Assignments by %(level)s") % {"level": first.lower()},
                             labels=[str(r.label) for r in load.rows], series=[
        Series(_("executed"), [r.done for r in load.rows], COLOURS["done"]),
        Series(_("on control, in time"), [r.open - r.overdue for r in load.rows], COLOURS["open"]),
        Series(_("overdue"), [r.overdue for r in load.rows], COLOURS["overdue"])]))
    if not ctx.public:
        worst = dashboard.worst_overdue(user=ctx.owner, filters=dashboard.Filters(
            period_from=ctx.period_start, period_to=ctx.period_end), block=ctx.block.pk if ctx.block else None,
            limit=10)
        part.tables.append(Table(title=_("The worst overdue"), header=[
            _("Assignment"), _("Executor"), _("Deadline"), _("Days overdue")], rows=[
            [a.title, str(a.executor_organisation) + (f", {a.executor_user.short_name}" if a.executor_user else ""),
             a.deadline, a.days_overdue] for a in worst]))
    return part


register(SectionKind(KEY, gettext_lazy("Order discipline by block"),
                     gettext_lazy("The control dashboard's figures for the assignments due in the period: executed, "
                                  "on control, overdue, executed late — per block, or per body of one block."),
                     build, filters=(BLOCK,)))
