"""Open data's scheduled jobs: each calls a service and is safe to run twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krai.opendata import services


@db_periodic_task(crontab(hour="7", minute="5"))
def remind_late_updates() -> None:
    """Every morning: tell publishers whose planned update is late (once per planned date)."""
    services.remind_late_updates()


@db_periodic_task(crontab(hour="2", minute="40"))
def refresh_live_datasets() -> None:
    """Every night: regenerate the live datasets (a new version only where the data changed)."""
    services.live_refresh_all()


@db_periodic_task(crontab(hour="3", minute="10"))
def sweep_datastore() -> None:
    """Every night: drop datastore tables of versions that no longer exist (a dataset deleted by an admin)."""
    services.sweep_datastore()
