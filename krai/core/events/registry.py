"""Who listens to which events: ``@subscriber("name", kinds=[...])`` in an app's ``subscribers`` module.

Kinds are glob patterns (``org.*``, ``*``, ``accounts.user_registered``). Modules named
``events_subscribers`` or ``subscribers`` of every installed app are imported when the events app is
ready, so an upper app listens to a lower one without the lower one importing it.

A subscriber's name is stored with each delivery: renaming it makes the dispatcher treat it as a new
subscriber (events already fanned out stay addressed to the old name and end as failed deliveries).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from krai.core.events.models import Event

Handler = Callable[["Event"], None]


@dataclass(frozen=True)
class Subscriber:
    """A named handler and the kinds of event it wants."""

    name: str
    kinds: tuple[str, ...]
    handler: Handler
    max_attempts: int | None = None

    def matches(self, kind: str) -> bool:
        return any(fnmatchcase(kind, pattern) for pattern in self.kinds)


_subscribers: dict[str, Subscriber] = {}


def register(name: str, *, kinds: Iterable[str], handler: Handler, max_attempts: int | None = None) -> Subscriber:
    """Register ``handler`` under ``name``; a second, different handler under one name is an error."""
    kinds = tuple(kinds)
    if not name or len(name) > 100:
        raise ImproperlyConfigured(f"A subscriber needs a name of 1–100 characters, not {name!r}.")
    if not kinds:
        raise ImproperlyConfigured(f"Subscriber {name!r} names no kinds of event.")
    existing = _subscribers.get(name)
    if existing is not None and _same_function(existing.handler, handler):
        return existing
    if existing is not None:
        raise ImproperlyConfigured(f"Two subscribers are named {name!r}.")
    entry = Subscriber(name=name, kinds=kinds, handler=handler, max_attempts=max_attempts)
    _subscribers[name] = entry
    return entry


def _same_function(a: Handler, b: Handler) -> bool:
    # A module imported twice (autodiscovery, then a test importing it) re-defines the same function.
    return a is b or (getattr(a, "__module__", None), getattr(a, "__qualname__", None)) == (
        getattr(b, "__module__", None), getattr(b, "__qualname__", None))


def subscriber(name: str, *, kinds: Iterable[str], max_attempts: int | None = None) -> Callable[[Handler], Handler]:
    """Decorator: ``@subscriber("audit.trail", kinds=["*"])`` on ``def handler(event): ...``.

    The handler must be idempotent by ``event.id``: delivery is at least once. It runs inside the
    dispatcher's transaction; raise to have the delivery retried later.
    """

    def decorate(handler: Handler) -> Handler:
        register(name, kinds=kinds, handler=handler, max_attempts=max_attempts)
        return handler

    return decorate


def unregister(name: str) -> None:
    """Forget a subscriber (tests; an app being switched off)."""
    _subscribers.pop(name, None)


def get(name: str) -> Subscriber | None:
    return _subscribers.get(name)


def all_subscribers() -> list[Subscriber]:
    return sorted(_subscribers.values(), key=lambda entry: entry.name)


def subscribers_for(kind: str) -> list[Subscriber]:
    """The subscribers whose patterns match ``kind``, in name order."""
    return [entry for entry in all_subscribers() if entry.matches(kind)]


@contextmanager
def isolated() -> Iterator[None]:
    """Tests: inside, only subscribers registered inside are active; the real ones come back after."""
    saved = dict(_subscribers)
    _subscribers.clear()
    try:
        yield
    finally:
        _subscribers.clear()
        _subscribers.update(saved)


def autodiscover() -> None:
    autodiscover_modules("events_subscribers", "subscribers")
