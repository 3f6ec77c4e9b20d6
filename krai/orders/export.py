"""Export of the orders tables (a list, a dashboard level) to XLSX, written in openpyxl's streaming mode, and of
the dashboard to PDF (reportlab, with DejaVu Sans embedded so that Cyrillic is rendered)."""

from __future__ import annotations

import io
from datetime import date
from xml.sax.saxutils import escape

from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from krai.core.pdf import FONT, FONT_BOLD, FONT_DIRS, PDF, FontMissing, find_font  # noqa: F401 — used here and by callers
from krai.core.pdf import fonts as _fonts

MAX_ROWS = 100_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _response(workbook, name: str) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.xlsx"'
    return response


def _book(title: str, header: list[str]):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    cells = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        cells.append(cell)
    sheet.append(cells)
    return workbook, sheet


def _safe(value):
    """Text that a spreadsheet would take for a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def assignments_xlsx(qs, *, today: date | None = None) -> HttpResponse:
    """The rows of a list; ``today`` is the day "overdue" is measured on (an as-of list's day)."""
    today = today or timezone.localdate()
    workbook, sheet = _book(_("Assignments"), [
        _("Id"), _("Title"), _("Kind"), _("Executor"), _("Executor (person)"), _("Issued on"), _("Deadline"),
        _("Original deadline"), _("Status"), _("Executed on"), _("Overdue"), _("Executed late")])
    for a in qs:
        sheet.append([a.pk, _safe(a.title), a.kind, _safe(str(a.executor_organisation)),
                      _safe(str(a.executor_user or "")), a.issued_on, a.deadline, a.original_deadline,
                      str(a.get_status_display()), a.completed_on, _("yes") if a.is_overdue(today) else "",
                      _("yes") if a.is_late else ""])
    return _response(workbook, "assignments")


def dashboard_xlsx(load) -> HttpResponse:
    workbook, sheet = _book(_("Dashboard"), [
        load.title, _("Total"), _("Executed"), _("On control"), _("Overdue"), _("Executed late"),
        _("Executed, %"), _("Overdue, %")])
    for row in [*load.rows, load.totals]:
        sheet.append([_safe(str(row.label)), row.total, row.done, row.open, row.overdue, row.late,
                      row.share("done"), row.share("overdue")])
    return _response(workbook, "dashboard")


# --- PDF of the dashboard ----------------------------------------------------------------------------

def dashboard_pdf(load, *, level_label: str, filters: list[tuple[str, str]], worst, compress: bool = True
                  ) -> HttpResponse:
    """The dashboard as an A4 landscape PDF: the title and the drill-down path, the filters applied, the date,
    the current level's table (the rows of the page) and the worst overdue."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=11)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    h1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=15, leading=19, spaceAfter=4)
    h2 = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=11, leading=14, spaceBefore=10, spaceAfter=4)

    def p(text, style=body) -> Paragraph:
        return Paragraph(escape(str(text)), style)

    today = timezone.localdate()
    story: list = [p(_("Control dashboard"), h1),
                   p(" → ".join(str(label) for label, _params in load.crumbs), body)]
    story.append(p(_("Made on %(date)s") % {"date": f"{today:%d.%m.%Y}"}
                   + ("; " + _("as of %(date)s, from the history of every assignment") % {
                       "date": f"{load.as_of:%d.%m.%Y}"} if load.as_of else ""), small))
    story.append(p(_("Filters") + ": " + ("; ".join(f"{label}: {value}" for label, value in filters)
                                          if filters else _("none")), small))
    story.append(Spacer(1, 4 * mm))

    header = [level_label, _("Total"), _("Executed"), _("Executed, %"), _("On control"), _("Overdue"),
              _("Overdue, %"), _("Late")]
    data = [[p(text, small) for text in header]]
    for row in [*load.rows, load.totals]:
        data.append([p(row.label, small), row.total, row.done, number_format(row.share("done"), 1), row.open,
                     row.overdue, number_format(row.share("overdue"), 1), row.late])
    if not load.rows:
        data.insert(1, [p(_("Nothing on control here."), small), "", "", "", "", "", "", ""])
    width = landscape(A4)[0] - 30 * mm
    table = Table(data, colWidths=[width - 7 * 24 * mm] + [24 * mm] * 7, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), regular), ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("FONTNAME", (0, -1), (-1, -1), bold), ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey), ("TEXTCOLOR", (5, 1), (5, -1), colors.HexColor("#b02a37")),
    ]))
    story.append(table)

    story.append(p(_("The worst overdue"), h2))
    if worst:
        rows = [[p(text, small) for text in (_("Assignment"), _("Executor"), _("Deadline"), _("Days overdue"))]]
        for a in worst:
            executor = str(a.executor_organisation) + (f", {a.executor_user.short_name}" if a.executor_user else "")
            rows.append([p(a.title, small), p(executor, small), f"{a.deadline:%d.%m.%Y}", a.days_overdue])
        worst_table = Table(rows, colWidths=[width - 150 * mm, 100 * mm, 25 * mm, 25 * mm], repeatRows=1)
        worst_table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), regular), ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (3, 1), (3, -1), "RIGHT"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey)]))
        story.append(worst_table)
    else:
        story.append(p(_("Nothing overdue.")))

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
                                 topMargin=12 * mm, bottomMargin=12 * mm, title=str(_("Control dashboard")),
                                 author="Krai", pageCompression=1 if compress else 0)

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(regular, 7)
        canvas.drawRightString(landscape(A4)[0] - 15 * mm, 7 * mm, _("Page %(n)s") % {"n": doc.page})
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    response = HttpResponse(buffer.getvalue(), content_type=PDF)
    response["Content-Disposition"] = f'attachment; filename="dashboard-{today:%Y-%m-%d}.pdf"'
    return response
