"""The roadmap printed: the same bars as the Gantt page, drawn with reportlab on landscape A4 or A3 pages.

Each page repeats the title and the time scale (years above, months — or quarters when months would be too
narrow — below) and takes as many rows as fit; a long plan runs over several pages. Bars: a task is a bar
with its progress filled, an item with parts a thin dark bar with end ticks, a control point a diamond;
critical items are red; today is a red dashed line; a baseline, when chosen, is a thin grey bar under each
row. The Cyrillic font is the one the orders' PDF registers (DejaVu Sans, embedded).
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from krai.core.pdf import fonts as _fonts
from krai.projects.gantt import Roadmap, Row

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

PDF = "application/pdf"
MM = 72 / 25.4
RED, BLUE, GREEN, GREY, DARK = "#c0392b", "#4a7bb7", "#2e8b57", "#9aa0a6", "#343a40"
QUARTERS = ("I", "II", "III", "IV")


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _fit(text: str, font: str, size: float, width: float) -> str:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


class Sheet:
    """One page's geometry: where the label column, the time axis and the rows are."""

    def __init__(self, size: str, start: date, finish: date) -> None:
        from reportlab.lib.pagesizes import A3, A4, landscape

        self.width, self.height = landscape(A3 if size == "A3" else A4)
        self.margin = 10 * MM
        self.label_width = (120 if size == "A3" else 80) * MM
        self.left = self.margin + self.label_width
        self.right = self.width - self.margin
        self.row_height = 5 * MM
        self.top = self.height - self.margin - 14 * MM  # below the title
        self.scale_height = 10 * MM
        self.bottom = self.margin + 8 * MM  # above the footer
        self.start, self.finish = _month_start(start), _next_month(finish)
        self.days = max(1, (self.finish - self.start).days)

    @property
    def rows_per_page(self) -> int:
        return max(1, int((self.top - self.scale_height - self.bottom) // self.row_height))

    def x(self, day: date) -> float:
        return self.left + (day - self.start).days * (self.right - self.left) / self.days

    def months_fit(self) -> bool:
        return (self.right - self.left) * 30 / self.days >= 9 * MM


def _scale(c: Canvas, sheet: Sheet, regular: str, lowest: float) -> None:
    """The time scale above the rows and its lines down to ``lowest`` (the last row drawn)."""
    top, mid, bottom = sheet.top, sheet.top - sheet.scale_height / 2, sheet.top - sheet.scale_height
    c.setStrokeColor(GREY)
    c.setLineWidth(0.4)
    c.line(sheet.margin, bottom, sheet.right, bottom)
    c.line(sheet.left, top, sheet.right, top)
    c.line(sheet.left, mid, sheet.right, mid)
    c.setFont(regular, 7)
    c.setFillColor(DARK)
    c.drawString(sheet.margin + 1 * MM, bottom + 1.5 * MM, _("Item"))
    year = sheet.start.year
    while date(year, 1, 1) < sheet.finish:
        a, b = max(sheet.start, date(year, 1, 1)), min(sheet.finish, date(year + 1, 1, 1))
        c.line(sheet.x(a), mid, sheet.x(a), top)
        c.drawCentredString((sheet.x(a) + sheet.x(b)) / 2, mid + 1.5 * MM, str(year))
        year += 1
    months = sheet.months_fit()
    day = sheet.start
    labels = _("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec").split()
    while day < sheet.finish:
        step = _next_month(day)
        if months or day.month % 3 == 1 or day == sheet.start:
            end = step if months else min(sheet.finish, date(day.year + (day.month + 2) // 12,
                                                              (day.month + 2) % 12 + 1, 1))
            c.setStrokeColor(GREY)
            c.line(sheet.x(day), lowest, sheet.x(day), mid)
            text = labels[day.month - 1] if months else QUARTERS[(day.month - 1) // 3]
            if sheet.x(end) - sheet.x(day) > 4 * MM:
                c.drawCentredString((sheet.x(day) + sheet.x(end)) / 2, bottom + 1.5 * MM, text)
        day = step


def _bar(c: Canvas, sheet: Sheet, row: Row, y: float) -> None:
    h = sheet.row_height
    colour = RED if row.critical else (GREEN if row.done else BLUE)
    if row.baseline is not None:
        c.setFillColor(GREY)
        c.rect(sheet.x(row.baseline[0]), y + 0.5 * MM, max(0.6, sheet.x(row.baseline[1] + timedelta(days=1))
                                                             - sheet.x(row.baseline[0])), 0.8 * MM, stroke=0, fill=1)
    if row.milestone:
        cx, cy, r = sheet.x(row.finish + timedelta(days=1)), y + h / 2, 1.6 * MM
        path = c.beginPath()
        path.moveTo(cx, cy + r)
        path.lineTo(cx + r, cy)
        path.lineTo(cx, cy - r)
        path.lineTo(cx - r, cy)
        path.close()
        c.setFillColor(RED if row.critical else (GREEN if row.done else DARK))
        c.drawPath(path, stroke=0, fill=1)
        return
    x0, x1 = sheet.x(row.start), sheet.x(row.finish + timedelta(days=1))
    width = max(0.6, x1 - x0)
    if row.parent:
        c.setFillColor(RED if row.critical else DARK)
        c.rect(x0, y + h * 0.55, width, h * 0.18, stroke=0, fill=1)
        c.rect(x0, y + h * 0.3, 0.5, h * 0.43, stroke=0, fill=1)
        c.rect(x0 + width - 0.5, y + h * 0.3, 0.5, h * 0.43, stroke=0, fill=1)
        return
    c.setFillColor(colour)
    c.setFillAlpha(0.35)
    c.rect(x0, y + h * 0.2, width, h * 0.6, stroke=0, fill=1)
    c.setFillAlpha(1)
    if row.progress:
        c.rect(x0, y + h * 0.2, width * min(row.progress, 100) / 100, h * 0.6, stroke=0, fill=1)


def _header(c: Canvas, sheet: Sheet, chart: Roadmap, regular: str, bold: str) -> None:
    project = chart.project
    c.setFillColor(DARK)
    c.setFont(bold, 12)
    c.drawString(sheet.margin, sheet.height - sheet.margin - 5 * MM,
                 _fit(f"{project.title} ({project.code})", bold, 12, sheet.width - 2 * sheet.margin))
    c.setFont(regular, 8)
    line = _("Roadmap as of %(date)s") % {"date": f"{chart.today:%d.%m.%Y}"}
    line += " · " + _("Health: %(health)s") % {"health": chart.result.health_label}
    if chart.baseline is not None:
        line += " · " + _("Baseline: %(name)s") % {"name": chart.baseline.name}
    c.drawString(sheet.margin, sheet.height - sheet.margin - 10 * MM, line)


def _footer(c: Canvas, sheet: Sheet, regular: str, page: int, pages: int) -> None:
    c.setFont(regular, 7)
    c.setFillColor(DARK)
    legend = _("Red: critical path; diamond: control point; dark bar: an item with parts; grey: baseline; "
               "dashed line: today.")
    c.drawString(sheet.margin, sheet.margin, _fit(legend, regular, 7, sheet.width - 2 * sheet.margin - 30 * MM))
    c.drawRightString(sheet.right, sheet.margin, _("Page %(n)s of %(m)s") % {"n": page, "m": pages})


def render(chart: Roadmap, *, size: str = "A4", compress: bool = True) -> bytes:
    """The roadmap as PDF bytes."""
    from reportlab.pdfgen.canvas import Canvas

    regular, bold = _fonts()
    today = chart.today
    start = min(chart.start or today, today)
    finish = max(chart.finish or today, today)
    if chart.baseline is not None:
        saved = [r.baseline for r in chart.rows if r.baseline]
        start = min([start, *(s for s, _f in saved)])
        finish = max([finish, *(f for _s, f in saved)])
    sheet = Sheet(size, start, finish)
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(sheet.width, sheet.height), pageCompression=1 if compress else 0)
    c.setTitle(f"{chart.project.title} — {_('roadmap')}")
    c.setAuthor("Krai")
    per_page = sheet.rows_per_page
    pages = max(1, -(-len(chart.rows) // per_page))
    for page in range(pages):
        _header(c, sheet, chart, regular, bold)
        y = sheet.top - sheet.scale_height
        for index, row in enumerate(chart.rows[page * per_page:(page + 1) * per_page]):
            y -= sheet.row_height
            if index % 2:
                c.setFillColor("#f3f4f6")
                c.rect(sheet.margin, y, sheet.right - sheet.margin, sheet.row_height, stroke=0, fill=1)
            font = bold if row.parent or row.critical else regular
            c.setFont(font, 7)
            c.setFillColor(RED if row.critical else DARK)
            indent = min(row.depth, 8) * 2.5 * MM
            c.drawString(sheet.margin + 1 * MM + indent, y + 1.6 * MM,
                         _fit(row.name, font, 7, sheet.label_width - indent - 3 * MM))
            _bar(c, sheet, row, y)
        bottom = y
        _scale(c, sheet, regular, bottom)
        if sheet.start <= today < sheet.finish:
            c.setStrokeColor(RED)
            c.setLineWidth(0.8)
            c.setDash(3, 2)
            c.line(sheet.x(today), bottom, sheet.x(today), sheet.top - sheet.scale_height / 2)
            c.setDash()
        if not chart.rows:
            c.setFont(regular, 9)
            c.setFillColor(DARK)
            c.drawString(sheet.margin, sheet.top - sheet.scale_height - 8 * MM, _("The plan has no items yet."))
        _footer(c, sheet, regular, page + 1, pages)
        c.showPage()
    c.save()
    return buffer.getvalue()
