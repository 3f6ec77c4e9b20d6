"""The import kernel's nightly housekeeping: safe to run twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krai.core.imports import services


@db_periodic_task(crontab(hour="4", minute="10"))
def expire_import_files() -> None:
    """Drop the files of old finished imports (the records stay) and previews nobody confirmed."""
    services.expire()
