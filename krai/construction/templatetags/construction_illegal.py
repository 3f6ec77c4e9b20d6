"""Template tags of the illegal-constructions part: ``{% object_illegal object %}`` lists the illegal constructions
linked to a registered object on its card; ``status|illegal_colour`` is a status's colour (the map's, the report's
dots)."""

from __future__ import annotations

from typing import Any

from django import template

from krai.construction.report_pdf import STATUS_COLOURS
from krai.construction.selectors.illegal import for_object

register = template.Library()


@register.filter
def illegal_colour(status: Any) -> str:
    """``#rrggbb`` of a status (black for an unknown one); never user text, so safe in a style attribute."""
    r, g, b = STATUS_COLOURS.get(str(status), (0, 0, 0))
    return f"#{r:02x}{g:02x}{b:02x}"


@register.inclusion_tag("construction/illegal/_for_object.html")
def object_illegal(construction_object: Any) -> dict[str, Any]:
    return {"entries": list(for_object(construction_object)), "construction_object": construction_object}
