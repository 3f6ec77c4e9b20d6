"""Section kinds of periodic reports, registered in code: one module each, built over an area's own selectors.

A section kind reads its area's data as the template's owner would see it (the selectors take the owner and apply
his scope), within the edition's period and the template's filters, and answers a ``Part``: tables whose numbers
stay numbers (the XLSX holds them as they are) and charts (drawn into the PDF). In a published template
(``Context.public``) a kind answers aggregate, non-personal figures only: no person's name, no single case.

Adding a kind: a module here that calls ``register`` at import, named in ``MODULES`` (the media digest is
``media``, over ``krai.monitoring.media``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.functional import Promise

from krai.core.charts import Chart, Series  # noqa: F401 (the sections build them)

#: the modules that register section kinds, in the order the template form offers them
MODULES = ("orders", "problems", "indicators", "rankings", "staffing", "media")

#: what the filters of a template mean to a kind
BLOCK, MUNICIPALITY = "block", "municipality"


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[Any]]
    #: the totals row, when the table has one (shown bold, kept last)
    total: list[Any] | None = None


@dataclass
class Part:
    """What a section contributes to an edition."""

    kind: str
    title: str
    note: str = ""
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass(frozen=True)
class Context:
    owner: Any
    period_start: date
    period_end: date
    block: Any = None
    municipality: Any = None
    public: bool = False


@dataclass(frozen=True)
class SectionKind:
    key: str
    label: str | Promise
    description: str | Promise
    build: Callable[[Context], Part]
    #: which of the template's filters the kind applies (``BLOCK``, ``MUNICIPALITY``)
    filters: tuple[str, ...] = ()


_registry: dict[str, SectionKind] = {}


def register(kind: SectionKind) -> SectionKind:
    _registry[kind.key] = kind
    return kind


def load() -> None:
    for module in MODULES:
        importlib.import_module(f"{__name__}.{module}")


def kinds() -> list[SectionKind]:
    """Every registered kind, in the order of ``MODULES`` (then of registration)."""
    load()
    return list(_registry.values())


def kind_get(key: str) -> SectionKind | None:
    load()
    return _registry.get(key)


def choices() -> list[tuple[str, str | Promise]]:
    return [(kind.key, kind.label) for kind in kinds()]
