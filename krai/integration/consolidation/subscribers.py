"""A change of an order queues a push to the upstream installation (only where one is configured: an
installation that pushes nowhere has no subscriber, and its orders' events cost nothing more)."""

from __future__ import annotations

from django.db import transaction

from krai.core.events.models import Event
from krai.core.events.registry import register
from krai.integration.consolidation import conf


def on_order_event(event: Event) -> None:
    """Idempotent: it only queues a push (one for a burst of changes), which reads the outbox itself."""
    if event.kind.startswith("control.") and (event.payload or {}).get("kind") != "order":
        return
    from krai.integration.consolidation import tasks

    transaction.on_commit(tasks.request_push)


if conf.is_source():
    register("consolidation.push", kinds=["orders.*", "control.*"], handler=on_order_event)
