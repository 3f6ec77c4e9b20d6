"""Choice fields whose values the API's schema names as a component of integration's own
(``IntegrationSystemKindEnum``…): "kind", "status" and "channel" are field names of other areas' choice sets too,
and drf-spectacular's shared naming would otherwise collide (and warn) on them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers


class NamedChoiceField(serializers.ChoiceField):
    """A ChoiceField whose choice set is the schema component ``enum_name``."""

    def __init__(self, choices: Any, *, enum_name: str, **kwargs: Any) -> None:
        self.enum_name = enum_name
        super().__init__(choices, **kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        field = self.target
        component = ResolvedComponent(name=field.enum_name, type=ResolvedComponent.SCHEMA, object=field.enum_name,
                                      schema={"type": "string", "enum": list(field.choices)})
        auto_schema.registry.register_on_missing(component)
        return component.ref
