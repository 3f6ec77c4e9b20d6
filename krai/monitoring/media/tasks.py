"""Media monitoring's scheduled jobs: polling the due sources, and the spikes of the day (both idempotent: a source
polled is not due again before its interval; an alert is once per topic and day)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krai.monitoring.media.services import sources, spikes


@db_periodic_task(crontab(minute="*/5"))
def poll_media_sources() -> None:
    """Every five minutes: the sources whose interval (or back-off) has run out."""
    sources.poll_due_sources()


@db_periodic_task(crontab(minute="7,37"))
def detect_media_spikes() -> None:
    """Twice an hour: today's counts against the last 28 days (a spike is raised once, when it first shows)."""
    spikes.detect_spikes()
