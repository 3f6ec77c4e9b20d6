"""The import kernel: reading, the proposed mapping, every error by row and column, all or nothing, the record."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from krai.core.events.models import Event
from krai.core.imports import registry, selectors, services
from krai.core.imports.mapping import propose
from krai.core.imports.models import ImportRecord
from krai.core.imports.schema import Column, ImportRejected
from krai.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

COLUMNS = [Column("code", "integer", required=True, title="Код", aliases=("Код группы",)),
           Column("name", "string", required=True, title="Наименование", title_en="Name", max_length=20),
           Column("opened", "date", title="Дата открытия")]


class GroupImporter(registry.Importer):
    """Stores each row as an auth group named ``<code> <name>``; row 'boom' fails inside the store."""

    kind = "test.groups"
    title = "Groups"

    def columns(self, *, options: dict) -> list[Column]:
        return COLUMNS

    def allowed(self, actor, *, options: dict) -> bool:
        return actor.is_staff

    def check_row(self, row: dict, *, actor, options: dict) -> dict[str, str]:
        return {"code": "taken"} if Group.objects.filter(name__startswith=f"{row['code']} ").exists() else {}

    def store(self, rows: list[dict], *, actor, options: dict, record) -> dict:
        for row in rows:
            if row["name"] == "boom":
                raise RuntimeError("the store broke half-way")
            Group.objects.create(name=f"{row['code']} {row['name']}")
        return {"created": len(rows)}


@pytest.fixture(autouse=True)
def importer():
    registry.register(GroupImporter())
    yield
    registry.unregister("test.groups")


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def upload(text: str, name: str = "groups.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def test_the_mapping_is_proposed_from_russian_headers_aliases_and_close_spellings():
    assert propose(["Код группы", "Наименованние", "Дата  открытия"], COLUMNS) == {
        "code": "Код группы", "name": "Наименованние", "opened": "Дата  открытия"}
    assert propose(["name", "something else"], COLUMNS) == {"name": "name"}


def test_preview_keeps_the_file_and_a_sample_and_stores_no_row(staff):
    record = services.preview(actor=staff, kind="test.groups",
                              upload=upload("Код;Наименование;Лишнее\n1;Школа;x\n2;Сад;y\n"))
    assert record.status == ImportRecord.Status.PREVIEWED
    assert record.header == ["Код", "Наименование", "Лишнее"]
    assert record.mapping == {"code": "Код", "name": "Наименование"}
    assert record.sample == [["1", "Школа", "x"], ["2", "Сад", "y"]]
    assert bytes(record.content).startswith("Код".encode())
    assert Group.objects.count() == 0
    assert Event.objects.filter(kind="imports.previewed").count() == 1


def test_a_broken_row_is_reported_by_row_and_column_and_nothing_is_stored(staff):
    record = services.preview(actor=staff, kind="test.groups", upload=upload(
        "Код,Наименование,Дата открытия\n1,Школа,2024-01-31\nдва,Сад,2024-02-30\n3,,\n4,Музей,01.03.2024\n"))
    with pytest.raises(ImportRejected) as caught:
        services.confirm(actor=staff, record=record)
    errors = {(e.row, e.column, e.value) for e in caught.value.errors}
    assert errors == {(3, "Код", "два"), (3, "Дата открытия", "2024-02-30"), (4, "Наименование", "")}
    assert caught.value.error_count == 3
    assert Group.objects.count() == 0
    record.refresh_from_db()
    assert record.status == ImportRecord.Status.REJECTED and record.error_count == 3
    assert {(e["row"], e["column"]) for e in record.errors} == {(3, "Код"), (3, "Дата открытия"), (4, "Наименование")}
    assert Event.objects.filter(kind="imports.rejected", subject_id=str(record.pk)).exists()


def test_good_rows_are_stored_with_the_confirmed_mapping(staff):
    record = services.preview(actor=staff, kind="test.groups",
                              upload=upload("A,B,C\n1,Школа,31.01.2024\n2,Сад,\n"))
    assert record.mapping == {}
    services.confirm(actor=staff, record=record, mapping={"code": "A", "name": "B", "opened": "C"})
    assert sorted(Group.objects.values_list("name", flat=True)) == ["1 Школа", "2 Сад"]
    record.refresh_from_db()
    assert (record.status, record.row_count, record.summary) == ("stored", 2, {"created": 2})
    with pytest.raises(ValidationError) as refused:
        services.confirm(actor=staff, record=record)
    assert "status" in refused.value.message_dict


def test_a_checked_row_refused_by_the_area_is_reported_and_nothing_stored(staff):
    Group.objects.create(name="2 Existing")
    with pytest.raises(ImportRejected) as caught:
        services.run(actor=staff, kind="test.groups", upload=upload("code,name\n1,Школа\n2,Сад\n"))
    assert [(e.row, e.column, e.reason) for e in caught.value.errors] == [(3, "code", "taken")]
    assert Group.objects.count() == 1


def test_a_store_that_breaks_half_way_leaves_nothing(staff):
    with pytest.raises(RuntimeError):
        services.run(actor=staff, kind="test.groups", upload=upload("code,name\n1,Школа\n2,boom\n"))
    assert Group.objects.count() == 0
    assert ImportRecord.objects.get().status == ImportRecord.Status.FAILED


def test_a_required_column_without_a_source_is_refused_before_any_row(staff):
    record = services.preview(actor=staff, kind="test.groups", upload=upload("code,other\n1,x\n"))
    with pytest.raises(ImportRejected) as caught:
        services.confirm(actor=staff, record=record)
    assert caught.value.code == "mapping"


def test_windows_1251_csv_and_xlsx_are_read_and_formulas_refused(staff):
    services.run(actor=staff, kind="test.groups", upload=upload("Код;Наименование\n7;Школа №1\n", encoding="cp1251"))
    assert Group.objects.filter(name="7 Школа №1").exists()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Код", "Наименование", "Дата открытия"])
    sheet.append([8, "Сад", None])
    buffer = io.BytesIO()
    book.save(buffer)
    services.run(actor=staff, kind="test.groups", upload=SimpleUploadedFile("g.xlsx", buffer.getvalue()))
    assert Group.objects.filter(name="8 Сад").exists()
    sheet.append([9, "=HYPERLINK(\"http://x\")", None])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ImportRejected) as caught:
        services.run(actor=staff, kind="test.groups", upload=SimpleUploadedFile("g.xlsx", buffer.getvalue()))
    assert caught.value.code == "formula" and "B3" in caught.value.message
    assert not Group.objects.filter(name__startswith="9 ").exists()


def test_who_may_import_and_see_records(staff):
    resident = UserFactory()
    with pytest.raises(PermissionDenied):
        services.preview(actor=resident, kind="test.groups", upload=upload("code,name\n1,a\n"))
    assert ImportRecord.objects.count() == 0
    record = services.preview(actor=staff, kind="test.groups", upload=upload("code,name\n1,a\n"))
    with pytest.raises(Http404):
        selectors.record_get(user=resident, pk=record.pk)
    assert list(selectors.records_for(user=staff)) == [record]
    assert selectors.importers_for(user=resident) == []
    assert "test.groups" in [i.kind for i in selectors.importers_for(user=staff)]


def test_old_files_are_dropped_and_abandoned_previews_removed(staff, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.KRAI_IMPORT_KEEP_DAYS = 30
    stored = services.run(actor=staff, kind="test.groups", upload=upload("code,name\n1,a\n"))
    waiting = services.preview(actor=staff, kind="test.groups", upload=upload("code,name\n2,b\n"))
    later = timezone.now() + timedelta(days=31)
    assert services.expire(now=later) == {"files_dropped": 1, "previews_dropped": 1}
    stored.refresh_from_db()
    assert bytes(stored.content) == b"" and stored.checksum and stored.status == "stored"
    assert not ImportRecord.objects.filter(pk=waiting.pk).exists()
    assert Group.objects.count() == 1
    assert services.expire(now=later) == {"files_dropped": 0, "previews_dropped": 0}
