"""Streamed downloads of a datastore table (whole, or a filtered view) as CSV, JSON, XML or XLSX.

Rows come from ``Table.iterate`` (a server-side cursor read in chunks) and leave as they are read,
joined into blocks of a few hundred kilobytes: memory stays flat whatever the size of the table.
XLSX is written by openpyxl in write-only mode to a temporary file (a ZIP cannot be streamed before it is
finished) and then streamed from it.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from django.db import connection
from django.http import FileResponse, HttpResponse, StreamingHttpResponse

from krai.core import csvsafe
from krai.opendata.datastore import Query, Table

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json", "xml": "application/xml; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
BLOCK = 256 * 1024
BOM = b"\xef\xbb\xbf"


def _blocks(parts: Iterable[str]) -> Iterator[bytes]:
    buffer, size = [], 0
    for part in parts:
        buffer.append(part)
        size += len(part)
        if size >= BLOCK:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()


def _csv_value(value) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def csv_parts(names: list[str], rows: Iterable[list], *, batch: int = 1000) -> Iterator[str]:
    """CSV text in blocks of ``batch`` rows (``_id``, the first value of each row, is left out); text that a
    spreadsheet would take for a formula is written as text (``krai.core.csvsafe``)."""
    out = io.StringIO()
    writer = csvsafe.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    yield out.getvalue()
    pending = []
    for row in rows:
        pending.append([_csv_value(v) if v is True or v is False else v for v in row[1:]])
        if len(pending) >= batch:
            out.seek(0)
            out.truncate()
            writer.writerows(pending)
            pending = []
            yield out.getvalue()
    if pending:
        out.seek(0)
        out.truncate()
        writer.writerows(pending)
        yield out.getvalue()


def json_parts(names: list[str], rows: Iterable[list]) -> Iterator[str]:
    yield "["
    first = True
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=str).encode
    for row in rows:
        yield ("\n" if first else ",\n") + dumps(dict(zip(names, row[1:], strict=True)))
        first = False
    yield "\n]\n"


def xml_parts(names: list[str], rows: Iterable[list]) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n<data>\n'
    tags = [(f"<{n}>", f"</{n}>", f"<{n}/>") for n in names]
    for row in rows:
        cells = []
        for (start, end, empty), value in zip(tags, row[1:], strict=True):
            if value is None:
                cells.append(empty)
            else:
                cells.append(start + escape(_csv_value(value)) + end)
        yield "<row>" + "".join(cells) + "</row>\n"
    yield "</data>\n"


def _download(name: str, fmt: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{name}.{fmt}"'}


def head(*, fmt: str, filename: str) -> HttpResponse:
    """The answer to HEAD on a download: the headers GET sends (type, attachment name), no body, no row read."""
    return HttpResponse(b"", content_type=CONTENT_TYPES[fmt], headers=_download(filename, fmt))


def with_bom(blocks: Iterable[bytes], bom: bool) -> Iterator[bytes]:
    """``blocks`` behind a UTF-8 byte-order mark when asked: Excel opens a CSV as UTF-8 only with one."""
    if bom:
        yield BOM
    yield from blocks


def stream(table: Table, query: Query, *, fmt: str, filename: str, bom: bool = False):
    """A response streaming the rows of ``query`` (no page limit unless the query has one); ``bom`` starts a CSV
    with a byte-order mark."""
    names = [spec["name"] for _c, spec in table.selected(query)]
    if fmt == "xlsx":
        return xlsx_response(names, table.iterate(query), filename)
    rows = table.iterate(query)
    if connection.vendor == "postgresql":
        # the database writes the text at its own speed through COPY; the Python writers are the SQLite path
        blocks = table.copy_csv(query) if fmt == "csv" else table.copy_documents(query, fmt)
    else:
        blocks = _blocks({"csv": csv_parts, "json": json_parts, "xml": xml_parts}[fmt](names, rows))
    return StreamingHttpResponse(with_bom(blocks, bom and fmt == "csv"), content_type=CONTENT_TYPES[fmt],
                                 headers=_download(filename, fmt))


def xlsx_response(names: list[str], rows: Iterable[list], filename: str) -> FileResponse:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(names)

    def text(value: str):  # a text starting with "=" stays text, never a formula
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell

    for row in rows:
        sheet.append([text(v) if isinstance(v, str) and v.startswith("=") else v for v in row[1:]])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    book.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"{filename}.xlsx", content_type=CONTENT_TYPES["xlsx"])
