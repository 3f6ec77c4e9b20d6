"""The reports' jobs (Huey, ``krai.reports.jobs``): every minute the editions that came due are made (as rows,
before anything is generated) and generated, and the sweep retries the failed ones after their back-off and takes
back what a dead worker left running."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from krai.reports import jobs

__all__ = ["reports_generate", "reports_schedule", "reports_sweep"]


@db_task()
def reports_generate(edition_id: int) -> None:
    """Generate one pending edition (a second worker given the same one does nothing)."""
    jobs.generate(edition_id)


@db_periodic_task(crontab(minute="*"))
def reports_schedule() -> None:
    """Make the editions whose moments have come and queue their generation."""
    for edition_id in jobs.schedule_due():
        reports_generate(edition_id)


@db_periodic_task(crontab(minute="*"))
def reports_sweep() -> None:
    """Queue the pending editions whose time has come; take back those a dead worker left running."""
    for edition_id in jobs.sweep():
        reports_generate(edition_id)
