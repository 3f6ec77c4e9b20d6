"""Lawsuits' scheduled job: reminders of hearings to the lawyers (idempotent: flags on each hearing)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krai.monitoring.lawsuits import services


@db_periodic_task(crontab(hour="7", minute="10"))
def remind_hearings() -> None:
    """Every morning: the lawyer hears of a hearing N days ahead and again the day before."""
    services.send_hearing_reminders()
