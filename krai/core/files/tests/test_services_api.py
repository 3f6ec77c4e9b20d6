"""Attaching, serving and removing files: permissions, nothing left behind on refusal, headers, API."""

import hashlib
import os
from datetime import timedelta
from pathlib import Path

import pytest
import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from krai.core.events.models import Event
from krai.core.files import services
from krai.core.files.models import Attachment
from krai.core.files.tests.factories import PDF, image_bytes, temporary_rules, upload
from krai.org.tests.factories import BlockFactory, OrganisationFactory, StaffFactory

pytestmark = pytest.mark.django_db


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@rules.predicate
def is_staff(user, target=None) -> bool:
    return bool(user.is_authenticated and user.is_staff)


@pytest.fixture
def org_rules():
    """Organisations visible to staff only; staff may attach files (but not change organisations)."""
    with temporary_rules(org__view_organisation=is_staff, org__attach_organisation=is_staff):
        yield


@pytest.fixture
def organisation():
    return OrganisationFactory()


@pytest.fixture
def staff():
    return StaffFactory()


def test_superuser_attaches_to_a_public_object(admin_user):
    block = BlockFactory()
    attachment = services.attachment_create(actor=admin_user, target=block,
                                            upload=upload("Отчёт о работе.pdf", PDF, "image/png"))
    assert attachment.target == block and attachment.uploaded_by == admin_user
    assert (attachment.kind, attachment.mime_type, attachment.original_name) == ("pdf", "application/pdf",
                                                                                 "Отчёт о работе.pdf")
    path = Path(attachment.file.path)
    assert path.is_file() and path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "Отчёт" not in path.name and len(path.stem) == 32  # a random name, not the person's
    assert attachment.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert attachment.size == path.stat().st_size
    event = Event.objects.get(kind="files.attachment_added")
    assert event.payload["target_type"] == "org.block" and event.payload["target_id"] == str(block.pk)


def test_attach_perm_is_enough(org_rules, organisation, staff):
    attachment = services.attachment_create(actor=staff, target=organisation,
                                            upload=upload("p.png", image_bytes("PNG")))
    assert attachment.kind == "image"


@pytest.mark.parametrize("who", ["citizen", "nobody"])
def test_refused_upload_stores_nothing(org_rules, organisation, citizen, who):
    actor = citizen if who == "citizen" else None
    with pytest.raises(PermissionDenied):
        services.attachment_create(actor=actor, target=organisation, upload=upload("a.pdf", PDF))
    assert not Attachment.objects.exists() and not stored_files()
    assert not Event.objects.filter(kind__startswith="files.").exists()


def test_invalid_file_stores_nothing(org_rules, organisation, staff):
    with pytest.raises(ValidationError):
        services.attachment_create(actor=staff, target=organisation, upload=upload("a.jpg", b"MZ" + b"\0" * 300))
    assert not Attachment.objects.exists() and not stored_files()


def test_failed_row_removes_the_stored_file(org_rules, organisation, staff, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("krai.core.files.services.record_event", broken)
    with pytest.raises(RuntimeError):
        services.attachment_create(actor=staff, target=organisation, upload=upload("a.pdf", PDF))
    assert not Attachment.objects.exists() and not stored_files()


def test_sweep_removes_only_old_unreferenced_files(admin_user):
    kept = services.attachment_create(actor=admin_user, target=BlockFactory(), upload=upload("a.pdf", PDF))
    folder = Path(kept.file.path).parent
    orphan, fresh = folder / ("0" * 32 + ".pdf"), folder / ("1" * 32 + ".pdf")
    orphan.write_bytes(PDF)
    fresh.write_bytes(PDF)
    old = (Path(kept.file.path).stat().st_mtime - 3 * 86400)
    os.utime(orphan, (old, old))
    os.utime(kept.file.path, (old, old))
    assert services.sweep_orphan_files(older_than=timedelta(days=1)) == 1
    assert not orphan.exists() and fresh.exists() and Path(kept.file.path).exists()


def test_delete_by_uploader_and_file_goes_after_commit(org_rules, organisation, staff,
                                                       django_capture_on_commit_callbacks):
    attachment = services.attachment_create(actor=staff, target=organisation, upload=upload("a.pdf", PDF))
    other = StaffFactory()
    with pytest.raises(PermissionDenied):
        services.attachment_delete(actor=other, attachment=attachment)  # staff, may attach, but not his file
    path = Path(attachment.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(actor=staff, attachment=attachment)
    assert not Attachment.objects.exists() and not path.exists()
    assert Event.objects.filter(kind="files.attachment_removed").count() == 1


# --- downloads ----------------------------------------------------------------------------------

def test_download_checks_target_visibility(client, org_rules, organisation, staff, citizen):
    attachment = services.attachment_create(actor=staff, target=organisation, upload=upload("Смета 2025.pdf", PDF))
    url = reverse("files:download", args=[attachment.pk])
    assert client.get(url).status_code == 404
    client.force_login(citizen)
    assert client.get(url).status_code == 404
    assert client.get(reverse("files:download", args=[attachment.pk + 1000])).status_code == 404
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"2025.pdf\"; filename*=UTF-8''%D0%A1%D0%BC%D0%B5%D1%82%D0%B0%202025.pdf")
    assert "sandbox" in response["Content-Security-Policy"]


def test_public_target_image_inline_text_with_charset(client, admin_user):
    block = BlockFactory()
    image = services.attachment_create(actor=admin_user, target=block, upload=upload("photo.png", image_bytes("PNG")))
    text = services.attachment_create(actor=admin_user, target=block,
                                      upload=upload("list.txt", "Список".encode("cp1251")))
    response = client.get(reverse("files:download", args=[image.pk]))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("inline;")
    assert client.get(reverse("files:download", args=[image.pk]), {"download": "1"})["Content-Disposition"].startswith(
        "attachment;")
    response = client.get(reverse("files:download", args=[text.pk]))
    assert response["Content-Type"] == "text/plain; charset=windows-1251"
    assert response["Content-Disposition"].startswith("attachment;")


# --- API ----------------------------------------------------------------------------------------

def post(client, target_type, target_id, name, content):
    return client.post("/api/v1/attachments/", {"target_type": target_type, "target_id": target_id,
                                                "file": upload(name, content)})


def test_api_upload_list_detail_delete(client, org_rules, organisation, staff):
    client.force_login(staff)
    response = post(client, "org.organisation", organisation.pk, "скан.pdf", PDF)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["target_type"] == "org.organisation" and data["target_id"] == str(organisation.pk)
    assert data["mime_type"] == "application/pdf" and data["original_name"] == "скан.pdf"
    assert data["download_url"] == reverse("files:download", args=[data["id"]])
    listed = client.get("/api/v1/attachments/", {"target_type": "org.organisation", "target_id": organisation.pk})
    assert [item["id"] for item in listed.json()] == [data["id"]]
    assert client.get(f"/api/v1/attachments/{data['id']}/").json()["sha256"] == data["sha256"]
    assert client.delete(f"/api/v1/attachments/{data['id']}/").status_code == 204
    assert not Attachment.objects.exists()


def test_api_bad_file_is_a_field_error_and_stores_nothing(client, org_rules, organisation, staff):
    client.force_login(staff)
    response = post(client, "org.organisation", organisation.pk, "a.exe", b"MZ\x90\x00" + b"\0" * 300)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and list(error["fields"]) == ["file"]
    assert not Attachment.objects.exists() and not stored_files()


def test_api_refusals(client, org_rules, organisation, citizen):
    assert post(client, "org.organisation", organisation.pk, "a.pdf", PDF).status_code in (401, 403)
    client.force_login(citizen)
    # the citizen may not even see the organisation: the same answer as a missing one
    assert post(client, "org.organisation", organisation.pk, "a.pdf", PDF).status_code == 404
    assert post(client, "org.organisation", 999999, "a.pdf", PDF).status_code == 404
    assert post(client, "sessions.session", "abc", "a.pdf", PDF).status_code == 400
    assert post(client, "nonsense", "1", "a.pdf", PDF).status_code == 400
    # a public object he may see but not change
    response = post(client, "org.block", BlockFactory().pk, "a.pdf", PDF)
    assert response.status_code == 403 and response.json()["error"]["status"] == 403
    assert not Attachment.objects.exists() and not stored_files()


def test_api_detail_hidden_from_those_who_may_not_see(client, org_rules, organisation, staff, citizen):
    attachment = services.attachment_create(actor=staff, target=organisation, upload=upload("a.pdf", PDF))
    client.force_login(citizen)
    assert client.get(f"/api/v1/attachments/{attachment.pk}/").status_code == 404
    assert client.delete(f"/api/v1/attachments/{attachment.pk}/").status_code == 404
    assert Attachment.objects.count() == 1


# --- the template tag and the page form ---------------------------------------------------------

def test_template_tag_lists_files_and_offers_the_form(org_rules, organisation, staff, citizen):
    services.attachment_create(actor=staff, target=organisation, upload=upload("план.pdf", PDF))
    template = Template("{% load krai_files %}{% attachments_for object %}")
    request = RequestFactory().get("/somewhere/")
    request.user = staff
    html = template.render(Context({"object": organisation, "request": request, "csrf_token": "t"}))
    assert "план.pdf" in html and 'name="file"' in html and "<label" in html
    request.user = citizen
    html = template.render(Context({"object": organisation, "request": request}))
    assert "план.pdf" not in html and 'name="file"' not in html


def test_page_upload_redirects_back(client, org_rules, organisation, staff):
    client.force_login(staff)
    response = client.post(reverse("files:upload"), {
        "target_type": "org.organisation", "target_id": organisation.pk, "next": "/workspace/",
        "file": upload("фото.gif", image_bytes("GIF"))})
    assert response.status_code == 302 and response["Location"] == "/workspace/"
    assert Attachment.objects.get().original_name == "фото.gif"
    response = client.post(reverse("files:upload"), {
        "target_type": "org.organisation", "target_id": organisation.pk, "next": "https://evil.example/",
        "file": upload("x.bin", b"\0\1\2")})
    assert response["Location"] == "/"
    assert Attachment.objects.count() == 1


def test_users_are_never_targets(client, admin_user):
    client.force_login(admin_user)
    assert post(client, "auth.group", "1", "a.pdf", PDF).status_code == 400
