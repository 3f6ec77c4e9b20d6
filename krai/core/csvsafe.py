"""CSV that a spreadsheet opens as data, never as formulas (CSV injection, OWASP).

A spreadsheet treats a cell starting with ``=``, ``+``, ``-`` or ``@`` as a formula — and a tab or a
carriage return in front of one as nothing — so a published text such as ``=HYPERLINK("http://…")``
would run on the reader's machine. As OWASP recommends, such a text cell is written with a leading
single quote, which spreadsheets show as text and do not evaluate. Numbers stay numbers: a ``-5`` held
as a number is written as it is; only text is touched. Every CSV the project writes goes through here:
``writer`` for Python's ``csv`` module and ``sql_text`` for PostgreSQL's ``COPY … TO STDOUT``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value to write: text that a spreadsheet would evaluate gets a leading ``'``; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` whose rows are passed through ``safe_cell``; ``writerow`` returns what the file's
    ``write`` returns, so a streaming response can yield it."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        self._writer.writerows([safe_cell(value) for value in row] for row in rows)


def writer(out, **kwargs) -> SafeWriter:
    return SafeWriter(out, **kwargs)


def sql_text(expr: str) -> str:
    """PostgreSQL: the text expression ``expr`` as ``safe_cell`` writes it, for a ``COPY (SELECT …) TO STDOUT``."""
    starts = ", ".join(f"chr({ord(c)})" for c in FORMULA_START)
    return f"CASE WHEN left({expr}, 1) IN ({starts}) THEN chr(39) || {expr} ELSE {expr} END"
