"""Small template helpers of the account pages."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value) -> int:
    """A timedelta in whole minutes, at least one (the lock-out page's "try again in N minutes")."""
    if isinstance(value, timedelta):
        return max(1, round(value.total_seconds() / 60))
    return 0
