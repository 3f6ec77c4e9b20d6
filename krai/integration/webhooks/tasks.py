"""Background jobs of webhooks: a send right after a fan-out commits, and a sweep every minute for due retries and
whatever a lost job left behind."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from krai.integration.webhooks import delivery

BATCH = 200


@db_task()
def send_webhooks() -> None:
    """Send what is due; a full batch queues another run rather than hog a worker."""
    result = delivery.send_due(limit=BATCH)
    if result.attempted >= BATCH and not HUEY.immediate:
        send_webhooks()


@db_periodic_task(crontab(minute="*"))
def sweep_webhooks() -> None:
    """Every minute: retries come due, and deliveries whose job was lost are sent."""
    delivery.send_due(limit=BATCH)
