"""Uploads are judged by their bytes, not their names: a "photo.png" that is a PDF, a "document.pdf" that is a
picture, an "estimate.xlsx" that is a ZIP bomb — as a request's or an inspection's photo, an object's or a work's
file, or a table of illegal constructions to import — are refused with a message saying why, and nothing is
stored (not the request the photo came with either)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from krai.construction.models import IllegalConstruction, VerificationRequest
from krai.construction.tests.factories import (
    body_staff,
    construction_object,
    inspection_body,
    inspector,
    keeper,
    municipality,
    resident,
    verification_request,
    work,
)
from krai.construction.tests.test_journey_api import BASE, IMPORTS, client_of, filing, png, visit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WATCHED = {"construction", "orders", "events", "files", "notifications"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def pdf_named(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="image/png")


def zip_bomb(name: str = "смета.xlsx") -> SimpleUploadedFile:
    """A well-formed XLSX package whose one sheet inflates to 60 MB of nothing (a few dozen kilobytes sent)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        package.writestr("_rels/.rels", "<Relationships/>")
        package.writestr("xl/workbook.xml", "<workbook/>")
        package.writestr("xl/worksheets/sheet1.xml", b"\x00" * (60 * 1024 * 1024))
    return SimpleUploadedFile(name, out.getvalue(), content_type=XLSX)


def _counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()
            if model._meta.app_label in WATCHED}


@pytest.fixture
def place() -> Any:
    inspection_body()
    return municipality()


def test_a_request_with_a_pdf_named_png_is_refused_whole(place: Any) -> None:
    api = client_of(resident())
    before = _counts()
    answer = api.post(f"{BASE}/requests/", {**filing(), "photos": [png("good.png"), pdf_named("site.png")]},
                      format="multipart")
    assert answer.status_code == 400, answer.content
    message = " ".join(answer.json()["error"]["fields"]["photos"])
    assert "site.png" in message and "not accepted" in message and "JPEG, PNG" in message
    assert _counts() == before and not VerificationRequest.objects.exists()
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(resident())
    response = page.post(reverse("construction:request_new"), {**filing(), "photos": [pdf_named("site.png")]})
    assert response.status_code == 400 and "not accepted" in response.content.decode()
    assert _counts() == before


def test_an_inspection_with_a_pdf_named_png_changes_nothing(place: Any) -> None:
    request = verification_request()
    api = client_of(inspector())
    before = _counts()
    answer = api.post(f"{BASE}/requests/{request.pk}/inspect/", {**visit(), "photos": [pdf_named("visit.png")]},
                      format="multipart")
    assert answer.status_code == 400 and "not accepted" in str(answer.json()["error"]["fields"]["photos"])
    request.refresh_from_db()
    assert request.status == "open" and _counts() == before


@pytest.mark.parametrize(("kind", "upload", "reason"), [
    ("photo", lambda: pdf_named("фасад.png"), "not accepted"),
    ("document", lambda: png("разрешение.pdf"), "not accepted"),
    ("document", zip_bomb, "unpacks to too much"),
])
def test_an_objects_or_a_works_file_that_lies_about_its_kind_is_refused(place: Any, kind: str, upload: Any,
                                                                        reason: str) -> None:
    building = construction_object(municipality=place)
    body_work = work(municipality=place)
    boss, staff = client_of(keeper()), client_of(body_staff(body_work.responsible_body))
    before = _counts()
    targets = ((boss, f"{BASE}/objects/{building.pk}/files/"), (staff, f"{BASE}/works/{body_work.pk}/files/"))
    for client, path in targets:
        answer = client.post(path, {"kind": kind, "file": upload()}, format="multipart")
        assert answer.status_code == 400, (path, answer.content)
        error = answer.json()["error"]
        assert reason in f"{error['message']} {error.get('fields', '')}", (path, error)
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(keeper())
    response = page.post(reverse("construction:object_files", args=[building.pk]), {"kind": kind, "file": upload()},
                         follow=True)
    assert reason in response.content.decode()
    assert _counts() == before


def test_an_import_that_is_a_zip_bomb_is_refused_before_it_inflates(place: Any) -> None:
    api = client_of(keeper(), ["read", "write", "construction:write", "imports:write"])
    answer = api.post(IMPORTS, {"file": zip_bomb("самострой.xlsx")}, format="multipart")
    assert answer.status_code == 400, answer.content
    assert "unpacks to" in answer.json()["error"]["message"]
    not_a_table = api.post(IMPORTS, {"file": SimpleUploadedFile("самострой.xlsx", PDF, content_type=XLSX)},
                           format="multipart")
    assert not_a_table.status_code == 400 and "Only XLSX" in not_a_table.json()["error"]["message"]
    assert not IllegalConstruction.objects.exists()
