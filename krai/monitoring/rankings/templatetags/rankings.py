"""Template filters of the rankings pages."""

from django import template

register = template.Library()


@register.filter
def get(mapping: dict | None, key: str) -> object:
    """``{{ place.subscores|get:code }}``: a sub-score by its direction's code (None when missing)."""
    return (mapping or {}).get(key)
