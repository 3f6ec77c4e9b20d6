"""Uploads: valid ones become versions with a datastore table; bad ones change nothing."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from krai.core.events.models import Event
from krai.opendata import datastore, services
from krai.opendata.ingest import UploadRejected
from krai.opendata.models import DatasetVersion
from krai.opendata.tests.factories import VALID_CSV, csv_upload

pytestmark = pytest.mark.django_db


def _tables() -> set[str]:
    return {t for t in connection.introspection.table_names() if t.startswith("opendata_ds_")}


def test_valid_upload_becomes_current_version(dataset, publisher):
    version = services.version_upload(actor=publisher, dataset=dataset, upload=csv_upload())
    assert version.is_current and version.row_count == 3 and version.encoding == "utf-8"
    assert version.file.name and len(version.checksum) == 64
    table = datastore.Table(version.datastore_table, version.structure["fields"])
    page = table.page(datastore.Query(filters=[("category", "eq", "schools")]), include_total=True)
    assert page.total == 2 and [r[1] for r in page.rows] == ["Школа №1", "Школа №2"]
    assert page.rows[1][4] == "1999-09-01"
    assert Event.objects.filter(kind="opendata.version_uploaded").count() == 1


def test_second_version_keeps_the_first_file_and_replaces_the_table(dataset, publisher):
    first = services.version_upload(actor=publisher, dataset=dataset, upload=csv_upload())
    second = services.version_upload(actor=publisher, dataset=dataset,
                                     upload=csv_upload(VALID_CSV + "Лицей,lyceum,10,2020-01-01,45,39\n"))
    first.refresh_from_db()
    assert not first.is_current and first.file.name and first.datastore_table == ""
    assert second.is_current and second.number == 2 and second.row_count == 4
    assert _tables() == {second.datastore_table}


def test_cp1251_is_detected(dataset, publisher):
    version = services.version_upload(actor=publisher, dataset=dataset,
                                      upload=csv_upload(VALID_CSV.replace(",", ";"), encoding="cp1251"))
    assert version.encoding == "windows-1251"
    page = datastore.Table(version.datastore_table, version.structure["fields"]).page(datastore.Query())
    assert page.rows[0][1] == "Школа №1"


@pytest.mark.parametrize(("text", "code"), [
    ("name,category\r\nx,y\r\n", "header"),
    ("name,category,pupils,opened,lat,lon\r\n,schools,many,2001-13-45,1,2\r\nA,b,1,2001-01-01,1\r\n", "rows"),
    ("name,category,pupils,opened,lat,lon\r\n", "empty"),
    ('name,category,pupils,opened,lat,lon\r\n"broken,a,1,2001-01-01,1,2\r\n', "csv"),
])
def test_bad_files_are_rejected_and_nothing_is_stored(dataset, publisher, text, code):
    with pytest.raises(UploadRejected) as caught:
        services.version_upload(actor=publisher, dataset=dataset, upload=csv_upload(text))
    assert caught.value.code == code
    assert not DatasetVersion.objects.exists() and not _tables()


def test_row_errors_name_row_and_column(dataset, publisher):
    text = "name,category,pupils,opened,lat,lon\r\n,schools,many,2001-13-45,1,2\r\n"
    with pytest.raises(UploadRejected) as caught:
        services.version_upload(actor=publisher, dataset=dataset, upload=csv_upload(text))
    found = {(e.row, e.column) for e in caught.value.errors}
    assert found == {(2, "name"), (2, "pupils"), (2, "opened")}


def test_too_large_upload_gets_a_clear_answer(dataset, publisher, settings):
    settings.KRAI_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(UploadRejected) as caught:
        services.version_upload(actor=publisher, dataset=dataset, upload=csv_upload(VALID_CSV * 50))
    assert caught.value.code == "too_large"
    assert not DatasetVersion.objects.exists()


def test_json_upload(dataset, publisher):
    body = b'[{"name": "A", "category": "c", "pupils": 3, "opened": "2001-01-01", "lat": 45.1, "lon": 39}]'
    version = services.version_upload(actor=publisher, dataset=dataset,
                                      upload=SimpleUploadedFile("a.json", body))
    assert version.source_format == "json" and version.row_count == 1


def _xlsx(rows, formula: bool = False) -> bytes:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if formula:
        sheet["C2"] = "=1+1"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_upload_and_formula_refused(dataset, publisher):
    header = ["name", "category", "pupils", "opened", "lat", "lon"]
    good = _xlsx([header, ["A", "c", 5, "2001-01-01", 45.0, 39.0]])
    version = services.version_upload(actor=publisher, dataset=dataset, upload=SimpleUploadedFile("a.xlsx", good))
    assert version.source_format == "xlsx" and version.row_count == 1
    bad = _xlsx([header, ["B", "c", 5, "2001-01-01", 45.0, 39.0]], formula=True)
    with pytest.raises(UploadRejected) as caught:
        services.version_upload(actor=publisher, dataset=dataset, upload=SimpleUploadedFile("b.xlsx", bad))
    assert caught.value.code == "formula"
    assert DatasetVersion.objects.count() == 1


def test_stranger_may_not_upload(dataset, stranger):
    with pytest.raises(PermissionDenied):
        services.version_upload(actor=stranger, dataset=dataset, upload=csv_upload())
    assert not DatasetVersion.objects.exists()


def test_create_dataset_checks_identifier_and_structure(owner, publisher):
    with pytest.raises(ValidationError) as caught:
        services.dataset_create(actor=publisher, owner=owner, identifier="bad id", title="T",
                                structure={"fields": [{"name": "a", "type": "string"}]})
    assert "identifier" in caught.value.error_dict
    with pytest.raises(ValidationError):
        services.dataset_create(actor=publisher, owner=owner, code="x", title="T",
                                structure={"fields": [{"name": "1a", "type": "string"}]})
    dataset = services.dataset_create(actor=publisher, owner=owner, code="roads", title="Дороги",
                                      structure=[{"name": "km", "type": "number"}])
    assert dataset.identifier == "2308000001-roads" and dataset.status == "draft"


def test_sweep_drops_tables_of_deleted_datasets(dataset, publisher):
    version = services.version_upload(actor=publisher, dataset=dataset, upload=csv_upload())
    assert services.sweep_datastore() == []
    dataset.delete()
    assert services.sweep_datastore() == [version.datastore_table] and not _tables()


def test_xlsx_export_keeps_formula_like_text_as_text(client, dataset, publisher):
    openpyxl = pytest.importorskip("openpyxl")
    services.version_upload(actor=publisher, dataset=dataset,
                            upload=csv_upload("name,category,pupils,opened,lat,lon\n=1+1,x,1,2001-01-01,45,39\n"))
    body = b"".join(client.get(f"/opendata/{dataset.identifier}/export.xlsx").streaming_content)
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"


def test_upload_is_checked_against_the_stored_structure_not_a_stale_copy(dataset, publisher):
    """The structure changed after the caller read the dataset: the upload follows the new one."""
    stale = type(dataset).objects.get(pk=dataset.pk)
    services.dataset_update(actor=publisher, dataset=dataset, structure=[
        *dataset.fields, {"name": "address", "type": "string", "title": "Адрес", "description": "Адрес"}])
    version = services.version_upload(actor=publisher, dataset=stale, upload=csv_upload(
        "name,category,pupils,opened,lat,lon,address\nНовая,x,1,2020-01-01,45,39,ул. Красная\n"))
    assert [f["name"] for f in version.structure["fields"]][-1] == "address" and version.row_count == 1
    with pytest.raises(UploadRejected):
        services.version_upload(actor=publisher, dataset=stale, upload=csv_upload())  # the old header
    assert DatasetVersion.objects.count() == 1
