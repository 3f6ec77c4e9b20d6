"""Consolidation's jobs on a source installation: a push soon after each change of an order, retries with
back-off, a sweep each minute, and a push as soon as the job consumer starts (so a source that was stopped —
or killed in the middle of a batch — resumes at once). All of them do nothing when no upstream is configured.
"""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from krai.integration.consolidation import conf, pushing

#: set while a push is queued, so a burst of changes queues one push, not one per change
QUEUED_KEY = "consolidation.push-queued"


def _follow_up(result: pushing.PushResult) -> None:
    if HUEY.immediate:
        return
    if result.state == "failed" and result.retry_in:  # (a push ``waiting`` out a back-off has its retry queued)
        push_job.schedule(kwargs={"force": False}, delay=result.retry_in)
    elif result.more:
        push_job(force=False)


@db_task()
def push_job(force: bool = False) -> None:
    """Push what is waiting (a few batches), then queue the rest or the retry."""
    HUEY.get(QUEUED_KEY)  # taken: a change from now on queues another push
    _follow_up(pushing.push_some(force=force))


def request_push() -> None:
    """Queue one push after the push interval (called after the commit of a change of an order)."""
    if conf.is_source() and HUEY.put_if_empty(QUEUED_KEY, "1"):
        push_job.schedule(kwargs={"force": False}, delay=conf.push_seconds())


@db_periodic_task(crontab(minute="*"))
def push_sweep() -> None:
    """Every minute: what a lost job left (a worker died, the queue was emptied), and retries that are due."""
    if conf.is_source():
        _follow_up(pushing.push_some(force=False))


@HUEY.on_startup("consolidation-resume")
def resume_on_start() -> None:
    """The consumer started: push what waits now, whatever the back-off said before the stop."""
    if conf.is_source():
        push_job(force=True)
