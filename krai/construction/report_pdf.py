"""The report of illegal constructions as PDF: by municipality and period, A4 landscape in DejaVu Sans
(``krai.core.pdf.fonts`` — the built-in PDF fonts have no Cyrillic). The heading names the period and the
municipality; a map drawn here as vectors, without any tile server — the municipalities' boundaries
(``Municipality.boundary``, GeoJSON) as polygons, each construction with a point as a dot coloured by its status,
and a legend; the counts by municipality and status; then the table (address, municipality, date found,
status, measures). Every page is numbered "n of m"."""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from krai.construction.models import IllegalConstruction, IllegalStatus, Location
from krai.construction.selectors import illegal as selectors
from krai.core.pdf import PDF, fonts
from krai.org.models import Municipality

__all__ = ["PDF", "STATUS_COLOURS", "render_report", "report_table"]

#: the dots' colours by status (RGB 0–255), also the legend's; distinct from the boundaries' greys
STATUS_COLOURS = {
    IllegalStatus.IDENTIFIED: (214, 39, 40),
    IllegalStatus.MEASURES: (255, 127, 14),
    IllegalStatus.DEMOLISHED: (31, 119, 180),
    IllegalStatus.LEGALISED: (44, 160, 44),
}
DOT_RADIUS = 3.2  # points
MIN_STEP = 0.4  # points: boundary vertices closer than this to the last one drawn are skipped


def _rings(geometry: Any) -> Iterable[list[list[float]]]:
    """The outer rings of a GeoJSON Polygon or MultiPolygon (holes are not drawn: the fill is a pale grey)."""
    if not isinstance(geometry, dict):
        return
    coordinates = geometry.get("coordinates") or []
    if geometry.get("type") == "Polygon":
        polygons = [coordinates]
    elif geometry.get("type") == "MultiPolygon":
        polygons = coordinates
    else:
        return
    for polygon in polygons:
        if polygon and isinstance(polygon[0], list) and len(polygon[0]) >= 3:
            yield polygon[0]


class _Projection:
    """Longitude and latitude onto the map's box: equirectangular, shrunk by the cosine of the middle latitude
    (true enough for a region), fitted and centred."""

    def __init__(self, bounds: tuple[float, float, float, float], width: float, height: float) -> None:
        min_lon, min_lat, max_lon, max_lat = bounds
        self.k = math.cos(math.radians((min_lat + max_lat) / 2))
        span_x = max((max_lon - min_lon) * self.k, 1e-6)
        span_y = max(max_lat - min_lat, 1e-6)
        self.scale = min(width / span_x, height / span_y)
        self.x0 = (width - span_x * self.scale) / 2 - min_lon * self.k * self.scale
        self.y0 = (height - span_y * self.scale) / 2 - min_lat * self.scale

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        return self.x0 + lon * self.k * self.scale, self.y0 + lat * self.scale


def _bounds(boundaries: list[Any], points: list[tuple[float, float, str]]) -> tuple[float, float, float, float]:
    lons = [c[0] for g in boundaries for ring in _rings(g) for c in ring]
    lats = [c[1] for g in boundaries for ring in _rings(g) for c in ring]
    lons += [p[0] for p in points]
    lats += [p[1] for p in points]
    if not lons:
        return 0.0, 0.0, 1.0, 1.0
    pad_lon, pad_lat = max((max(lons) - min(lons)) * 0.03, 0.005), max((max(lats) - min(lats)) * 0.03, 0.005)
    return min(lons) - pad_lon, min(lats) - pad_lat, max(lons) + pad_lon, max(lats) + pad_lat


def map_drawing(*, boundaries: list[Any], points: list[tuple[float, float, str]], counts: dict[str, int],
                width: float, height: float) -> Any:
    """The map as a reportlab Drawing: boundaries, dots by status, and the legend in a band under the map."""
    from reportlab.graphics.shapes import Circle, Drawing, Polygon, Rect, String
    from reportlab.lib import colors

    regular, _bold = fonts()
    legend_height = 16
    drawing = Drawing(width, height)
    map_height = height - legend_height
    drawing.add(Rect(0, legend_height, width, map_height, fillColor=colors.Color(0.93, 0.96, 0.98),
                     strokeColor=colors.Color(0.6, 0.6, 0.6), strokeWidth=0.5))
    project = _Projection(_bounds(boundaries, points), width - 8, map_height - 8)

    def at(lon: float, lat: float) -> tuple[float, float]:
        x, y = project(lon, lat)
        return x + 4, y + 4 + legend_height

    for geometry in boundaries:
        for ring in _rings(geometry):
            flat: list[float] = []
            for lon, lat, *_rest in ring:
                x, y = at(lon, lat)
                if not flat or abs(x - flat[-2]) + abs(y - flat[-1]) >= MIN_STEP:
                    flat += [x, y]
            if len(flat) >= 6:
                drawing.add(Polygon(flat, fillColor=colors.Color(0.97, 0.97, 0.95),
                                    strokeColor=colors.Color(0.45, 0.45, 0.45), strokeWidth=0.4))
    for lon, lat, status in points:
        x, y = at(lon, lat)
        r, g, b = STATUS_COLOURS.get(status, (0, 0, 0))
        drawing.add(Circle(x, y, DOT_RADIUS, fillColor=colors.Color(r / 255, g / 255, b / 255),
                           strokeColor=colors.white, strokeWidth=0.4))
    x = 2.0
    for status, label in IllegalStatus.choices:
        r, g, b = STATUS_COLOURS[status]
        drawing.add(Circle(x + DOT_RADIUS, 7, DOT_RADIUS, fillColor=colors.Color(r / 255, g / 255, b / 255),
                           strokeColor=None))
        text = f"{label} — {counts.get(status, 0)}"
        drawing.add(String(x + 2 * DOT_RADIUS + 3, 4, text, fontName=regular, fontSize=8))
        x += 2 * DOT_RADIUS + 3 + _width(text, regular, 8) + 14
    return drawing


def _width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return stringWidth(text, font, size)


def _money(amount: Any) -> str:
    text = f"{amount:,.2f}".replace(",", "\u00a0")
    return text[:-3] if text.endswith(".00") else text.replace(".", ",")


def measures_text(entry: IllegalConstruction) -> str:
    """The entry's measures in a line each: kind, date, number, amount."""
    lines = []
    for measure in entry.measures.all():
        parts = [str(measure.get_kind_display()).capitalize(), f"{measure.taken_on:%d.%m.%Y}"]
        if measure.number:
            parts.append(f"№ {measure.number}")
        if measure.amount is not None:
            parts.append(f"{_money(measure.amount)} ₽")
        lines.append(" ".join(parts))
    return "\n".join(lines)


def report_table(*, municipality: Municipality | None, date_from: date,
                 date_to: date) -> tuple[list[str], list[list[Any]]]:
    """The report's table as a header and rows (the XLSX and CSV downloads), in the active language."""
    header = ["№", _("Address"), _("Municipality"), _("Found on"), pgettext("construction", "Status"),
              _("Location"), _("Cadastral number"), _("Owner (organisations only)"), _("Measures")]
    rows = [[e.pk, e.address, e.municipality.name if e.municipality_id else "", e.found_on,
             str(e.get_status_display()), str(e.get_location_display()), e.cadastral_number,
             selectors.public_owner(e.owner), measures_text(e).replace("\n", "; ")]
            for e in selectors.report_rows(municipality=municipality, found_from=date_from, found_to=date_to)]
    return header, rows


def _numbered_canvas(font: str, label: str, width: float, margin: float) -> type:
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        """Keeps every page until the end, so each can say "n of m"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(font, 7)
                self.drawRightString(width - margin, 8 * 2.8346, label % {"n": self._pageNumber, "total": total})
                super().showPage()
            super().save()

    return NumberedCanvas


def _period(date_from: date, date_to: date) -> str:
    return _("Period: %(start)s – %(end)s") % {"start": f"{date_from:%d.%m.%Y}", "end": f"{date_to:%d.%m.%Y}"}


def render_report(*, municipality: Municipality | None, date_from: date, date_to: date,
                  compress: bool = True) -> bytes:
    """The report as PDF bytes, in the active language."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = fonts()
    page = landscape(A4)
    margin = 15 * mm
    width = page[0] - 2 * margin
    body = ParagraphStyle("body", fontName=regular, fontSize=8.5, leading=10.5)
    h1 = ParagraphStyle("h1", parent=body, fontName=bold, fontSize=15, leading=19, spaceAfter=2)
    h2 = ParagraphStyle("h2", parent=body, fontName=bold, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4)
    lead = ParagraphStyle("lead", parent=body, fontSize=10.5, leading=13)

    def p(text: Any, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape("" if text is None else str(text)).replace("\n", "<br/>"), style)

    rows = list(selectors.report_rows(municipality=municipality, found_from=date_from, found_to=date_to))
    counts = selectors.report_counts(municipality=municipality, found_from=date_from, found_to=date_to)
    by_status = {status: sum(row.by_status[status] for row in counts) for status in IllegalStatus.values}
    shown = [municipality] if municipality is not None else list(
        Municipality.objects.filter(is_active=True, boundary__isnull=False).order_by("name"))
    points = [(e.lon, e.lat, e.status) for e in rows if e.lat is not None and e.lon is not None]
    where = (_("Municipality: %(name)s") % {"name": municipality.name} if municipality is not None
             else _("All municipalities"))

    story: list = [p(_("Illegal constructions: report"), h1), p(where, lead), p(_period(date_from, date_to), lead),
                   Spacer(1, 3 * mm),
                   map_drawing(boundaries=[m.boundary for m in shown if m.boundary], points=points,
                               counts=by_status, width=width, height=105 * mm)]
    placed_elsewhere = len(rows) - len(points)
    if placed_elsewhere:
        story.append(p(ngettext("%(n)s construction has no point (its address was not found) and is not on the map.",
                                "%(n)s constructions have no point (their address was not found) and are not on the "
                                "map.", placed_elsewhere) % {"n": placed_elsewhere}))

    grid_style = TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), regular), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)])
    story.append(p(_("By municipality and status"), h2))
    head = [p(_("Municipality")), *[p(str(label).capitalize()) for label in IllegalStatus.labels], p(_("Total"))]
    table = [head] + [[p(row.municipality), *[p(row.by_status[s]) for s in IllegalStatus.values], p(row.total)]
                      for row in counts]
    table.append([p(_("Total")), *[p(by_status[s]) for s in IllegalStatus.values], p(len(rows))])
    story.append(Table(table, colWidths=[width - 5 * 30 * mm] + [30 * mm] * 5, repeatRows=1, style=grid_style))

    story.append(p(_("Illegal constructions"), h2))
    head = [p("№"), p(_("Address")), p(_("Municipality")), p(_("Found on")),
            p(pgettext("construction", "Status")), p(_("Measures"))]
    table = [head]
    for entry in rows:
        address = entry.address + ("\n" + _("(address not found)") if entry.location == Location.NOT_FOUND else "")
        table.append([p(entry.pk), p(address), p(entry.municipality.name if entry.municipality_id else "—"),
                      p(f"{entry.found_on:%d.%m.%Y}"), p(entry.get_status_display()),
                      p(measures_text(entry) or "—")])
    if not rows:
        table.append([p(""), p(_("No illegal constructions were found in this period.")), "", "", "", ""])
    widths = [14 * mm, 78 * mm, 45 * mm, 22 * mm, 32 * mm]
    story.append(Table(table, colWidths=[*widths, width - sum(widths)], repeatRows=1, style=grid_style))
    story += [Spacer(1, 4 * mm), p(_("Made on %(date)s from the public registry of illegal constructions.")
                                   % {"date": f"{timezone.localdate():%d.%m.%Y}"})]

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=page, leftMargin=margin, rightMargin=margin, topMargin=12 * mm,
                                 bottomMargin=14 * mm, title=_("Illegal constructions: report"), author="Krai",
                                 pageCompression=1 if compress else 0)
    document.build(story, canvasmaker=_numbered_canvas(regular, _("Page %(n)s of %(total)s"), page[0], margin))
    return buffer.getvalue()
