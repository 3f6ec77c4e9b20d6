"""Participation's scheduled jobs: each calls a service and is safe to run twice."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krai.participation import services


@db_periodic_task(crontab(minute="*"))
def close_due_polls() -> None:
    """Every minute: close the polls whose time is up and freeze their results."""
    services.poll_close_due()


@db_periodic_task(crontab(hour="1", minute="15"))
def build_due_ranks() -> None:
    """Every night: once a rank period has ended, build its ranks (nothing to do on other nights)."""
    services.rank_build_due()


@db_periodic_task(crontab(hour="1", minute="30"))
def build_due_service_ranks() -> None:
    """Every night: once a month has ended, build its service ranks."""
    services.service_ranks_build_due()
