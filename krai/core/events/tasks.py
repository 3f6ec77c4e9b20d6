"""Background jobs of the dispatcher: one enqueued after each commit that recorded events, and a sweep."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from krai.core.events import dispatch

BATCH = 1000


@db_task()
def deliver_events() -> None:
    """Deliver what is pending; if the batch was full, queue another run rather than hog a worker."""
    result = dispatch.deliver_pending(limit=BATCH)
    if result.attempted >= BATCH and not HUEY.immediate:
        deliver_events()


@db_periodic_task(crontab(minute="*"))
def sweep_events() -> None:
    """Every minute: deliver events whose job was lost (a worker died, the queue was down) and due retries."""
    dispatch.deliver_pending(limit=BATCH)
