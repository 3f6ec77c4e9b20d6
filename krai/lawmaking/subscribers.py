"""Law-making's reactions to events, and what it registers with the kernel and the areas below it
(notifications, cards, the expert's profile section, erasure, search). Imported at start-up by ``apps``."""
