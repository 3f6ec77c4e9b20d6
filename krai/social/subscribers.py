"""The community's reactions to events, its erasers and its part of "download my data" (registered at start-up)."""

from krai.core.privacy import register_eraser, register_exporter
from krai.social.erasure import social_erase_person, social_export

register_eraser("social", social_erase_person)
register_exporter("social", social_export)

from krai.social import galleries_sections  # noqa: E402,F401 — the profile's "albums" section
