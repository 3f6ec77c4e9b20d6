"""Law-making's registrations of the export part (imported by ``subscribers``): its eraser and its part of
"download my data", the card of an initiative, the search index's subscriber."""

from krai.core.privacy import register_eraser, register_exporter
from krai.lawmaking import cards, search  # noqa: F401 — the search index's subscriber registers itself
from krai.lawmaking.erasure import lawmaking_erase_person, lawmaking_export

register_eraser("lawmaking", lawmaking_erase_person)
register_exporter("lawmaking", lawmaking_export)
cards.register()
