"""The planner's jobs (Huey): every minute, the reminders that came due are sent once and moved to their next
moment (``krai.planner.reminding``)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krai.planner import reminding

__all__ = ["planner_send_reminders"]


@db_periodic_task(crontab(minute="*"))
def planner_send_reminders() -> None:
    """Send the due reminders (in Krai, by e-mail, by push); a second worker at the same minute sends none twice."""
    reminding.send_due()
