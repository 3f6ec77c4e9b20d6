"""The generic CSV/XLSX exchange through the import kernel (``docflow.orders``, whose rows the service
``tables.table_import`` issues, with its event): a good table becomes issued orders
with their executors, co-executors, deadlines and urgency, kept as a ``table`` package; any wrong row stores
nothing; only those who may load packages, for a system with a channel; the page's export neutralises formulas."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from krai.core.imports import services as imports
from krai.core.imports.schema import ImportRejected
from krai.integration.docflow.models import DocflowAnswer, DocflowPackage
from krai.integration.docflow.tests.conftest import counts
from krai.integration.docflow.tests.test_answers import _handle_events
from krai.orders.models import Order

pytestmark = pytest.mark.django_db
KIND = "docflow.orders"
HEADER = "Номер пункта;Заголовок;Текст поручения;Срок исполнения;Ответственный исполнитель;Соисполнители;Срочность"


def _csv(*rows: str) -> SimpleUploadedFile:
    """A comma-separated file (the co-executors' own ";" inside a cell): each row given ";"-separated here."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for line in [HEADER, *rows]:
        writer.writerow(line.split("|") if "|" in line else line.split(";"))
    return SimpleUploadedFile("orders.csv", buffer.getvalue().encode("utf-8"), "text/csv")


def _xlsx(rows: list[list]) -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("orders.xlsx", buffer.getvalue())


def test_a_table_becomes_issued_orders(gov):
    record = imports.run(actor=gov.controller, kind=KIND, options={"system": gov.system.code}, upload=_csv(
        "7|Школы|Провести ремонт кровли школ|15.04.2031|2311542747|dfl-health; dfl-labour|срочно",
        ";;Подготовить котельные к отопительному сезону;;Министерство здравоохранения Краснодарского края;;"))

    assert record.status == "stored" and record.summary["created"] == 2
    first, second = Order.objects.order_by("id")
    assert (first.title, first.lead_organisation, first.priority) == ("Школы", gov.education, "urgent")
    assert {c.organisation for c in first.co_executors.all()} == {gov.health, gov.labour}
    assert first.assignment.deadline.isoformat() == "2031-04-15"
    assert second.lead_organisation == gov.health and second.title == "Подготовить котельные к отопительному сезону"
    assert second.priority == "ordinary" and second.issuer == gov.vice and not second.is_draft
    package = DocflowPackage.objects.get()
    assert package.channel == "table" and [i.number for i in package.items.all()] == ["7", "2"]
    _handle_events()
    assert not DocflowAnswer.objects.exists()  # a spreadsheet system takes no XML answers


def test_an_xlsx_with_a_wrong_row_stores_nothing(gov):
    before = counts()
    with pytest.raises(ImportRejected) as caught:
        imports.run(actor=gov.controller, kind=KIND, options={"system": gov.system.code}, upload=_xlsx([
            ["1", "", "Первый пункт", "15.04.2031", "dfl-health", "", ""],
            ["2", "", "Второй пункт", "15.04.2031", "Министерство чудес", "нет-такого", "сверхсрочно"]]))
    reasons = {(e.row, e.column): e.reason for e in caught.value.errors}
    assert reasons[(3, "Ответственный исполнитель")].startswith("No such organisation")
    assert "нет-такого" in reasons[(3, "Соисполнители")] and (3, "Срочность") in reasons
    after = counts()
    after.pop("imports.ImportRecord"), before.pop("imports.ImportRecord")
    assert after == before


def test_a_row_the_issuer_may_not_give_stores_nothing(gov):
    with pytest.raises(Exception) as caught:
        imports.run(actor=gov.controller, kind=KIND, options={"system": gov.system.code}, upload=_csv(
            "1;;Первый пункт;15.04.2031;dfl-health;;", "2;;Второй пункт;15.04.2031;dfl-finance;;"))
    assert "Row 2" in str(caught.value) and "may not give orders" in str(caught.value)
    assert not Order.objects.exists() and not DocflowPackage.objects.exists()


def test_who_may_import(gov):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        imports.run(actor=gov.outsider, kind=KIND, options={"system": gov.system.code},
                    upload=_csv("1;;Пункт;15.04.2031;dfl-health;;"))
    with pytest.raises(PermissionDenied):
        imports.run(actor=gov.controller, kind=KIND, options={"system": "no-such"},
                    upload=_csv("1;;Пункт;15.04.2031;dfl-health;;"))


def test_the_pages_export_and_import_link(client, gov):
    imports.run(actor=gov.controller, kind=KIND, options={"system": gov.system.code}, upload=_csv(
        "1;=cmd' /C calc'!A0;Пункт;15.04.2031;dfl-health;;"))
    client.force_login(gov.controller)
    home = client.get(reverse("docflow:home")).content.decode()
    assert f"opt.system={gov.system.code}" in home
    csv = b"".join(client.get(reverse("docflow:export", args=["csv"])).streaming_content).decode("utf-8-sig")
    assert "'=cmd" in csv and "\n=cmd" not in csv
    assert client.get(reverse("docflow:export", args=["xlsx"])).status_code == 200
