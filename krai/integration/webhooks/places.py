"""Where an event happened: the scope resolvers that map an event to (organisation, municipality).

An endpoint subscribed for an organisation's subtree, a municipality or a block receives an event only when its
place falls there. Each resolver is registered for a pattern of kinds (``control.*``); the most specific pattern
wins. Resolvers read the event's own payload first and the rows it names after, so a deleted subject still has a
place when the payload tells it.

**An event no resolver places reaches region-wide endpoints only**: rather than guess, a scoped endpoint gets
nothing it cannot be shown to concern.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from krai.core.events.models import Event
from krai.orders.models import Assignment, Order


@dataclass(frozen=True)
class Place:
    """The organisation and the municipality an event concerns (either may be unknown)."""

    organisation_id: int | None = None
    municipality_id: int | None = None

    @property
    def known(self) -> bool:
        return self.organisation_id is not None or self.municipality_id is not None


NOWHERE = Place()
Resolver = Callable[[Event], Place]
_resolvers: dict[str, Resolver] = {}


def scope_resolver(pattern: str) -> Callable[[Resolver], Resolver]:
    """Decorator: ``@scope_resolver("control.*")`` on ``def place(event) -> Place``."""

    def register(func: Resolver) -> Resolver:
        _resolvers[pattern] = func
        return func

    return register


def resolver_for(kind: str) -> Resolver | None:
    """The resolver of the most specific pattern matching ``kind`` (the longest one before a ``*``)."""
    matching = [pattern for pattern in _resolvers if fnmatchcase(kind, pattern)]
    if not matching:
        return None
    return _resolvers[max(matching, key=lambda p: (len(p.replace("*", "")), p))]


def place_of(event: Event) -> Place:
    """Where ``event`` happened; ``NOWHERE`` when no resolver knows (then only region-wide endpoints get it)."""
    resolver = resolver_for(event.kind)
    if resolver is None:
        return NOWHERE
    return resolver(event) or NOWHERE


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _subject(event: Event) -> Any:
    """The event's subject row if it still exists (read through its content type: no import of the area)."""
    if event.subject_type_id is None or not event.subject_id:
        return None
    model = event.subject_type.model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=event.subject_id).first()


@scope_resolver("control.*")
def _control(event: Event) -> Place:
    """An assignment's place is its executor organisation (after a reassignment: the new one)."""
    pk = _int(event.payload.get("assignment_id")) or _int(event.subject_id)
    organisation = Assignment.objects.filter(pk=pk).values_list("executor_organisation_id", flat=True).first()
    return Place(organisation_id=organisation)


@scope_resolver("orders.*")
def _orders(event: Event) -> Place:
    """An order's place is its lead executor organisation."""
    organisation = (Order.objects.filter(pk=_int(event.subject_id)).values_list("lead_organisation_id", flat=True)
                    .first())
    return Place(organisation_id=organisation)


@scope_resolver("problems.*")
def _problems(event: Event) -> Place:
    """A problem's place is its municipality and its responsible body (both in every problems.* payload)."""
    payload = event.payload
    organisation, municipality = _int(payload.get("organisation")), _int(payload.get("municipality"))
    if organisation is None and municipality is None:
        subject = _subject(event)
        organisation = getattr(subject, "organisation_id", None)
        municipality = getattr(subject, "municipality_id", None)
    return Place(organisation_id=organisation, municipality_id=municipality)


_CONSTRUCTION_BODIES = ("responsible_body_id", "inspection_body_id")


@scope_resolver("construction.*")
def _construction(event: Event) -> Place:
    """A construction object, request or work: its municipality and the body answering for it."""
    payload = event.payload
    organisation = next((_int(payload.get(key)) for key in _CONSTRUCTION_BODIES if _int(payload.get(key))), None)
    municipality = _int(payload.get("municipality_id"))
    if organisation is None or municipality is None:
        subject = _subject(event)
        if organisation is None:
            organisation = next((getattr(subject, key) for key in _CONSTRUCTION_BODIES
                                 if getattr(subject, key, None)), None)
        if municipality is None:
            municipality = getattr(subject, "municipality_id", None)
    return Place(organisation_id=organisation, municipality_id=municipality)
