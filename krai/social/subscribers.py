"""The community's registrations at start-up: its eraser and its part of "download my data", the profile's
"albums" section, and the account menu's links ("My community profile", "Messages" with the unread count)."""

from django.utils.translation import pgettext_lazy

from krai.core.account_menu import register_account_link
from krai.core.privacy import register_eraser, register_exporter
from krai.social import galleries_sections, search  # noqa: F401 — the profile's "albums" section; the search index
from krai.social.erasure import social_erase_person, social_export
from krai.social.selectors.conversations import unread_total

register_eraser("social", social_erase_person)
register_exporter("social", social_export)

register_account_link("social-profile", pgettext_lazy("account menu", "My community profile"), "social:profile_edit",
                      order=50)
register_account_link("social-messages", pgettext_lazy("account menu", "Messages"), "social:inbox", order=51,
                      count=lambda user: unread_total(user=user))
