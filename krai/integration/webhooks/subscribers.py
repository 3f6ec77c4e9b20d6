"""Webhooks listen to every domain event: the fan-out from the outbox to the endpoints that want it.

The dispatcher delivers each event to this subscriber at least once; the fan-out is idempotent by (endpoint, event)
— a unique pair, inserted with conflicts ignored — so a retried fan-out adds nothing twice. The deliveries are sent
by a job queued when the dispatcher's transaction commits (and by the minute's sweep if that job is lost), never
inside the transaction: an HTTP request must not hold the dispatcher's rows.
"""

from __future__ import annotations

from krai.core.events.models import Event
from krai.core.events.registry import subscriber
from krai.integration.webhooks.delivery import schedule_send
from krai.integration.webhooks.matching import endpoints_for
from krai.integration.webhooks.models import Delivery


def fan_out(event: Event) -> int:
    """Create the event's deliveries for the endpoints it goes to; returns how many endpoints it goes to."""
    endpoints = endpoints_for(event)
    if not endpoints:
        return 0
    Delivery.objects.bulk_create([Delivery(endpoint=endpoint, event=event, kind=event.kind,
                                           next_attempt_at=event.occurred_at) for endpoint in endpoints],
                                 ignore_conflicts=True)
    schedule_send()
    return len(endpoints)


@subscriber("webhooks.fan_out", kinds=["*"])
def fan_out_to_endpoints(event: Event) -> None:
    fan_out(event)
