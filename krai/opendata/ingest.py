"""Reading an upload (CSV, JSON or XLSX) and checking it, row by row, against the dataset's structure.

Nothing here touches the database or the storage: ``read_upload`` returns the typed rows or raises
``UploadRejected`` carrying every reason (the first ``MAX_REPORTED`` of them, with row, column and
value) so the publisher can fix the file in one go. The structure is a subset of the Frictionless
Table Schema: ``{"fields": [{"name", "type", "required", "enum", "maxLength", "minimum", "maximum"}]}``
with the types string, integer, number, boolean, date and datetime.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from krai.core import jsonsafe, zipsafe

TYPES = ("string", "integer", "number", "boolean", "date", "datetime")
MAX_REPORTED = 200
MAX_FIELDS = 100
FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
TRUE = {"true", "1", "yes", "да", "t", "y", "истина"}
FALSE = {"false", "0", "no", "нет", "f", "n", "ложь"}


@dataclass
class RowError:
    row: int
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value[:100], "reason": self.reason}


@dataclass
class UploadRejected(Exception):
    """The upload cannot be stored; ``message`` says why in general, ``errors`` row by row."""

    message: str
    code: str = "invalid"
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    def __str__(self) -> str:
        return self.message

    def as_validation_error(self) -> ValidationError:
        lines = [self.message] + [
            _("Row %(row)s, column %(column)s: %(reason)s") % {"row": e.row, "column": e.column or "—",
                                                                "reason": e.reason}
            for e in self.errors[:20]]
        return ValidationError({"file": lines}, code=self.code)


@dataclass
class Parsed:
    """An upload proved valid: typed rows in file order, and what the file was."""

    rows: list[list]
    source_format: str
    encoding: str
    content: bytes
    checksum: str


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


# --- values ----------------------------------------------------------------------------------------

def _parse_date(text: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError


def _parse_datetime(text: str) -> dt.datetime:
    for pattern in ("%Y%m%dT%H%M", "%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value.replace(tzinfo=None) if value.tzinfo is None else value.astimezone(dt.UTC).replace(tzinfo=None)


def convert(value, spec: dict):
    """The typed value of ``value`` under ``spec``, ``None`` for an empty cell; ValueError with a reason."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if spec.get("required"):
            raise ValueError(_("a value is required"))
        return None
    kind = spec["type"]
    try:
        if kind == "string":
            result = value if isinstance(value, str) else str(value)
            if "maxLength" in spec and len(result) > int(spec["maxLength"]):
                raise ValueError(_("longer than %(n)s characters") % {"n": spec["maxLength"]})
        elif kind == "integer":
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, float):
                if not value.is_integer():
                    raise ValueError
                value = int(value)
            result = int(str(value).strip().replace(" ", "").replace("\u00a0", ""))
            if abs(result) > 2 ** 63 - 1:
                raise ValueError
        elif kind == "number":
            if isinstance(value, bool):
                raise ValueError
            text = str(value).strip().replace(" ", "").replace("\u00a0", "")
            if "," in text and "." not in text:
                text = text.replace(",", ".")
            result = float(text)
            if math.isnan(result) or math.isinf(result):
                raise ValueError
        elif kind == "boolean":
            if isinstance(value, bool):
                result = value
            else:
                text = str(value).strip().lower()
                if text in TRUE:
                    result = True
                elif text in FALSE:
                    result = False
                else:
                    raise ValueError
        elif kind == "date":
            if isinstance(value, dt.datetime):
                result = value.date()
            elif isinstance(value, dt.date):
                result = value
            else:
                result = _parse_date(str(value).strip())
        else:  # datetime
            result = value if isinstance(value, dt.datetime) else _parse_datetime(str(value).strip())
    except (ValueError, TypeError, OverflowError) as exc:
        reason = str(exc) if str(exc) and not str(exc).startswith(("invalid", "could not", "Invalid", "time data")) \
            else ""
        raise ValueError(reason or _("not a valid %(type)s") % {"type": type_label(kind)}) from exc
    if "enum" in spec and result not in spec["enum"]:
        raise ValueError(_("not one of the allowed values"))
    if kind in ("integer", "number"):
        if "minimum" in spec and result < spec["minimum"]:
            raise ValueError(_("less than %(n)s") % {"n": spec["minimum"]})
        if "maximum" in spec and result > spec["maximum"]:
            raise ValueError(_("more than %(n)s") % {"n": spec["maximum"]})
    return result


def type_label(kind: str) -> str:
    return {"string": _("text"), "integer": _("whole number"), "number": _("number"), "boolean": _("yes/no value"),
            "date": _("date (YYYY-MM-DD or DD.MM.YYYY)"), "datetime": _("date and time")}.get(kind, kind)


# --- reading ---------------------------------------------------------------------------------------

def max_bytes() -> int:
    return int(getattr(settings, "KRAI_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def too_large(limit: int) -> UploadRejected:
    return UploadRejected(_("The file is larger than %(limit)s. Split it, or ask the administrator to raise the "
                            "limit.") % {"limit": filesizeformat(limit)}, code="too_large")


def read_bytes(upload) -> bytes:
    """All of the upload, refusing (before and while reading) one over the size limit."""
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise too_large(limit)
    if hasattr(upload, "seek"):
        upload.seek(0)
    chunks, total = [], 0
    source = upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(1 << 16), b"")
    for chunk in source:
        total += len(chunk)
        if total > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def decode_text(content: bytes) -> tuple[str, str]:
    """Text of a CSV/JSON file: UTF-8 (with or without BOM) if it is valid UTF-8, else Windows-1251."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        return content.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = content.decode("cp1251")
    except UnicodeDecodeError as exc:
        raise UploadRejected(_("The file is neither UTF-8 nor Windows-1251 text. Save it as CSV in UTF-8."),
                             code="encoding") from exc
    if any(ch < " " and ch not in "\t\r\n" for ch in text[:65536]):
        raise UploadRejected(_("The file holds binary data, not text."), code="encoding")
    return text, "windows-1251"


def detect_format(name: str, content: bytes) -> str:
    lower = (name or "").lower()
    if content[:4] == b"PK\x03\x04":
        if lower.endswith((".csv", ".json", ".txt")):
            raise UploadRejected(_("The file is a ZIP package, not %(ext)s.") % {"ext": lower.rsplit(".", 1)[-1]},
                                 code="format")
        return "xlsx"
    if lower.endswith((".xlsx", ".xls", ".ods")):
        raise UploadRejected(_("Only XLSX spreadsheets are accepted (not XLS or ODS); or save the sheet as CSV."),
                             code="format")
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if lower.endswith(".json") or head in (b"[", b"{"):
        return "json"
    return "csv"


def _csv_records(text: str) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    sample = text[:65536]
    try:
        dialect = csv.Sniffer().sniff(sample.split("\n", 1)[0] or sample, delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise UploadRejected(_("The file is empty."), code="empty") from exc
    except csv.Error as exc:
        raise UploadRejected(_("The first line cannot be read as CSV: %(error)s") % {"error": exc},
                             code="csv") from exc

    def records():
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise UploadRejected(_("Line %(line)s cannot be read as CSV: %(error)s")
                                     % {"line": reader.line_num, "error": exc}, code="csv") from exc
            if values:
                yield reader.line_num, values

    return [h.strip() for h in header], records()


def _json_records(text: str, names: list[str]) -> tuple[list[str], Iterator[tuple[int, list]]]:
    try:
        data = jsonsafe.loads(text)
    except ValueError as exc:
        raise UploadRejected(_("The file is not valid JSON: %(error)s") % {"error": exc}, code="json") from exc
    if isinstance(data, dict):
        data = data.get("data", data.get("records", data.get("rows")))
    if not isinstance(data, list):
        raise UploadRejected(_("A JSON file must be an array of objects (or {\"data\": [...]})."), code="json")
    header = list(names)
    extra = []
    for item in data[:1000]:
        if isinstance(item, dict):
            extra.extend(k for k in item if k not in header and k not in extra)
    header += extra

    def records():
        for number, item in enumerate(data, start=1):
            if isinstance(item, dict):
                yield number, [item.get(name) for name in header]
            elif isinstance(item, list):
                yield number, item
            else:
                yield number, [item]

    return header, records()


def _xlsx_records(content: bytes) -> tuple[list[str], Iterator[tuple[int, list]]]:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - openpyxl is a dependency
        raise UploadRejected(_("XLSX files cannot be read on this installation; upload CSV."), code="format") from exc
    try:
        zipsafe.check_package(zipfile.ZipFile(io.BytesIO(content)))  # a ZIP bomb is refused before it inflates
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except zipsafe.PackageTooLarge as exc:
        raise UploadRejected(str(exc), code="xlsx_inflated") from exc
    except Exception as exc:
        raise UploadRejected(_("The file is not a readable XLSX spreadsheet."), code="xlsx") from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows()
    try:
        header_cells = next(rows)
    except StopIteration as exc:
        raise UploadRejected(_("The spreadsheet is empty."), code="empty") from exc
    header = [str(c.value).strip() if c.value is not None else "" for c in header_cells]
    while header and not header[-1]:
        header.pop()

    def records():
        for number, cells in enumerate(rows, start=2):
            values = []
            for cell in cells[:len(header)]:
                if getattr(cell, "data_type", None) == "f" or (isinstance(cell.value, str)
                                                               and cell.value.startswith("=")):
                    raise UploadRejected(_("Cell %(cell)s holds a formula. Formulas are not accepted: paste the "
                                           "values only and upload again.") % {"cell": cell.coordinate},
                                         code="formula")
                values.append(cell.value)
            if any(v is not None and v != "" for v in values):
                yield number, values

    return header, records()


def typed_rows(header: list[str], records: Iterable[tuple[int, list]], fields: list[dict], *,
               strict_width: bool = False) -> Iterator[list]:
    """Typed rows in structure order; raise UploadRejected with every row's reasons at the end."""
    errors: list[RowError] = []
    count = 0
    by_name = {h.lower(): i for i, h in enumerate(header)}
    missing = [f["name"] for f in fields if f["name"].lower() not in by_name]
    unknown = [h for h in header if h and h.lower() not in {f["name"].lower() for f in fields}]
    if missing or unknown:
        parts = []
        if missing:
            parts.append(_("missing columns: %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            parts.append(_("columns not in the structure: %(names)s") % {"names": ", ".join(unknown)})
        raise UploadRejected(_("The header does not match the structure (%(details)s). The first line must name "
                               "the fields: %(fields)s.") % {"details": "; ".join(parts),
                                                             "fields": ", ".join(f["name"] for f in fields)},
                             code="header")
    positions = [by_name[f["name"].lower()] for f in fields]
    width = len(header)
    rows = []
    for number, values in records:
        if len(values) > width or (strict_width and len(values) < width):
            count += 1
            if len(errors) < MAX_REPORTED:
                errors.append(RowError(number, "", "", _("%(got)s values where the header has %(want)s")
                                       % {"got": len(values), "want": width}))
            continue
        row = []
        ok = True
        for spec, position in zip(fields, positions, strict=True):
            raw = values[position] if position < len(values) else None
            try:
                row.append(convert(raw, spec))
            except ValueError as exc:
                ok = False
                count += 1
                if len(errors) < MAX_REPORTED:
                    errors.append(RowError(number, spec["name"], "" if raw is None else str(raw), str(exc)))
        if ok:
            rows.append(row)
    if errors or count:
        raise UploadRejected(_("%(count)s errors found; nothing was stored. Fix them and upload again.")
                             % {"count": count}, code="rows", errors=errors, error_count=count)
    if not rows:
        raise UploadRejected(_("The file has a header but no rows."), code="empty")
    yield from rows


def read_upload(upload, structure: dict, *, name: str = "") -> Parsed:
    """Read and validate an upload against ``structure``; raise UploadRejected with the reasons."""
    content = read_bytes(upload)
    if not content.strip():
        raise UploadRejected(_("The file is empty."), code="empty")
    name = name or getattr(upload, "name", "") or ""
    fmt = detect_format(name, content)
    fields = structure.get("fields", [])
    encoding = ""
    if fmt == "xlsx":
        header, records = _xlsx_records(content)
    else:
        text, encoding = decode_text(content)
        if fmt == "json":
            header, records = _json_records(text, [f["name"] for f in fields])
        else:
            header, records = _csv_records(text)
    rows = list(typed_rows(header, records, fields, strict_width=fmt == "csv"))
    return Parsed(rows=rows, source_format=fmt, encoding=encoding, content=content,
                  checksum=hashlib.sha256(content).hexdigest())
