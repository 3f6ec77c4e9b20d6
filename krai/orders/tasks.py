"""Orders' scheduled jobs: each calls a service and is safe to run twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krai.orders import services


@db_periodic_task(crontab(hour="7", minute="0"))
def remind_and_escalate() -> None:
    """Every morning (working days only, by the calendar): reminders before deadlines, overdue escalation."""
    services.remind_and_escalate()


@db_periodic_task(crontab(hour="3", minute="30"))
def recount_dashboard() -> None:
    """Every night: recount the dashboard's pre-counted top-level load and trend (``TopLoad``, ``TopMonth``) from
    the assignments (undoes any drift)."""
    from krai.orders.models import TopLoad

    TopLoad.rebuild()
