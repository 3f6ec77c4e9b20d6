"""Demo data: a registry of loaders that every area adds to, run by ``krai demo``.

An area writes ``<app>/demo.py``::

    from krai.core.demo import demo_loader

    @demo_loader(order=10)
    def load_structure(*, scale: int, stdout) -> list[str]:
        ...                          # get_or_create by stable codes: re-running must change nothing
        return ["governor@demo.krai — the governor"]   # login lines, printed at the end

Loaders run in ``order`` (then by name), each in its own transaction, so a failing loader leaves no
half of itself behind. Runs are deterministic: before each loader the ``random`` module is seeded
from the loader's name and the scale, and a loader that declares an ``rng`` keyword gets its own
seeded ``random.Random``. ``scale`` multiplies the volumes (citizens, orders, votes …); structure
that does not grow with the region (44 municipalities) stays as it is.
"""

from __future__ import annotations

import inspect
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from django.db import transaction
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Loader:
    name: str
    order: int
    func: Callable[..., Iterable[str] | None]

    @property
    def wants_rng(self) -> bool:
        return "rng" in inspect.signature(self.func).parameters


_registry: dict[str, Loader] = {}


def demo_loader(*, order: int = 100, name: str | None = None) -> Callable:
    """Register a demo loader ``func(*, scale: int, stdout[, rng])`` returning login lines (or None)."""

    def register(func: Callable[..., Iterable[str] | None]) -> Callable[..., Iterable[str] | None]:
        key = name or f"{func.__module__}.{func.__qualname__}"
        _registry[key] = Loader(name=key, order=order, func=func)
        return func

    return register


def loaders() -> list[Loader]:
    """Every registered loader (after importing each installed app's ``demo`` module), in run order."""
    autodiscover_modules("demo")
    return sorted(_registry.values(), key=lambda loader: (loader.order, loader.name))


def seed_for(loader: Loader, scale: int) -> str:
    return f"krai-demo:{loader.name}:{scale}"


def run(*, scale: int = 1, stdout: TextIO, only: Iterable[str] = ()) -> list[str]:
    """Run the loaders (those whose name contains one of ``only``, if given); return their login lines."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    wanted = [part for part in only if part]
    logins: list[str] = []
    for loader in loaders():
        if wanted and not any(part in loader.name for part in wanted):
            continue
        started = time.monotonic()
        random.seed(seed_for(loader, scale))
        kwargs: dict[str, Any] = {"scale": scale, "stdout": stdout}
        if loader.wants_rng:
            kwargs["rng"] = random.Random(seed_for(loader, scale))
        with transaction.atomic():
            lines = loader.func(**kwargs)
        logins.extend(lines or ())
        stdout.write(f"  {loader.name}: {time.monotonic() - started:.1f} s\n")
    return logins
