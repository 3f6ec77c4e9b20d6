"""``{% load krai_notifications %}{% unread_notifications as count %}``: the badge beside the inbox link."""

from django import template

from krai.core.notifications import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return selectors.unread_count(user=user)
