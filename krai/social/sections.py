"""Sections of a profile page that other parts and areas add: the person's publications, albums, and — from the
law-making area — his public expert reviews.

``register_section(key, label, template, context, order=…)``: ``context(viewer, profile)`` returns the template's
context, or ``None`` when the section has nothing to show this viewer. Register from a module imported at
start-up (an app's ``subscribers``), so this app never imports the areas above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]
    order: int = 100


_sections: dict[str, Section] = {}


def register_section(key: str, label: str | Promise, template: str,
                     context: Callable[[Any, Any], dict[str, Any] | None], *, order: int = 100) -> Section:
    section = Section(key=key, label=label, template=template, context=context, order=order)
    _sections[key] = section
    return section


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.key))


@dataclass(frozen=True)
class Rendered:
    key: str
    label: str | Promise
    html: SafeString


def render_sections(viewer: Any, profile: Any, request: Any = None) -> list[Rendered]:
    """The sections with something to show ``viewer`` on ``profile``'s page, rendered, in order."""
    out = []
    for section in sections():
        context = section.context(viewer, profile)
        if context is None:
            continue
        context = {"profile": profile, "viewer": viewer, **context}
        out.append(Rendered(section.key, section.label, render_to_string(section.template, context, request=request)))
    return out
