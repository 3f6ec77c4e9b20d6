"""What the participation area registers with the kernel at start-up: its part of erasing a person."""

from krai.core.privacy import register_eraser
from krai.participation.services import participation_erase_person

register_eraser("participation", participation_erase_person)

from krai.participation import cards  # noqa: E402,F401 — links to its objects render as cards
