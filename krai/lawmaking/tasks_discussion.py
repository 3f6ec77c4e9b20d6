"""Jobs of the idea discussion (Huey); ``tasks`` imports them so Huey finds them."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krai.lawmaking.services import discussion

__all__ = ["end_discussions"]


@db_periodic_task(crontab(minute="7"))
def end_discussions() -> None:
    """Hourly: initiatives whose discussion ended short of the support threshold stop, the initiator told why
    (idempotent, so an hour a dead worker missed is made up by the next run)."""
    discussion.discussions_end_due()
