"""The importers areas declare: a row schema and how a good set of rows is stored.

An area subclasses ``Importer`` and registers it in its ``AppConfig.ready``; the kernel does the rest
(reading, the mapping preview, typing, row errors, one transaction, the kept record, the pages and the
API). The kernel never imports an area: it finds the importer by its ``kind``.
"""

from __future__ import annotations

from django.utils.functional import Promise

from krai.core.imports.schema import Column, RowError

_REGISTRY: dict[str, Importer] = {}


class Importer:
    """Subclass and set ``kind`` and ``title``; override ``columns``, ``allowed``, ``check_row`` and ``store``
    (and ``check_rows`` when rows must be checked against each other)."""

    kind: str = ""
    title: str | Promise = ""
    description: str | Promise = ""
    #: options a caller must give (e.g. the dataset an upload is for), shown on the upload form as hidden
    #: fields and checked by ``allowed``
    options: tuple[str, ...] = ()
    #: the token scope of the area the rows go to, asked of API tokens besides ``imports:write``
    token_scope: str = ""

    def columns(self, *, options: dict) -> list[Column]:
        raise NotImplementedError

    def allowed(self, actor, *, options: dict) -> bool:
        """May ``actor`` import with these options? The kernel refuses with 403 otherwise."""
        return False

    def check_row(self, row: dict, *, actor, options: dict) -> dict[str, str]:
        """Checks beyond each cell's type (a code that must exist, dates in order): ``{column: reason}``."""
        return {}

    def check_rows(self, rows: list[tuple[int, dict]], *, actor, options: dict,
                   failed: frozenset[int]) -> list[RowError]:
        """Checks of the rows against each other (a row given twice, a reference to another row): every typed
        row as ``(line of the file, row)`` in file order, after ``check_row`` has seen them all; ``failed`` holds
        the lines ``check_row`` refused (already reported), so a check of the set as a whole can wait for a
        clean one. Return ``RowError(line, column, value, reason)`` with the column's schema name; any error
        is reported with the row errors and nothing is stored."""
        return []

    def store(self, rows: list[dict], *, actor, options: dict, record) -> dict:
        """Store the typed rows (called inside one transaction: raise to store nothing); return a summary
        such as ``{"created": 10, "updated": 2}`` that the record keeps and the result page shows."""
        raise NotImplementedError

    def result_url(self, *, options: dict, summary: dict) -> str:
        """Where the user sees what was stored (the result page links to it); empty when nowhere."""
        return ""


def register(importer: Importer) -> Importer:
    if not importer.kind:
        raise ValueError("an importer needs a kind")
    _REGISTRY[importer.kind] = importer
    return importer


def unregister(kind: str) -> None:
    _REGISTRY.pop(kind, None)


def get(kind: str) -> Importer | None:
    return _REGISTRY.get(kind)


def all_importers() -> list[Importer]:
    return sorted(_REGISTRY.values(), key=lambda i: str(i.title))
