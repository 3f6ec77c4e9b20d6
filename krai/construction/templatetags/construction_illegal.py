"""Template tags of the illegal-constructions part (its owner fills them): ``{% object_illegal object %}`` shows the
illegal constructions linked to a registered object on its card."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def object_illegal(construction_object: Any) -> str:
    return ""
