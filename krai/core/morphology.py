"""Russian morphology: the one pymorphy3 analyser of the process (loading its dictionaries takes a moment and tens
of megabytes: once), shared by the voice orders' name matching and the media monitor's lemmas."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def analyzer() -> Any:
    """The process's pymorphy3 analyser for Russian."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")
