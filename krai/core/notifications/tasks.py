"""E-mail and push jobs: right after a commit, a sweep for what a lost job left, and the daily digest."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from krai.core.notifications import emails, push


@db_task()
def send_emails(ids: list[int]) -> None:
    emails.send_queued(ids=ids)


@db_periodic_task(crontab(minute="*/5"))
def sweep_emails() -> None:
    """Every five minutes: letters whose job was lost or whose mail server was down."""
    emails.send_queued()


@db_periodic_task(crontab(hour="4", minute="0"))
def send_daily_digests() -> None:
    """At 04:00 UTC (07:00 in Moscow): the digest for people who chose one letter a day."""
    emails.send_digests()


@db_task()
def send_pushes(ids: list[int]) -> None:
    push.send_queued(ids=ids)


@db_periodic_task(crontab(minute="*/5"))
def sweep_pushes() -> None:
    """Every five minutes: pushes whose job was lost (each is still pushed at most once)."""
    push.send_queued()
