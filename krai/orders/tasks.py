"""Orders' scheduled jobs: each calls a service and is safe to run twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krai.orders import services


@db_periodic_task(crontab(hour="7", minute="0"))
def remind_and_escalate() -> None:
    """Every morning (working days only, by the calendar): reminders before deadlines, overdue escalation."""
    services.remind_and_escalate()
