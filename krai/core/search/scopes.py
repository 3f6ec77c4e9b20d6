"""Whose scope covers what: a small registry the org area fills, so the kernel never imports it.

Search filters staff entries by the searching user's scope. The kernel may not import ``krai.org``, so
the resolver is registered from above: ``register_scope_resolver(krai.org.scopes.scope_for)`` (in the
org app's ``ready``), or named in ``settings.KRAI_SEARCH_SCOPE_RESOLVER`` as a dotted path. A resolver
takes a user and returns an object with ``region`` (bool), ``org_paths``, ``block_ids`` and
``municipality_ids`` — ``krai.org.scopes.Scope`` is one. With none registered, only superusers see every
staff entry; other staff see staff-wide entries and their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class BareScope:
    """The scope assumed when no resolver is registered."""

    region: bool = False
    org_paths: tuple[str, ...] = ()
    block_ids: frozenset[int] = frozenset()
    municipality_ids: frozenset[int] = frozenset()


_resolver: Callable[[Any], Any] | None = None


def register_scope_resolver(resolver: Callable[[Any], Any] | None) -> None:
    """Install the function that tells a user's scope (``None`` removes it: tests)."""
    global _resolver
    _resolver = resolver


def _configured() -> Callable[[Any], Any] | None:
    if _resolver is not None:
        return _resolver
    path = getattr(settings, "KRAI_SEARCH_SCOPE_RESOLVER", "")
    return import_string(path) if path else None


def scope_of(user) -> Any:
    """The scope of ``user`` as the registered resolver tells it (superusers: the whole region)."""
    if user is not None and getattr(user, "is_superuser", False) and user.is_active:
        return BareScope(region=True)
    resolver = _configured()
    return resolver(user) if resolver is not None else BareScope()
