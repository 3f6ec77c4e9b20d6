"""Document flow's jobs (Huey): the watched folder each minute, and the answers' outbox — right after an answer is
kept, and each minute for the retries that came due."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from krai.integration.docflow import folder, outbox

__all__ = ["docflow_send_answers", "docflow_send_answers_now", "docflow_watch_inbox"]


@db_periodic_task(crontab(minute="*"))
def docflow_watch_inbox() -> None:
    """Import the packages dropped in ``KRAI_DOCFLOW_INBOX`` (nothing when it is not set)."""
    folder.scan()


@db_periodic_task(crontab(minute="*"))
def docflow_send_answers() -> None:
    """Deliver the answers whose (next) attempt is due."""
    outbox.deliver_due()


@db_task()
def docflow_send_answers_now() -> None:
    """Deliver what was just kept, without waiting for the minute."""
    outbox.deliver_due()
