"""Template tags of the verification part (its owner fills them): ``{% object_verifications object %}`` shows the
published results of the requests about a registered object on its card."""

from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def object_verifications(construction_object: Any) -> str:
    return ""
