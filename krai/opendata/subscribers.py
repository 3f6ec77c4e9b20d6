"""What open data listens to: the events of the areas whose data it publishes live (problems, participation, org).

A live dataset names the events that make it stale (``refresh_on`` in ``krai/opendata/live.py``); each such event
asks for one refresh of that dataset a minute later, and further events meanwhile ask for nothing more
(``krai.opendata.tasks.schedule_live_refresh``). So a burst becomes one new version, and the nightly job remains
only a safety net.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction

from krai.core.events.registry import subscriber
from krai.opendata import tasks
from krai.opendata.registry import live_datasets


def _kinds() -> list[str]:
    return sorted({pattern for live in live_datasets().values() for pattern in live.refresh_on})


def stale_datasets(event) -> list[str]:
    """Codes of the live datasets whose rows ``event`` may have changed."""
    return [code for code, live in live_datasets().items() if live.stale_after(event)]


@subscriber("opendata.live_refresh", kinds=_kinds())
def area_data_changed(event) -> None:
    # scheduled once the delivery commits: a delivery rolled back and retried must not leave a mark without a job
    for code in stale_datasets(event):
        transaction.on_commit(partial(tasks.schedule_live_refresh, code), robust=True)

from krai.opendata import cards  # noqa: E402,F401 — links to its objects render as cards
