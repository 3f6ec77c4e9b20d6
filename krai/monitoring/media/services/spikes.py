"""Spikes of a topic's mentions: the day's count against the 28 days before it (a rolling z-score, see
``krai.monitoring.media.stats``). An alert is recorded once per topic and day (the unique
constraint; the job may run many times a day) and its owner is notified once.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.core.notifications.services import notify
from krai.monitoring.media.models import Alert, Topic
from krai.monitoring.media.selectors import daily_counts
from krai.monitoring.media.stats import WINDOW_DAYS, Z_THRESHOLD, min_mentions, z_score


@transaction.atomic
def detect_spikes(*, day: dt.date | None = None) -> list[Alert]:
    """Raise the alerts of ``day`` (default today) for every active topic; returns the new ones."""
    day = day or timezone.localdate()
    topics = {topic.pk: topic for topic in Topic.objects.filter(active=True).select_related("owner")}
    counts = daily_counts(list(topics), first=day - dt.timedelta(days=WINDOW_DAYS), last=day)
    raised = []
    for topic_id, by_day in counts.items():
        count = by_day.get(day, 0)
        if count < min_mentions():
            continue
        window = [by_day.get(day - dt.timedelta(days=i), 0) for i in range(1, WINDOW_DAYS + 1)]
        mean, stdev, z = z_score(count, window)
        if z < Z_THRESHOLD:
            continue
        topic = topics[topic_id]
        alert, created = Alert.objects.get_or_create(topic=topic, day=day, defaults={
            "count": count, "mean": round(mean, 3), "stdev": round(stdev, 3), "z": round(z, 3)})
        if not created:
            continue
        event = record_event(kind="media.spike", actor=None, subject=alert,
                             payload={"topic": topic.pk, "day": day.isoformat(), "count": count, "z": alert.z})
        notify(users=[topic.owner], kind="media.spike", event=event,
               title=_("Media: %(count)d mentions of «%(topic)s» on %(day)s") % {
                   "count": count, "topic": topic.name, "day": day.strftime("%d.%m.%Y")},
               body=_("Usually %(mean).1f a day (z = %(z).1f).") % {"mean": mean, "z": z},
               url=f"{reverse('monitoring:media:mentions')}?topic={topic.pk}&first={day}&last={day}")
        raised.append(alert)
    return raised
