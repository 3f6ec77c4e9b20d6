"""Housekeeping of stored files."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krai.core.files import services


@db_periodic_task(crontab(hour="3", minute="30"))
def sweep_orphan_files() -> None:
    """Daily: files stored by uploads whose transaction rolled back afterwards."""
    services.sweep_orphan_files()
