"""Charts drawn on the server into PDF (reportlab's graphics: vector shapes, no browser and no image library): a bar
chart of one or more series — stacked or side by side — with its legend under it, the labels in DejaVu Sans so that
Cyrillic names print. The one home of server-side charts (periodic reports now; the governor's printable view next);
pages draw theirs in the browser."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from krai.core.pdf import fonts


@dataclass
class Series:
    """One coloured set of values, a value per label of its chart."""

    name: str
    values: list[float]
    colour: str  # "#rrggbb"


@dataclass
class Chart:
    """What a chart shows: its title, the categories under its bars and the series over them."""

    title: str
    labels: list[str]
    series: list[Series]
    stacked: bool = True


LABEL_CHARS = 18  # a category's label is cut to this many characters under its bar


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


def bar_chart(chart: Chart, *, width: float, height: float) -> Drawing:
    """``chart`` as a drawing of ``width`` × ``height`` points: the title, the bars, the legend."""
    regular, bold = fonts()
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, chart.title, fontName=bold, fontSize=10))
    if not chart.labels or not chart.series:
        return drawing
    rotated = len(chart.labels) > 4  # long names under many bars are turned, and need the room below
    bars = VerticalBarChart()
    bars.x, bars.y = 36, 80 if rotated else 44
    bars.width, bars.height = width - 46, height - bars.y - 24
    bars.data = [[float(v or 0) for v in series.values] for series in chart.series]
    for index, series in enumerate(chart.series):
        bars.bars[index].fillColor = colors.HexColor(series.colour)
        bars.bars[index].strokeColor = None
    if chart.stacked:
        bars.categoryAxis.style = "stacked"
    top = max((sum(column) for column in zip(*bars.data, strict=True)) if chart.stacked
              else (max(values) for values in bars.data))
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueMax = max(top * 1.1, 1)
    bars.valueAxis.labels.fontName = regular
    bars.valueAxis.labels.fontSize = 7
    bars.valueAxis.labelTextFormat = lambda value: f"{value:g}"
    bars.categoryAxis.categoryNames = [_short(str(label)) for label in chart.labels]
    bars.categoryAxis.labels.fontName = regular
    bars.categoryAxis.labels.fontSize = 7
    bars.categoryAxis.labels.angle = 30 if rotated else 0
    bars.categoryAxis.labels.boxAnchor = "ne" if rotated else "n"
    drawing.add(bars)
    legend = Legend()
    legend.x, legend.y = 36, 8
    legend.fontName, legend.fontSize = regular, 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 110
    legend.colorNamePairs = [(colors.HexColor(series.colour), series.name) for series in chart.series]
    drawing.add(legend)
    return drawing
