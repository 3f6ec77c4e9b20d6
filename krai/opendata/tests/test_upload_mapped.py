"""Open data's upload on the import kernel: a file whose columns are named in Russian is mapped on the preview
and stored as the new version; every attempt is kept; a token needs the open data scope as well."""

from __future__ import annotations

import pytest
from django.urls import reverse

from krai.accounts.tests.factories import make_token
from krai.core.imports.models import ImportRecord
from krai.opendata.models import DatasetVersion
from krai.opendata.tests.factories import csv_upload

pytestmark = pytest.mark.django_db

RUSSIAN = ("Наименование;Категория;Ученики;Открыта;Широта;Долгота\n"
           "Школа №1;schools;500;2001-09-01;45,03;38,97\nШкола №2;schools;320;01.09.1999;45,05;38,99\n")


def test_a_file_with_russian_headers_is_mapped_on_the_preview_and_becomes_the_version(client, dataset, publisher):
    client.force_login(publisher)
    start = reverse("imports:start", args=["opendata.version"]) + f"?opt.dataset={dataset.identifier}"
    response = client.post(start, {"file": csv_upload(RUSSIAN, name="школы.csv")})
    record = ImportRecord.objects.get()
    assert response.status_code == 302
    assert record.mapping == {"name": "Наименование", "category": "Категория", "pupils": "Ученики",
                              "opened": "Открыта", "lat": "Широта", "lon": "Долгота"}
    done = client.post(reverse("imports:record", args=[record.pk]), record.mapping)
    assert done.status_code == 302
    version = DatasetVersion.objects.get(dataset=dataset, is_current=True)
    assert version.row_count == 2 and version.source_name == "школы.csv"
    page = client.get(done["Location"]).content.decode()
    assert reverse("opendata:workspace-dataset", args=[dataset.identifier]) in page


def test_the_one_step_upload_is_kept_as_an_import_record_even_when_refused(client, dataset, publisher):
    client.force_login(publisher)
    url = reverse("opendata:workspace-dataset", args=[dataset.identifier])
    bad = client.post(url, {"action": "upload", "file": csv_upload("name,category,pupils,opened,lat,lon\n"
                                                                   "Школа,schools,many,2001-09-01,45,39\n")})
    assert bad.status_code == 400
    assert not DatasetVersion.objects.filter(dataset=dataset).exists()
    record = ImportRecord.objects.get()
    assert record.status == "rejected" and record.errors[0]["column"] == "pupils"


def test_a_token_needs_the_open_data_scope_to_import_into_a_dataset(client, dataset, publisher):
    _t, imports_only = make_token(publisher, scopes=("read", "write", "imports:write"))
    refused = client.post("/api/v1/imports/opendata.version/", {"file": csv_upload(),
                                                                 "options": f'{{"dataset": "{dataset.identifier}"}}'},
                          HTTP_AUTHORIZATION=f"Bearer {imports_only}")
    assert refused.status_code == 403
    _t, both = make_token(publisher, scopes=("read", "write", "imports:write", "opendata:write"), name="both")
    stored = client.post("/api/v1/imports/opendata.version/", {"file": csv_upload(),
                                                                "options": f'{{"dataset": "{dataset.identifier}"}}'},
                         HTTP_AUTHORIZATION=f"Bearer {both}")
    assert stored.status_code == 201, stored.content
    assert DatasetVersion.objects.get(dataset=dataset).row_count == 3
