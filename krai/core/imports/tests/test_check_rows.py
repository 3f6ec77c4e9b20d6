"""The whole-file hook: rows checked against each other are refused on their lines, with the row errors, and
nothing is stored; the record page shows them like any row error."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from krai.core.imports import registry, services
from krai.core.imports.models import ImportRecord
from krai.core.imports.schema import Column, ImportRejected, RowError
from krai.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KIND = "test.tree"


class TreeImporter(registry.Importer):
    """Groups named ``<code> <name>``; a code may be given once, a parent must be a code of the file; a row named
    'bad' is refused by ``check_row``."""

    kind = KIND
    title = "Tree"

    def __init__(self) -> None:
        self.calls: list[tuple[list[int], frozenset[int]]] = []

    def columns(self, *, options: dict) -> list[Column]:
        return [Column("code", "integer", required=True, title="Код"), Column("name", "string", required=True),
                Column("parent", "integer", title="Родитель")]

    def allowed(self, actor, *, options: dict) -> bool:
        return actor.is_staff

    def check_row(self, row: dict, *, actor, options: dict) -> dict[str, str]:
        return {"name": "bad name"} if row["name"] == "bad" else {}

    def check_rows(self, rows: list[tuple[int, dict]], *, actor, options: dict,
                   failed: frozenset[int]) -> list[RowError]:
        self.calls.append(([line for line, _row in rows], failed))
        codes = [row["code"] for _line, row in rows]
        errors = [RowError(line, "code", str(row["code"]), "given twice")
                  for index, (line, row) in enumerate(rows) if row["code"] in codes[:index]]
        return errors + [RowError(line, "parent", str(row["parent"]), "no such row") for line, row in rows
                         if row["parent"] is not None and row["parent"] not in codes]

    def store(self, rows: list[dict], *, actor, options: dict, record) -> dict:
        for row in rows:
            Group.objects.create(name=f"{row['code']} {row['name']}")
        return {"created": len(rows)}


@pytest.fixture
def importer():
    item = registry.register(TreeImporter())
    yield item
    registry.unregister(KIND)


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def csv_file(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("tree.csv", text.encode(), content_type="text/csv")


BAD = "Код,Название,Родитель\n1,Корень,\n2,Ветвь,1\n\n1,Повтор,\n3,Лист,9\n4,bad,\n"


def test_rows_refused_together_are_reported_on_their_lines_with_the_row_errors(importer, staff):
    record = services.preview(actor=staff, kind=KIND, upload=csv_file(BAD))
    with pytest.raises(ImportRejected) as caught:
        services.confirm(actor=staff, record=record, mapping={"code": "Код", "name": "Название",
                                                               "parent": "Родитель"})
    assert [(e.row, e.column, e.value, e.reason) for e in caught.value.errors] == [
        (5, "Код", "1", "given twice"), (6, "Родитель", "9", "no such row"), (7, "Название", "bad", "bad name")]
    assert caught.value.error_count == 3
    assert importer.calls == [([2, 3, 5, 6, 7], frozenset({7}))]  # every row, the empty line 4 skipped
    assert Group.objects.count() == 0
    record.refresh_from_db()
    assert (record.status, record.error_count) == (ImportRecord.Status.REJECTED, 3)
    assert [(e["row"], e["column"]) for e in record.errors] == [(5, "Код"), (6, "Родитель"), (7, "Название")]


def test_the_page_shows_them_and_a_clean_file_is_stored(client, importer, staff):
    client.force_login(staff)
    client.post(reverse("imports:start", args=[KIND]), {"file": csv_file(BAD)})
    record = ImportRecord.objects.get()
    response = client.post(reverse("imports:record", args=[record.pk]),
                           {"code": "Код", "name": "Название", "parent": "Родитель"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "<td>5</td><td>Код</td><td>1</td><td>given twice</td>" in page
    assert "<td>6</td><td>Родитель</td><td>9</td><td>no such row</td>" in page
    assert Group.objects.count() == 0
    stored = services.run(actor=staff, kind=KIND, upload=csv_file("code,name,parent\n1,Корень,\n2,Ветвь,1\n"))
    assert stored.status == ImportRecord.Status.STORED and Group.objects.count() == 2


def test_the_default_hook_refuses_nothing(staff):
    assert registry.Importer().check_rows([(2, {"code": 1}), (3, {"code": 1})], actor=staff, options={},
                                          failed=frozenset()) == []
