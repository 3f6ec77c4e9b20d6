"""Reading a table from an uploaded file (CSV, JSON or XLSX), refusing hostile or unreadable input.

Nothing here knows what the rows mean: ``read_table`` returns the header and the records with their line
numbers; ``krai.core.imports.schema`` types and checks them. The size limit, the encoding detection
(UTF-8 with or without BOM, else Windows-1251), ZIP bombs and formulas are refused here, once for every
area that takes tables from outside.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from krai.core import jsonsafe, zipsafe
from krai.core.imports.schema import ImportRejected

Records = Iterator[tuple[int, list]]


@dataclass
class Table:
    """What a file holds: its header, its records (line number, values) and what the file was."""

    header: list[str]
    records: Records
    source_format: str
    encoding: str
    content: bytes
    checksum: str


def max_bytes() -> int:
    return int(getattr(settings, "KRAI_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


def too_large(limit: int) -> ImportRejected:
    return ImportRejected(_("The file is larger than %(limit)s. Split it, or ask the administrator to raise the "
                            "limit.") % {"limit": filesizeformat(limit)}, code="too_large")


def read_bytes(upload) -> bytes:
    """All of the upload, refusing (before and while reading) one over the size limit."""
    limit = max_bytes()
    if isinstance(upload, bytes):
        if len(upload) > limit:
            raise too_large(limit)
        return upload
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
        raise ImportRejected(_("The file is neither UTF-8 nor Windows-1251 text. Save it as CSV in UTF-8."),
                             code="encoding") from exc
    if any(ch < " " and ch not in "\t\r\n" for ch in text[:65536]):
        raise ImportRejected(_("The file holds binary data, not text."), code="encoding")
    return text, "windows-1251"


def detect_format(name: str, content: bytes) -> str:
    lower = (name or "").lower()
    if content[:4] == b"PK\x03\x04":
        if lower.endswith((".csv", ".json", ".txt")):
            raise ImportRejected(_("The file is a ZIP package, not %(ext)s.") % {"ext": lower.rsplit(".", 1)[-1]},
                                 code="format")
        return "xlsx"
    if lower.endswith((".xlsx", ".xls", ".ods")):
        raise ImportRejected(_("Only XLSX spreadsheets are accepted (not XLS or ODS); or save the sheet as CSV."),
                             code="format")
    head = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if lower.endswith(".json") or head in (b"[", b"{"):
        return "json"
    return "csv"


def csv_records(text: str) -> tuple[list[str], Records]:
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
        raise ImportRejected(_("The file is empty."), code="empty") from exc
    except csv.Error as exc:
        raise ImportRejected(_("The first line cannot be read as CSV: %(error)s") % {"error": exc},
                             code="csv") from exc

    def records() -> Records:
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportRejected(_("Line %(line)s cannot be read as CSV: %(error)s")
                                     % {"line": reader.line_num, "error": exc}, code="csv") from exc
            if values:
                yield reader.line_num, values

    return [h.strip() for h in header], records()


def json_records(text: str, names: list[str]) -> tuple[list[str], Records]:
    try:
        data = jsonsafe.loads(text)
    except ValueError as exc:
        raise ImportRejected(_("The file is not valid JSON: %(error)s") % {"error": exc}, code="json") from exc
    if isinstance(data, dict):
        data = data.get("data", data.get("records", data.get("rows")))
    if not isinstance(data, list):
        raise ImportRejected(_("A JSON file must be an array of objects (or {\"data\": [...]})."), code="json")
    header = list(names)
    extra: list[str] = []
    for item in data[:1000]:
        if isinstance(item, dict):
            extra.extend(k for k in item if k not in header and k not in extra)
    header += extra  # the expected names first (an absent key is an empty cell), then whatever else appears

    def records() -> Records:
        for number, item in enumerate(data, start=1):
            if isinstance(item, dict):
                yield number, [item.get(name) for name in header]
            elif isinstance(item, list):
                yield number, item
            else:
                yield number, [item]

    return header, records()


def xlsx_records(content: bytes) -> tuple[list[str], Records]:
    import openpyxl

    try:
        zipsafe.check_package(zipfile.ZipFile(io.BytesIO(content)))  # a ZIP bomb is refused before it inflates
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except zipsafe.PackageTooLarge as exc:
        raise ImportRejected(str(exc), code="xlsx_inflated") from exc
    except Exception as exc:
        raise ImportRejected(_("The file is not a readable XLSX spreadsheet."), code="xlsx") from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows()
    try:
        header_cells = next(rows)
    except StopIteration as exc:
        raise ImportRejected(_("The spreadsheet is empty."), code="empty") from exc
    header = [str(c.value).strip() if c.value is not None else "" for c in header_cells]
    while header and not header[-1]:
        header.pop()

    def records() -> Records:
        for number, cells in enumerate(rows, start=2):
            values = []
            for cell in cells[:len(header)]:
                if getattr(cell, "data_type", None) == "f" or (isinstance(cell.value, str)
                                                               and cell.value.startswith("=")):
                    raise ImportRejected(_("Cell %(cell)s holds a formula. Formulas are not accepted: paste the "
                                           "values only and upload again.") % {"cell": cell.coordinate},
                                         code="formula")
                values.append(cell.value)
            if any(v is not None and v != "" for v in values):
                yield number, values

    return header, records()


def read_table(upload, *, name: str = "", expected: list[str] | None = None) -> Table:
    """The table in ``upload`` (a file object or bytes); ImportRejected when it cannot be read.

    ``expected`` names the columns a JSON array of objects is read by first (its keys are the header).
    """
    content = read_bytes(upload)
    if not content.strip():
        raise ImportRejected(_("The file is empty."), code="empty")
    name = name or getattr(upload, "name", "") or ""
    fmt = detect_format(name, content)
    encoding = ""
    if fmt == "xlsx":
        header, records = xlsx_records(content)
    else:
        text, encoding = decode_text(content)
        if fmt == "json":
            header, records = json_records(text, expected or [])
        else:
            header, records = csv_records(text)
    return Table(header=header, records=records, source_format=fmt, encoding=encoding, content=content,
                 checksum=hashlib.sha256(content).hexdigest())
