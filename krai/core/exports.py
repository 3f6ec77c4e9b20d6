"""Downloads of a table — a header and rows — as CSV or XLSX: the one general home every list page's "export"
link answers through.

* CSV is streamed row by row (memory stays flat whatever the length of the list), UTF-8 with a byte-order mark
  so that Excel opens Cyrillic correctly, ``;``-free standard commas and CRLF line ends.
* XLSX is written by openpyxl in write-only mode to a temporary file (a ZIP cannot be streamed before it is
  finished) and then streamed from it; the header row is bold and frozen, dates are date cells.

Every text cell goes through ``krai.core.csvsafe.safe_cell`` in both formats: a text a spreadsheet would evaluate
(``=``, ``+``, ``-``, ``@``…) gets a leading apostrophe and stays text (CSV injection, OWASP). Numbers stay
numbers. Characters XML cannot hold (control characters) are dropped from XLSX text, where openpyxl would refuse
the whole workbook for them.

(``krai.opendata.export`` streams datastore tables in four formats with PostgreSQL's ``COPY``; ``krai.orders.export``
writes the orders' own sheets and PDF. A new list's export belongs here.)
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise

from krai.core import csvsafe

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
BOM = "\ufeff"
#: what XML 1.0 cannot hold (openpyxl's own pattern): dropped from XLSX text rather than failing the download
_ILLEGAL_XML = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_SHEET_UNSAFE = re.compile(r"[\\/?*\[\]:]")  # what a sheet's title may not hold


class _Echo:
    """A file whose ``write`` hands back what it is given: ``csv.writer`` then yields each row's text."""

    def write(self, value: str) -> str:
        return value


def _plain(value: Any) -> Any:
    """A value as both formats hold it: lazy translations as text, booleans as words, the rest as is."""
    if isinstance(value, Promise):
        return str(value)
    if value is True or value is False:
        return "yes" if value else "no"
    return value


def _csv_cell(value: Any) -> Any:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return csvsafe.safe_cell(value) if isinstance(value, str) else value


def csv_rows(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, bom: bool = True) -> Iterator[str]:
    """The CSV text, a line at a time (the first one behind a byte-order mark when ``bom``)."""
    writer = csvsafe.writer(_Echo(), lineterminator="\r\n")
    yield (BOM if bom else "") + writer.writerow([_csv_cell(value) for value in header])
    for row in rows:
        yield writer.writerow([_csv_cell(value) for value in row])


def safe_filename(name: str, extension: str) -> str:
    """``name`` as an attachment's file name: Latin letters, digits, dots and dashes, then the extension."""
    stem = _FILENAME_UNSAFE.sub("-", str(name)).strip("-.") or "export"
    return f"{stem[:100]}.{extension}"


def csv_response(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, filename: str,
                 bom: bool = True) -> StreamingHttpResponse:
    """The table streamed as a CSV download named ``filename`` (without its extension)."""
    response = StreamingHttpResponse(csv_rows(header, rows, bom=bom), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename, "csv")}"'
    return response


def _xlsx_value(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, str):
        return csvsafe.safe_cell(_ILLEGAL_XML.sub("", value))
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.make_naive(timezone.localtime(value))  # a spreadsheet holds no time zones
    if isinstance(value, Decimal):
        return float(value)
    return value


def xlsx_response(header: Sequence[Any], rows: Iterable[Sequence[Any]], *, filename: str,
                  title: str = "") -> FileResponse:
    """The table as an XLSX download named ``filename`` (without its extension); ``title`` names the sheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_SHEET_UNSAFE.sub(" ", _ILLEGAL_XML.sub("", str(title or ""))).strip()[:31] or "Data")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: Any, *, font: Font | None = None) -> Any:
        made = WriteOnlyCell(sheet, value=_xlsx_value(value))
        if isinstance(made.value, str):
            made.data_type = "s"  # text is never a formula, whatever it starts with
        elif isinstance(made.value, datetime):
            made.number_format = "DD.MM.YYYY HH:MM"
        elif isinstance(made.value, date):
            made.number_format = "DD.MM.YYYY"
        if font is not None:
            made.font = font
        return made

    sheet.append([cell(value, font=bold) for value in header])
    for row in rows:
        sheet.append([cell(value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    book.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=safe_filename(filename, "xlsx"),
                        content_type=CONTENT_TYPES["xlsx"])


def table_response(fmt: str, header: Sequence[Any], rows: Iterable[Sequence[Any]], *, filename: str,
                   title: str = "") -> HttpResponseBase:
    """The table in ``fmt`` ("csv" or "xlsx"; anything else is a ``ValueError`` the caller answers with 400)."""
    if fmt == "csv":
        return csv_response(header, rows, filename=filename)
    if fmt == "xlsx":
        return xlsx_response(header, rows, filename=filename, title=title)
    raise ValueError(f"unknown export format: {fmt!r}")
