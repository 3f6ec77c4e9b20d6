"""A generated edition's PDF page rendered to PNG (pypdfium2, pinned in the dev extras): its text is Cyrillic (the
title found in the page's text), the image is not blank, and the chart is drawn — its region holds pixels of the
chart's own colours (the dashboard's green, blue and red)."""

from __future__ import annotations

import io

import pytest

from krai.reports import tasks
from krai.reports.sections import orders
from krai.reports.tests.helpers import TITLE, latest, template_of, world

pytestmark = pytest.mark.django_db
pdfium = pytest.importorskip("pypdfium2")


def _near(pixel: tuple[int, int, int], colour: str, tolerance: int = 24) -> bool:
    target = tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, target, strict=True))


def test_the_pdf_page_shows_cyrillic_text_and_a_chart():
    w = world()
    template = template_of(w, sections=("orders",))
    tasks.reports_schedule()
    edition = latest(template)
    with edition.pdf.open("rb") as handle:
        document = pdfium.PdfDocument(handle.read())
    page = document[0]
    text = page.get_textpage().get_text_range()
    assert TITLE in text and "Социальный блок" in text
    image = page.render(scale=2).to_pil().convert("RGB")
    png = io.BytesIO()
    image.save(png, format="PNG")
    assert png.getvalue().startswith(b"\x89PNG")
    width, height = image.size
    pixels = image.load()
    background = pixels[0, 0]
    inked = sum(1 for x in range(0, width, 3) for y in range(0, height, 3) if pixels[x, y] != background)
    assert inked > 1000, "the page is blank"
    # the chart: where its colours are, and that there are enough of them to be bars
    found: dict[str, list[tuple[int, int]]] = {name: [] for name in orders.COLOURS}
    for x in range(0, width, 2):
        for y in range(0, height, 2):
            for name, colour in orders.COLOURS.items():
                if _near(pixels[x, y], colour):
                    found[name].append((x, y))
    assert len(found["overdue"]) > 200, "no overdue bars drawn"  # both assignments of the period are overdue
    points = [p for spots in found.values() for p in spots]
    left, right = min(x for x, _ in points), max(x for x, _ in points)
    top, bottom = min(y for _, y in points), max(y for _, y in points)
    assert right - left > width / 4 and bottom - top > 40, "the chart's region is too small to be a chart"
    assert bottom < height * 0.75, "the chart is drawn near the top, under the title"
    region = [pixels[x, y] for x in range(left, right, 2) for y in range(top, bottom, 2)]
    assert sum(1 for pixel in region if pixel != background) > len(region) / 10
