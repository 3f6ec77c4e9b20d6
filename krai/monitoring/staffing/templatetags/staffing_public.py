"""``{% staffing_summary organisation %}``: a body's staffing on the public structure page (counts, no names)."""

from django import template

from krai.monitoring.staffing import selectors

register = template.Library()


@register.inclusion_tag("staffing/_public_summary.html")
def staffing_summary(organisation) -> dict:
    return {"summary": selectors.public_summary(organisation) if organisation is not None else None}
