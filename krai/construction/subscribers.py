"""Construction's reactions to events, and what it registers with the kernel and the areas below it
(notifications, cards, erasure, data exporters), one module per part. Imported at start-up by ``apps``."""

from krai.construction import (  # noqa: F401 — each registers itself
    subscribers_illegal,
    subscribers_objects,
    subscribers_verification,
    subscribers_works,
)
