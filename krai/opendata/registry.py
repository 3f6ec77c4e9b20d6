"""Live datasets: data that Krai itself holds, published as open data and regenerated when it changes.

An area describes a dataset once::

    from krai.opendata.registry import live_dataset

    @live_dataset(code="structure", title="…", owner_code="governor-office",
                  columns=[{"name": "code", "type": "string", "title": "Код"}, …])
    def organisations():
        for org in organisation_list():
            yield {"code": org.code, …}

The function yields rows (dicts by column name, or lists in column order) with no personal data.
The dataset's identifier is the owner's INN and the code.
``krai.opendata.services.live_refresh`` (run by ``krai demo``, a nightly job and on the area's events)
validates the rows against the columns and stores them as a new version when they changed.

Areas sit below open data in the layers (import-linter), so their live datasets are declared in
``krai/opendata/live.py``, which reads them through their selectors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class LiveDataset:
    code: str
    title: str
    columns: list[dict]
    rows: Callable[[], Iterable]
    owner_code: str = ""
    description: str = ""
    keywords: tuple[str, ...] = ()
    subject: str = ""
    frequency: str = "continuous"
    spatial: str = ""
    refresh_on: tuple[str, ...] = field(default_factory=tuple)  # event kinds (glob patterns) that make it stale
    refresh_if: Callable[[Any], bool] | None = None  # narrows those events further (e.g. by their payload)

    def stale_after(self, event: Any) -> bool:
        """Whether ``event`` (a domain event) may have changed this dataset's rows."""
        return (any(fnmatchcase(event.kind, pattern) for pattern in self.refresh_on)
                and (self.refresh_if is None or bool(self.refresh_if(event))))


_registry: dict[str, LiveDataset] = {}
_loaded = False


def live_dataset(*, code: str, title: str, columns: list[dict], owner_code: str = "", description: str = "",
                 keywords: Iterable[str] = (), subject: str = "", frequency: str = "continuous", spatial: str = "",
                 refresh_on: Iterable[str] = (), refresh_if: Callable[[Any], bool] | None = None) -> Callable:
    """Register the decorated row generator as the live dataset ``code`` (Latin, unique)."""

    def register(func: Callable[[], Iterable]) -> Callable[[], Iterable]:
        _registry[code] = LiveDataset(code=code, title=title, columns=list(columns), rows=func,
                                            owner_code=owner_code, description=description,
                                            keywords=tuple(keywords), subject=subject, frequency=frequency,
                                            spatial=spatial, refresh_on=tuple(refresh_on),
                                            refresh_if=refresh_if)
        return func

    return register


def live_datasets() -> dict[str, LiveDataset]:
    """Every registered live dataset (importing krai.opendata.live once)."""
    global _loaded
    if not _loaded:
        import_string("krai.opendata.live.REGISTERED")
        _loaded = True
    return dict(_registry)
