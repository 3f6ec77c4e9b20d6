"""Housekeeping of the problems area."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krai.problems import kept_photos


@db_periodic_task(crontab(hour="3", minute="40"))
def sweep_kept_photos() -> None:
    """Daily: photos kept for report forms that were never sent again."""
    kept_photos.sweep()
