"""The content's jobs: the daily digest of new publications for followers (instead of one notification per post).

Imported by ``krai/social/tasks.py`` so Huey finds it."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from krai.social.services import digest as services


@db_periodic_task(crontab(hour="6", minute="30"))
def send_publications_digest() -> None:
    """At 06:30 UTC (09:30 in Moscow): one notification per follower about the day's publications he follows."""
    services.publications_digest_send()
