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


@register.filter
def bootstrap(field):
    """Render a bound field's widget with Bootstrap's class and the ARIA links to its help and errors."""
    widget = field.field.widget
    css = "form-select" if getattr(widget, "input_type", "") == "select" or widget.__class__.__name__.endswith(
        "Select") else "form-control"
    attrs = {"class": f"{css} is-invalid" if field.errors else css}
    if field.errors or field.help_text:
        attrs["aria-describedby"] = f"{field.id_for_label}_help"
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
