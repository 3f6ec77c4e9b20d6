"""Open data's scheduled jobs: each calls a service and is safe to run twice."""

from __future__ import annotations

import logging

from django.core.cache import cache
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from krai.opendata import services
from krai.opendata.ingest import UploadRejected

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="7", minute="5"))
def remind_late_updates() -> None:
    """Every morning: tell publishers whose planned update is late (once per planned date)."""
    services.remind_late_updates()


@db_periodic_task(crontab(hour="2", minute="40"))
def refresh_live_datasets() -> None:
    """Every night: regenerate the live datasets (a new version only where the data changed)."""
    services.live_refresh_all()


@db_periodic_task(crontab(hour="3", minute="10"))
def sweep_datastore() -> None:
    """Every night: drop datastore tables of versions that no longer exist (a dataset deleted by an admin)."""
    services.sweep_datastore()


#: seconds a live dataset waits after the first event of a burst before it is regenerated: a moderator publishing
#: forty reports, or a rank build writing hundreds of rows, makes one new version, not forty
LIVE_DEBOUNCE_SECONDS = 60
_PENDING = "opendata:live-pending:{}"


@db_task()
def refresh_live_dataset(code: str) -> None:
    """Regenerate one live dataset after a burst of its area's events (scheduled by ``schedule_live_refresh``)."""
    cache.delete(_PENDING.format(code))  # first: an event arriving during the refresh schedules the next one
    try:
        services.live_refresh(code=code)
    except UploadRejected as exc:  # no rows yet (no rank built), or rows the columns refuse: the log says which
        log.error("live dataset %s rejected: %s %s", code, exc, [e.as_dict() for e in exc.errors[:5]])


def schedule_live_refresh(code: str) -> bool:
    """Schedule one refresh of ``code`` unless one is already waiting; True when this call scheduled it.

    The mark lives in the shared cache (Redis in production, so every worker sees it) a little longer than the
    wait; should a scheduled job be lost, the mark expires and the next event, or the nightly job, catches up."""
    if not cache.add(_PENDING.format(code), 1, timeout=LIVE_DEBOUNCE_SECONDS * 5):
        return False
    refresh_live_dataset.schedule(args=(code,), delay=LIVE_DEBOUNCE_SECONDS)
    return True
