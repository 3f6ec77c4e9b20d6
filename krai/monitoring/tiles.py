"""The overview page's tiles: each monitor registers a function that sums itself up for a user.

A tile's figures are numbers the standard says must be tested against the list they summarise: give each one as
a :class:`Figure` with the ``url`` of the page listing exactly the rows it counts (plain ``(label, value, tone)``
tuples still work — they render without a link).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise


class Figure(tuple):
    """``(label, value, tone)`` — unpacks like the plain tuples tiles used to give — and the ``url`` of its list."""

    url: str

    def __new__(cls, label: str | Promise, value: object, tone: str = "", url: str = "") -> Figure:
        self = super().__new__(cls, (label, value, tone))
        self.url = url
        return self

    def __getnewargs__(self) -> tuple:
        return (*self, self.url)


@dataclass(frozen=True)
class Tile:
    key: str
    title: str | Promise
    url: str
    #: ``[(label, value, tone)]`` or :class:`Figure` — tone is "", "success", "warning" or "danger"
    figures: list[tuple[str | Promise, object, str]] = field(default_factory=list)
    note: str | Promise = ""
    #: the list the note's number counts, if it has one
    note_url: str = ""

    @property
    def entries(self) -> list[tuple[str | Promise, object, str, str]]:
        """``[(label, value, tone, url)]`` for the template (``url`` "" when the figure has no list)."""
        return [(label, value, tone, getattr(figure, "url", "")) for figure in self.figures
                for label, value, tone in (figure,)]


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
