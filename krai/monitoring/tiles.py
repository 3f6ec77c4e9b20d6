"""The overview page's tiles: each monitor registers a function that sums itself up for a user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass(frozen=True)
class Tile:
    key: str
    title: str | Promise
    url: str
    #: ``[(label, value, tone)]`` — tone is "", "success", "warning" or "danger"
    figures: list[tuple[str | Promise, object, str]] = field(default_factory=list)
    note: str | Promise = ""


_TILES: dict[str, tuple[int, Callable[..., Tile | None]]] = {}


def register(key: str, *, order: int = 100) -> Callable:
    """Register ``func(user) -> Tile | None`` (None: nothing to show this user)."""

    def wrap(func: Callable[..., Tile | None]) -> Callable[..., Tile | None]:
        _TILES[key] = (order, func)
        return func

    return wrap


def tiles_for(user) -> list[Tile]:
    out = []
    for _order, func in sorted(_TILES.values(), key=lambda item: item[0]):
        tile = func(user)
        if tile is not None:
            out.append(tile)
    return out
