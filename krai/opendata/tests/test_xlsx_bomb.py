"""An XLSX that unpacks to far more than it weighs (a ZIP bomb) is refused before openpyxl inflates it."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from krai.opendata.models import DatasetVersion

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET = "xl/worksheets/sheet1.xml"


def padded_xlsx(padding: int) -> bytes:
    """A real, valid XLSX of the schools structure whose sheet carries ``padding`` bytes of spaces between its rows,
    written with the strongest compression: a few hundred bytes per megabyte unpacked."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "category", "pupils", "opened", "lat", "lon"])
    sheet.append(["Школа №1", "schools", 500, "2001-09-01", 45.03, 38.97])
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != SHEET:
                bomb.writestr(info.filename, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with bomb.open(SHEET, "w") as member:
                member.write(head)
                block = b" " * (1 << 20)
                for _ in range(padding >> 20):
                    member.write(block)
                member.write(b" " * (padding % (1 << 20)) + b"</sheetData>" + tail)
    return out.getvalue()


def _upload(client, dataset, content: bytes):
    return client.post(f"/api/v1/opendata/datasets/{dataset.identifier}/versions/",
                       {"file": SimpleUploadedFile("schools.xlsx", content, content_type=XLSX)})


@pytest.fixture
def opened(monkeypatch):
    """Counts the workbooks openpyxl is asked to open."""
    calls = []
    real = openpyxl.load_workbook

    def spy(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", spy)
    return calls


def test_a_zip_bomb_is_refused_before_it_inflates(client, dataset, publisher, opened):
    bomb = padded_xlsx(64 << 20)  # ~70 KB that unpacks to 64 MB: a ratio no sheet of data has
    assert len(bomb) < 200_000
    client.force_login(publisher)
    response = _upload(client, dataset, bomb)
    assert response.status_code == 400, response.content[:300]
    assert response.json()["error"]["code"] == "xlsx_inflated" and SHEET in response.json()["error"]["message"]
    assert opened == [] and not DatasetVersion.objects.exists()


def test_the_unpacked_size_is_bounded_by_the_upload_limit(client, dataset, publisher, settings, opened):
    xlsx = padded_xlsx(900_000)  # under the ratio check's threshold: only the total can refuse it
    client.force_login(publisher)
    settings.KRAI_UPLOAD_MAX_BYTES = 40_000  # 20 × 40 KB = 800 KB unpacked at most
    response = _upload(client, dataset, xlsx)
    assert response.status_code == 400 and response.json()["error"]["code"] == "xlsx_inflated"
    assert opened == [] and not DatasetVersion.objects.exists()
    settings.KRAI_UPLOAD_MAX_BYTES = 100_000  # 2 MB unpacked: the same file is a valid sheet
    assert _upload(client, dataset, xlsx).status_code == 201 and DatasetVersion.objects.get().row_count == 1
