"""An edition's files: the PDF (reportlab, A4, DejaVu Sans so that Cyrillic prints, each section's charts drawn on
the server and its tables) and the XLSX (openpyxl: a sheet per table, numbers kept as numbers, text never a formula
— ``krai.core.csvsafe``)."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from krai.core import csvsafe
from krai.core.charts import bar_chart
from krai.core.pdf import fonts
from krai.reports.sections import Part, Table

_ILLEGAL_XML = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_SHEET_UNSAFE = re.compile(r"[\\/?*\[\]:]")


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float | Decimal):
        return number_format(value, 1)
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    return str(value)


def pdf(*, title: str, period: str, made: datetime, parts: list[Part]) -> bytes:
    """The report as an A4 PDF."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    regular, bold = fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    h1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=16, leading=20, spaceAfter=4)
    h2 = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4)
    h3 = ParagraphStyle("h3", parent=body, fontName=bold, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3)
    width = A4[0] - 30 * mm

    def p(text: Any, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(_shown(text)), style)

    def table(t: Table) -> PdfTable:
        data = [[p(text, small) for text in t.header]]
        data += [[p(value, small) for value in row] for row in t.rows]
        if t.total is not None:
            data.append([p(value, small) for value in t.total])
        if len(data) == 1:
            data.append([p(_("Nothing here."), small)] + [""] * (len(t.header) - 1))
        rest = len(t.header) - 1
        first = max(width - rest * 22 * mm, 50 * mm)
        others = (width - first) / rest if rest else 0
        made_table = PdfTable(data, colWidths=[first] + [others] * rest, repeatRows=1)
        style = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                 ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey)]
        if t.total is not None:
            style.append(("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#f8f9fa")))
        made_table.setStyle(TableStyle(style))
        return made_table

    story: list = [p(title, h1), p(_("Period: %(period)s") % {"period": period}),
                   p(_("Made on %(date)s") % {"date": f"{timezone.localtime(made):%d.%m.%Y %H:%M}"}, small)]
    for part in parts:
        story.append(p(part.title, h2))
        if part.note:
            story.append(p(part.note, small))
        for chart in part.charts:
            story += [Spacer(1, 2 * mm), bar_chart(chart, width=width, height=70 * mm)]
        for t in part.tables:
            story.append(KeepTogether([p(t.title, h3), table(t)]) if len(t.rows) < 15 else p(t.title, h3))
            if len(t.rows) >= 15:
                story.append(table(t))
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=12 * mm,
                                 bottomMargin=12 * mm, title=title, author="Krai")

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7)
        canvas.drawString(15 * mm, 7 * mm, f"{title} — {period}")
        canvas.drawRightString(A4[0] - 15 * mm, 7 * mm, _("Page %(n)s") % {"n": doc.page})
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    """A value as the workbook holds it: numbers as numbers, text as text (never a formula)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return csvsafe.safe_cell(_ILLEGAL_XML.sub("", value))
    if value is None or isinstance(value, int | float | date):
        return value
    return csvsafe.safe_cell(_ILLEGAL_XML.sub("", str(value)))


def _sheet_title(text: str, taken: set[str]) -> str:
    base = _SHEET_UNSAFE.sub(" ", _ILLEGAL_XML.sub("", text)).strip()[:28] or "Data"
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        name = f"{base[:26]} {n}"
    taken.add(name.casefold())
    return name


def xlsx(*, title: str, period: str, made: datetime, parts: list[Part]) -> bytes:
    """The report as a workbook: a first sheet naming it, then one sheet per table (its header bold and frozen)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    bold = Font(bold=True)
    cover = book.active
    taken: set[str] = set()
    cover.title = _sheet_title(_("Report"), taken)
    for row in ([_("Report"), title], [_("Period"), period],
                [_("Made on"), timezone.make_naive(timezone.localtime(made))]):
        cover.append([_cell(row[0]), _cell(row[1]) if isinstance(row[1], str) else row[1]])
    cover["A1"].font = bold
    cover.append([])
    cover.append([_cell(_("Sheet")), _cell(_("Section"))])
    sheets = []
    for part in parts:
        for t in part.tables:
            sheet = book.create_sheet(_sheet_title(t.title or part.title, taken))
            sheets.append((sheet.title, part.title))
            sheet.append([_cell(text) for text in t.header])
            for cell in sheet[1]:
                cell.font = bold
            sheet.freeze_panes = "A2"
            for row in t.rows:
                sheet.append([_cell(value) for value in row])
            if t.total is not None:
                sheet.append([_cell(value) for value in t.total])
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
            for cell in (c for r in sheet.iter_rows(min_row=2) for c in r):
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text is never a formula, whatever it starts with
                elif isinstance(cell.value, date):
                    cell.number_format = "DD.MM.YYYY"
    for name, section in sheets:
        cover.append([_cell(name), _cell(section)])
    for cell in cover["B"]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
