"""Construction's reactions to events, and what it registers with the kernel and the areas below it
(notifications, cards, erasure, search), one module per part. Imported at start-up by ``apps``."""
