"""A finding of the media monitor — a story, found through a mention — becomes an order of the control engine in
one step: "prepare a reply", for the organisation that will answer, by a deadline."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.monitoring.findings import finding_to_order
from krai.monitoring.media.models import Story
from krai.orders.models import Assignment

REPLY_WORKING_DAYS = 3


@transaction.atomic
def story_to_order(*, actor, story: Story, executor_organisation, working_days: int = REPLY_WORKING_DAYS,
                   note: str = "") -> Assignment:
    """Open "prepare a reply" about ``story`` (its outlets and addresses in the text); one open order a story."""
    articles = list(story.articles.select_related("source").order_by("published_at", "id")[:20])
    lines = [f"{a.source.name}, {a.published_at:%d.%m.%Y}: {a.title} — {a.url}" for a in articles]
    text = "\n".join([note.strip(), "", *lines] if note.strip() else lines)
    title = _("Prepare a reply to the media: %(title)s") % {"title": story.title}
    assignment = finding_to_order(actor=actor, kind="monitoring.media", subject=story, title=title,
                                  executor_organisation=executor_organisation, working_days=working_days, text=text)
    record_event(kind="media.story_ordered", actor=actor, subject=story, payload={"assignment": assignment.pk})
    return assignment
