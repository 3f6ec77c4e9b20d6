"""Integration's jobs (Huey): the exchange log's daily retention."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krai.integration import retention

__all__ = ["purge_exchange_payloads"]


@db_periodic_task(crontab(hour="2", minute="40"))
def purge_exchange_payloads() -> None:
    """Daily: payloads past their retention are emptied (the rows stay); a day a dead worker missed is made up by
    the next run, which empties everything older than the period."""
    retention.purge_payloads()
