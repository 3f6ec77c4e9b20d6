"""Delivery of events to subscribers (implemented by the kernel work on events)."""


def schedule_after_commit() -> None:
    """Ask the worker to deliver pending events once the current transaction commits."""
