"""Every CSV the project serves writes formula-like text as text (OWASP CSV injection); numbers stay numbers."""

import csv
import io

import pytest
from django.urls import reverse

from krai.core.csvsafe import safe_cell
from krai.opendata import services
from krai.opendata.tests.factories import DatasetFactory, csv_upload
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign
from krai.participation.tests.factories import OptionFactory, PollFactory, QuestionFactory

HOSTILE_CSV = ('name,category,pupils,opened,lat,lon\r\n'
               '"=HYPERLINK(""http://evil.example/"",""click"")",+1,-5,2001-09-01,-45.5,38.97\r\n'
               '@SUM(A1),"\t=1",3,,45,39\r\n'
               '"-2+3","\r=1",,,45,39\r\n'
               'Школа,обычная,1,,45,39\r\n')
# what a reader gets: (name, category, pupils, lat) of each row
EXPECTED = [("'=HYPERLINK(\"http://evil.example/\",\"click\")", "'+1", "-5", "-45.5"),
            ("'@SUM(A1)", "'\t=1", "3", "45.0"), ("'-2+3", "'\r=1", "", "45.0"), ("Школа", "обычная", "1", "45.0")]


def test_safe_cell():
    assert [safe_cell(v) for v in ("=1", "+1", "-1", "@a", "\tx", "\rx", "a=1", "", "Школа")] == [
        "'=1", "'+1", "'-1", "'@a", "'\tx", "'\rx", "a=1", "", "Школа"]
    assert [safe_cell(v) for v in (-5, -4.5, None, True)] == [-5, -4.5, None, True]


def _rows(body: bytes, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def _body(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def _seen(rows: list[list[str]], header: list[str]) -> list[tuple]:
    at = [header.index(name) for name in ("name", "category", "pupils", "lat")]
    # numbers as written may be "45" or "45.0" by database: compare them as numbers, text as it is
    return [tuple(r[i] if n < 2 else (str(float(r[i])) if n == 3 else r[i]) for n, i in enumerate(at))
            for r in rows]


@pytest.fixture
def hostile(db):
    owner = OrganisationFactory(inn="2308000001", code="education")
    user = StaffFactory()
    assign(user, Role.EXECUTOR, organisation=owner)
    dataset = DatasetFactory(owner=owner, identifier="2308000001-schools", title="=cmd|'/C calc'!A0")
    dataset.structure["fields"][0]["title"] = "@SUM(1+1)"
    dataset.save()
    services.version_upload(actor=user, dataset=dataset, upload=csv_upload(HOSTILE_CSV))
    return dataset


@pytest.mark.django_db
@pytest.mark.parametrize("export", ["export", "version", "data-file", "ckan-csv", "ckan-tsv"])
def test_open_data_rows_in_csv_neutralise_formulas(client, hostile, export):
    if export.startswith("ckan"):
        fmt = export[5:]
        result = client.get("/api/3/action/datastore_search", {"resource_id": hostile.identifier,
                                                                "records_format": fmt}).json()["result"]
        rows = _rows(result["records"].encode(), "," if fmt == "csv" else "\t")
        header = ["_id", *[f["id"] for f in result["fields"][1:]]]
    else:
        url = {"export": f"/opendata/{hostile.identifier}/export.csv",  # the COPY path on PostgreSQL
               "version": f"/opendata/{hostile.identifier}/versions/1.csv",
               "data-file": f"/opendata/{hostile.identifier}/{hostile.versions.get().data_name}.csv"}[export]
        header, *rows = _rows(_body(client.get(url)))
    assert _seen(rows, header) == [(*e[:3], str(float(e[3]))) for e in EXPECTED]


@pytest.mark.django_db
@pytest.mark.parametrize("export", ["list", "meta", "structure"])
def test_open_data_registry_csv_neutralise_formulas(client, hostile, export):
    if export == "list":
        listed = _rows(_body(client.get("/opendata/list.csv")))
        assert [r[1] for r in listed if r[0] == hostile.identifier] == ["'=cmd|'/C calc'!A0"]
    elif export == "meta":
        meta = dict(_rows(_body(client.get(f"/opendata/{hostile.identifier}/meta.csv")))[1:])
        assert meta["title"] == "'=cmd|'/C calc'!A0"
    else:
        structure = _rows(_body(client.get(f"/opendata/{hostile.identifier}/"
                                           f"{hostile.versions.get().structure_name}.csv")))
        assert structure[1][2] == "'@SUM(1+1)"


@pytest.mark.django_db
def test_poll_results_csv_neutralises_formulas(client):
    poll = PollFactory(results_during=True)
    question = QuestionFactory(poll=poll, position=1, text="=1+2")
    OptionFactory(question=question, position=1, text="-2+3")
    rows = _rows(_body(client.get(reverse("participation:poll_results_csv", args=[poll.pk]))))
    assert rows[1][0] == "'=1+2" and rows[1][2] == "'-2+3"
    assert rows[1][5] == "0"  # counts stay numbers
