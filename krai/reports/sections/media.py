"""Media digest: the period's stories told by most outlets and each topic's mentions and spikes
(``krai.monitoring.media.selectors.digest``, read as the template's owner). A report published on the portal leaves
out the topics about a person and names no one else: stories' titles are the outlets' own public headlines."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from krai.monitoring.media import selectors
from krai.monitoring.media.models import Topic
from krai.reports.sections import Chart, Context, Part, SectionKind, Series, Table, register

KEY = "media"
#: the topics drawn on the chart (the table lists them all)
CHARTED = 10


def build(ctx: Context) -> Part:
    part = Part(kind=KEY, title=_("Media digest"))
    if not ctx.owner.has_perm("media.view"):
        part.note = _("The template's owner may not see the media monitor: nothing to report.")
        return part
    found = selectors.digest(ctx.owner, first=ctx.period_start, last=ctx.period_end)
    rows = [row for row in found["topics"] if not (ctx.public and row["topic"].kind == Topic.Kind.PERSON)]
    part.note = _("From %(first)s to %(last)s.") % {"first": f"{ctx.period_start:%d.%m.%Y}",
                                                   "last": f"{ctx.period_end:%d.%m.%Y}"}
    part.tables.append(Table(
        title=_("Stories told by most outlets"), header=[_("Story"), _("Outlets"), _("Articles")],
        rows=[[story.title, story.sources_count, story.articles_count] for story in found["stories"]]))
    part.tables.append(Table(
        title=_("Topics"), header=[_("Topic"), _("Mentions"), _("Spikes")],
        rows=[[row["topic"].name, row["mentions"], row["spikes"]] for row in rows],
        total=[_("Total"), sum(row["mentions"] for row in rows), sum(row["spikes"] for row in rows)]))
    charted = [row for row in rows if row["mentions"]][:CHARTED]
    if charted:
        part.charts.append(Chart(title=_("Mentions by topic"), labels=[row["topic"].name[:30] for row in charted],
                                 stacked=False, series=[Series(_("mentions"), [row["mentions"] for row in charted],
                                                               "#6f42c1")]))
    return part


register(SectionKind(KEY, gettext_lazy("Media digest"),
                     gettext_lazy("The stories told by most outlets and each topic's mentions and spikes."), build))
