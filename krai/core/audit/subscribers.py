"""The audit trail listens to every domain event."""

from krai.core.audit import services
from krai.core.events.registry import subscriber


@subscriber("audit.trail", kinds=["*"])
def copy_to_the_trail(event) -> None:
    services.record_from_event(event=event)
