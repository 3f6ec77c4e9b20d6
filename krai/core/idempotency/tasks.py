"""The idempotency keys' daily clean-up (Huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krai.core.idempotency.middleware import purge

__all__ = ["purge_idempotency_keys"]


@db_periodic_task(crontab(hour="3", minute="10"))
def purge_idempotency_keys() -> None:
    """Daily: keys older than ``KRAI_IDEMPOTENCY_HOURS`` go (an app retries within minutes, not days)."""
    purge()
