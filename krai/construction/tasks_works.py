"""Construction's jobs of the works part (Huey); ``tasks`` imports them so Huey finds them."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krai.construction.services import works_slips

__all__ = ["check_slipping_works"]


@db_periodic_task(crontab(hour="6", minute="10"))
def check_slipping_works() -> None:
    """Daily: works whose planned start passed unstarted, or planned end passed uncompleted, are slipping — each
    slip recorded once (the event log remembers), so their subscribers are told once; a day a dead worker missed
    is made up by the next run."""
    works_slips.works_check_slips()
