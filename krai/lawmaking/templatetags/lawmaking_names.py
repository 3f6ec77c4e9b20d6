"""``{{ user|community_name }}``: a person named as the community names him (his profile's name, or "Given S."),
never a surname he has not shown."""

from typing import Any

from django import template

from krai.core.privacy import mask_personal
from krai.social.selectors.profiles import display_name

register = template.Library()


@register.filter
def community_name(user: Any) -> str:
    return display_name(user) if user is not None else ""


@register.filter
def masked(text: Any) -> str:
    """A resident's text as the public reads it: phones, e-mails, document numbers masked (``mask_personal``)."""
    return mask_personal(str(text or ""))
