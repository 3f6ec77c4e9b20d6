"""Table downloads (``krai.core.exports``): CSV streamed with a byte-order mark, XLSX in write-only mode, the same
rows in both, text that a spreadsheet would evaluate kept as text, values typed, control characters no obstacle."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from krai.core import exports

HEADER = ["Id", gettext_lazy("Name"), "Date", "Amount", "Flag"]
ROWS = [
    [1, "=HYPERLINK(\"http://evil\",\"click\")", date(2026, 5, 1), Decimal("12.50"), True],
    [2, "+7 900 000-00-00", None, -5, False],
    [3, "@SUM(A1)", date(2026, 5, 2), 0, None],
    [4, "обычный текст\x07 со звонком", date(2026, 5, 3), 1.5, True],
]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # Excel opens Cyrillic as UTF-8 only with it
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def read_xlsx(response):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return book.worksheets[0]


def test_csv_streams_every_row_with_formulas_neutralised():
    response = exports.csv_response(HEADER, iter(ROWS), filename="my list/2026")
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="my-list-2026.csv"'
    rows = read_csv(response)
    assert rows[0] == ["Id", "Name", "Date", "Amount", "Flag"]
    assert len(rows) == 1 + len(ROWS)
    assert rows[1] == ["1", "'=HYPERLINK(\"http://evil\",\"click\")", "2026-05-01", "12.50", "yes"]
    assert rows[2][1].startswith("'+") and rows[2][2] == "" and rows[2][3] == "-5"  # a number stays a number
    assert rows[3][1] == "'@SUM(A1)" and rows[3][4] == ""


def test_xlsx_holds_the_same_rows_as_text_and_typed_values():
    response = exports.xlsx_response(HEADER, iter(ROWS), filename="list", title="Реестр: объекты/2026")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert 'filename="list.xlsx"' in response["Content-Disposition"]
    sheet = read_xlsx(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + len(ROWS) and rows[0] == ("Id", "Name", "Date", "Amount", "Flag")
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2" and sheet.title == "Реестр  объекты 2026"
    formula = sheet["B2"]
    assert formula.data_type == "s" and formula.value.startswith("'=")  # text, never a formula
    assert sheet["B3"].value.startswith("'+") and sheet["B4"].value == "'@SUM(A1)"
    assert isinstance(sheet["C2"].value, datetime) and sheet["C2"].value.date() == date(2026, 5, 1)
    assert sheet["D2"].value == 12.5 and sheet["D3"].value == -5
    assert sheet["B5"].value == "обычный текст со звонком"  # a control character XML cannot hold is dropped


def test_aware_datetimes_are_local_and_naive_in_xlsx():
    moment = timezone.make_aware(datetime(2026, 5, 1, 9, 30), timezone.get_current_timezone())
    sheet = read_xlsx(exports.xlsx_response(["At"], [[moment]], filename="t"))
    assert sheet["A2"].value == datetime(2026, 5, 1, 9, 30)
    rows = read_csv(exports.csv_response(["At"], [[moment]], filename="t"))
    assert rows[1] == ["2026-05-01 09:30"]


def test_table_response_picks_the_format_and_refuses_others():
    assert exports.table_response("csv", ["A"], [[1]], filename="t")["Content-Type"].startswith("text/csv")
    assert exports.table_response("xlsx", ["A"], [[1]], filename="t")["Content-Type"].startswith("application/")
    with pytest.raises(ValueError):
        exports.table_response("pdf", ["A"], [[1]], filename="t")


def test_an_empty_table_is_its_header():
    assert read_csv(exports.csv_response(["A", "B"], [], filename="t")) == [["A", "B"]]
    assert list(read_xlsx(exports.xlsx_response(["A", "B"], [], filename="t")).iter_rows(values_only=True)) == [
        ("A", "B")]
