"""The report of illegal constructions as PDF: its first page rendered to an image and read back by OCR shows the
Cyrillic of the heading and the table (really drawn, not empty boxes), and the map is drawn — the municipality's
boundary and the dots in their statuses' colours inside the map's frame, with no tile server; the text layer
holds every row with its measures; the table also downloads as XLSX.

OCR needs ``pdftoppm`` (Debian poppler-utils) and ``tesseract`` with Russian (tesseract-ocr, tesseract-ocr-rus),
installed by ``make test-browser-deps``; without them the page-image tests are skipped."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from krai.construction.models import Measure
from krai.construction.report_pdf import STATUS_COLOURS
from krai.construction.tests.factories import LAT, LON, illegal_construction, municipality

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
MAP_BACKGROUND = (237, 245, 250)  # the map frame's fill (0.93, 0.96, 0.98)
tools = pytest.mark.skipif(not (shutil.which("pdftoppm") and shutil.which("tesseract")),
                           reason="pdftoppm and tesseract -l rus are needed: make test-browser-deps")


@pytest.fixture
def report(client):
    town = municipality(name="Краснодар", code="krasnodar")
    start = TODAY - timedelta(days=50)
    first = illegal_construction(municipality=town, address="Краснодар, ул. Садовая, 3", lat=LAT, lon=LON,
                                 found_on=start)
    illegal_construction(municipality=town, address="Краснодар, ул. Набережная, 15", lat=LAT + 0.1,
                         lon=LON - 0.1, found_on=start + timedelta(days=1), status="demolished")
    illegal_construction(municipality=town, address="Краснодар, ул. Северная, 40", lat=LAT - 0.1, lon=LON + 0.1,
                         found_on=start + timedelta(days=2), status="measures")
    illegal_construction(municipality=town, address="Краснодар, Прикубанский округ, без адреса", lat=None,
                         lon=None, location="not_found", found_on=start + timedelta(days=3))
    illegal_construction(address="Краснодар, ул. Давняя, 1", found_on=start - timedelta(days=400))  # not in period
    Measure.objects.create(construction=first, kind="fine", taken_on=start + timedelta(days=5), number="77-ш",
                           amount=150000)
    response = client.get(reverse("construction:illegal_report"), {
        "make": "pdf", "municipality": town.pk, "date_from": (start - timedelta(days=1)).isoformat(),
        "date_to": TODAY.isoformat()})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return response.content


def _page_png(data: bytes, tmp_path: Path, dpi: int) -> Path:
    source = tmp_path / "report.pdf"
    source.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(tmp_path / "page")], check=True, timeout=60)
    return tmp_path / "page.png"


def _near(pixel: tuple[int, ...], colour: tuple[int, int, int], tolerance: int = 6) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))


@tools
def test_the_first_page_reads_back_in_russian(report, tmp_path):
    png = _page_png(report, tmp_path, 200)
    result = subprocess.run(["tesseract", str(png), "stdout", "-l", "rus"], check=True, capture_output=True,
                            text=True, timeout=120)
    seen = " ".join(result.stdout.lower().split())
    # the heading names the municipality; the table's first row (the rest follow on the next page)
    assert "краснодар" in seen and "садовая" in seen, seen
    assert "ул." in seen and "77-ш" in seen, seen


@tools
def test_the_map_is_drawn_with_dots_in_their_statuses_colours(report, tmp_path):
    from PIL import Image

    image = Image.open(_page_png(report, tmp_path, 150)).convert("RGB")
    width, height = image.size
    pixels = image.load()
    frame = [(x, y) for y in range(0, height, 2) for x in range(0, width, 2) if pixels[x, y] == MAP_BACKGROUND]
    assert len(frame) > 1000, "the map's frame is not drawn"
    left, right = min(x for x, _ in frame), max(x for x, _ in frame)
    top, bottom = min(y for _, y in frame), max(y for _, y in frame)
    assert right - left > width / 2 and top < height / 2  # a wide map near the top of the first page

    def inside(colour: tuple[int, int, int]) -> int:
        return sum(1 for y in range(top, bottom) for x in range(left, right) if _near(pixels[x, y], colour))

    for status in ("identified", "demolished", "measures"):
        assert inside(STATUS_COLOURS[status]) > 20, status
    assert inside(STATUS_COLOURS["legalised"]) == 0  # no legalised construction: no green dot on the map
    assert inside((115, 115, 115)) > 50  # the boundary's outline


def test_the_text_layer_holds_every_row_and_its_measures(report):
    from pypdf import PdfReader

    text = " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(report)).pages).split())
    for address in ("ул. Садовая, 3", "ул. Набережная, 15", "ул. Северная, 40", "без адреса"):
        assert address in text
    assert "Давняя" not in text  # found before the period
    assert "77-ш" in text and "150 000 ₽" in text.replace("\u00a0", " ")
    assert "Page 1 of" in text and "(address not found)" in text


def test_the_table_downloads_as_xlsx(client):
    from openpyxl import load_workbook

    town = municipality(name="Краснодар")
    entry = illegal_construction(municipality=town, owner="Петров П. П.", address="=HYPERLINK(\"http://x\")")
    Measure.objects.create(construction=entry, kind="demolition_order", taken_on=TODAY, number="1-п")
    response = client.get(reverse("construction:illegal_report"), {"make": "xlsx", "date_from": "2000-01-01"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][1] == "Address" and len(rows) == 2
    assert rows[1][1].startswith("'=HYPERLINK")  # a formula is kept as text
    assert "Петров" not in " ".join(str(v) for v in rows[1]) and "1-п" in rows[1][8]
