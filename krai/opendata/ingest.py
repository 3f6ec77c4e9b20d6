"""An open dataset's structure, and reading an upload against it — through the import kernel.

Reading the file (size limit, encoding, formulas, ZIP bombs), typing each cell and reporting every error by
row and column is ``krai.core.imports``' job, shared with every area that takes tables from outside; this
module adds what is open data's own: the structure a publisher describes (a subset of the Frictionless
Table Schema: ``{"fields": [{"name", "type", "required", "enum", "maxLength", "minimum", "maximum"}]}``
with the types string, integer, number, boolean, date and datetime) and the rows in structure order.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from krai.core import jsonsafe
from krai.core.imports import mapping, reading
from krai.core.imports.reading import decode_text, detect_format, max_bytes, read_bytes, too_large  # noqa: F401
from krai.core.imports.schema import TYPES, Column, RowError, convert, type_label  # noqa: F401
from krai.core.imports.schema import ImportRejected as UploadRejected  # noqa: F401 — its name here

MAX_FIELDS = 100
FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


@dataclass
class Parsed:
    """An upload proved valid: typed rows in file order, and what the file was."""

    rows: list[list]
    source_format: str
    encoding: str
    content: bytes
    checksum: str


def columns_of(structure: dict) -> list[Column]:
    return [Column.from_spec(spec) for spec in structure.get("fields", [])]


# --- structure -------------------------------------------------------------------------------------

def clean_structure(structure) -> dict:
    """Check a structure given by a publisher; return it normalised or raise ValidationError."""
    if isinstance(structure, str):
        try:
            structure = jsonsafe.loads(structure)
        except jsonsafe.JSONInputError as exc:
            raise ValidationError({"structure": str(exc)}) from exc
        except ValueError as exc:
            raise ValidationError({"structure": _("The structure is not valid JSON.")}) from exc
    if isinstance(structure, list):
        structure = {"fields": structure}
    fields = structure.get("fields") if isinstance(structure, dict) else None
    if not isinstance(fields, list) or not fields:
        raise ValidationError({"structure": _("The structure must list at least one field.")})
    if len(fields) > MAX_FIELDS:
        raise ValidationError({"structure": _("A dataset has at most %(n)s fields.") % {"n": MAX_FIELDS}})
    out, seen = [], set()
    for position, item in enumerate(fields, start=1):
        if not isinstance(item, dict):
            raise ValidationError({"structure": _("Field %(n)s is not an object.") % {"n": position}})
        name = str(item.get("name", "")).strip()
        if not FIELD_NAME.match(name):
            raise ValidationError({"structure": _(
                "Field %(n)s: a field name is Latin letters, digits and underscores, starting with a letter "
                "(got “%(name)s”).") % {"n": position, "name": name}})
        if name.lower() in seen:
            raise ValidationError({"structure": _("Field “%(name)s” appears twice.") % {"name": name}})
        seen.add(name.lower())
        kind = str(item.get("type", "string")).strip().lower()
        if kind not in TYPES:
            raise ValidationError({"structure": _("Field “%(name)s”: unknown type “%(type)s” (allowed: %(types)s).")
                                   % {"name": name, "type": kind, "types": ", ".join(TYPES)}})
        clean = {"name": name, "type": kind, "title": str(item.get("title", "") or name)[:300],
                 "title_en": str(item.get("title_en", "") or item.get("description_en", "") or name)[:300],
                 "description": str(item.get("description", ""))[:1000],
                 "required": bool(item.get("required") or (item.get("constraints") or {}).get("required"))}
        constraints = item.get("constraints") or {}
        for key in ("enum", "maxLength", "minimum", "maximum"):
            value = item.get(key, constraints.get(key))
            if value is not None:
                clean[key] = value
        out.append(clean)
    return {"fields": out}


# --- reading -------------------------------------------------------------------------------------

def typed_rows(header: list[str], records: Iterable[tuple[int, list]], fields: list[dict], *,
               strict_width: bool = False) -> Iterator[list]:
    """Typed rows in structure order (the header must name the fields); UploadRejected with every reason."""
    columns = [Column.from_spec(spec) for spec in fields]
    names = [c.name for c in columns]
    for _number, row in mapping.typed_rows(header, records, columns, mapping.strict_mapping(header, columns),
                                           strict_width=strict_width):
        yield [row[name] for name in names]


def read_upload(upload, structure: dict, *, name: str = "") -> Parsed:
    """Read and validate an upload against ``structure``; raise UploadRejected with the reasons."""
    fields = structure.get("fields", [])
    table = reading.read_table(upload, name=name, expected=[f["name"] for f in fields])
    rows = list(typed_rows(table.header, table.records, fields, strict_width=table.source_format == "csv"))
    return Parsed(rows=rows, source_format=table.source_format, encoding=table.encoding, content=table.content,
                  checksum=table.checksum)
