"""Which column of the file feeds which column of the schema, and the typed rows that mapping gives.

People's files name their columns in their own words ("Код", "Наименование показателя", "code"). The
kernel proposes a mapping (exact name, title or alias first, then a close spelling by rapidfuzz), the user
confirms or corrects it on the preview, and ``typed_rows`` applies it: every row typed and checked, every
error kept with its row and column, and nothing returned unless every row is good.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _
from rapidfuzz import fuzz

from krai.core.imports.schema import MAX_REPORTED, Column, ImportRejected, RowError, convert

FUZZY_FLOOR = 88  # token-sort ratio; below it a header is left for the user to map by hand


def normalise(text: str) -> str:
    text = str(text or "").strip().lower().replace("ё", "е")
    return re.sub(r"[\s_\-.,:;()\"«»]+", " ", text).strip()


def _names(column: Column) -> list[str]:
    return [normalise(n) for n in (column.name, column.title, column.title_en, *column.aliases) if n]


def propose(header: list[str], columns: list[Column]) -> dict[str, str]:
    """``{column name: header text}`` for every column a header was found for (each header used once)."""
    normal = [normalise(h) for h in header]
    used: set[int] = set()
    out: dict[str, str] = {}
    for column in columns:  # exact names first, so a fuzzy guess never takes another column's header
        for name in _names(column):
            if name in normal and normal.index(name) not in used:
                used.add(normal.index(name))
                out[column.name] = header[normal.index(name)]
                break
    for column in columns:
        if column.name in out:
            continue
        best, best_score = None, 0.0
        for index, text in enumerate(normal):
            if index in used or not text:
                continue
            score = max(fuzz.token_sort_ratio(text, name) for name in _names(column))
            if score > best_score:
                best, best_score = index, score
        if best is not None and best_score >= FUZZY_FLOOR:
            used.add(best)
            out[column.name] = header[best]
    return out


def check_mapping(header: list[str], columns: list[Column], mapping: dict[str, str]) -> dict[str, int]:
    """Positions of the mapped header cells; ImportRejected when a required column is unmapped or a header
    named in the mapping is not in the file, or two columns take the same one."""
    positions: dict[str, int] = {}
    problems = []
    taken: dict[int, str] = {}
    known = {c.name for c in columns}
    for name, text in mapping.items():
        if name not in known or not text:
            continue
        if text not in header:
            problems.append(_("column “%(header)s” is not in the file") % {"header": text})
            continue
        position = header.index(text)
        if position in taken:
            problems.append(_("“%(header)s” is mapped twice") % {"header": text})
            continue
        taken[position] = name
        positions[name] = position
    missing = [c.title or c.name for c in columns if c.required and c.name not in positions]
    if missing:
        problems.append(_("required columns without a source: %(names)s") % {"names": ", ".join(missing)})
    if problems:
        raise ImportRejected(_("The column mapping cannot be used: %(details)s.") % {"details": "; ".join(problems)},
                             code="mapping")
    return positions


def strict_mapping(header: list[str], columns: list[Column]) -> dict[str, str]:
    """The mapping of a file whose header must name the columns exactly (case aside), as the API's one-step
    upload wants: ImportRejected listing what is missing and what is extra."""
    by_name = {h.lower(): h for h in header}
    missing = [c.name for c in columns if c.name.lower() not in by_name]
    unknown = [h for h in header if h and h.lower() not in {c.name.lower() for c in columns}]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            parts.append(_("columns not in the structure: %(names)s") % {"names": ", ".join(unknown)})
        raise ImportRejected(_("The header does not match the structure (%(details)s). The first line must name "
                               "the fields: %(fields)s.") % {"details": "; ".join(parts),
                                                             "fields": ", ".join(c.name for c in columns)},
                             code="header")
    return {c.name: by_name[c.name.lower()] for c in columns}


def typed_rows(header: list[str], records: Iterable[tuple[int, list]], columns: list[Column],
               mapping: dict[str, str], *, strict_width: bool = False) -> Iterator[tuple[int, dict]]:
    """``(line, {column: typed value})`` for every record; ImportRejected with every row's reasons at the end.

    Nothing is yielded until every record has been checked, so a caller storing the rows never stores half.
    """
    positions = check_mapping(header, columns, mapping)
    specs = [(c, c.spec(), positions.get(c.name)) for c in columns]
    width = len(header)
    errors: list[RowError] = []
    count = 0
    rows: list[tuple[int, dict]] = []
    for number, values in records:
        if len(values) > width or (strict_width and len(values) < width):
            count += 1
            if len(errors) < MAX_REPORTED:
                errors.append(RowError(number, "", "", _("%(got)s values where the header has %(want)s")
                                       % {"got": len(values), "want": width}))
            continue
        row, ok = {}, True
        for column, spec, position in specs:
            raw = values[position] if position is not None and position < len(values) else None
            try:
                row[column.name] = convert(raw, spec)
            except ValueError as exc:
                ok = False
                count += 1
                if len(errors) < MAX_REPORTED:
                    errors.append(RowError(number, header[position] if position is not None else column.name,
                                           "" if raw is None else str(raw), str(exc)))
        if ok:
            rows.append((number, row))
    if errors or count:
        raise ImportRejected(_("%(count)s errors found; nothing was stored. Fix them and upload again.")
                             % {"count": count}, code="rows", errors=errors, error_count=count)
    if not rows:
        raise ImportRejected(_("The file has a header but no rows."), code="empty")
    yield from rows
