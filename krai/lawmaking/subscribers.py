"""Law-making's reactions to events, and what it registers with the kernel and the areas below it
(notifications, cards, the expert's profile section, erasure, search), one module per part. Imported at
start-up by ``apps``."""

from krai.lawmaking import (  # noqa: F401 — each registers itself
    subscribers_discussion,
    subscribers_drafts,
    subscribers_expertise,
    subscribers_export,
    subscribers_initiatives,
)
