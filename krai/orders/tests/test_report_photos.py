"""Photos on a report of execution: sent with the report from the page (a real PNG and JPEG) and through the API
(multipart), kept on the Report with the kernel's attachments and shown with the report; a file that is not an image,
or too many, refuses the whole report with nothing saved; a stranger can neither report nor see the photos."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

from krai.core.events.models import Event
from krai.core.files.models import Attachment
from krai.orders.models import Report, Status
from krai.orders.services import control_report
from krai.orders.tests.factories import issued_order

pytestmark = pytest.mark.django_db


def image(name: str, fmt: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (40, 120, 200)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def fake(name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"MZ\x90\x00 not an image at all" * 20, content_type="image/jpeg")


def signed_in(user) -> Client:
    c = Client(HTTP_ACCEPT_LANGUAGE="en")
    c.force_login(user)
    return c


def photos_of(report: Report) -> list[Attachment]:
    return list(Attachment.objects.filter(content_type__model="report", object_id=str(report.pk)).order_by("id"))


def test_a_report_with_a_png_and_a_jpeg_from_the_page(gov):
    root = issued_order(gov).assignment
    head = signed_in(gov.head)
    page = head.get(f"/workspace/orders/control/{root.pk}/").content.decode()
    form = page[page.index('id="orders-action-report"') - 400:page.index('id="orders-action-report"') + 3000]
    assert 'enctype="multipart/form-data"' in form and "data-krai-offline" in form
    assert 'accept="image/*"' in form and 'capture="environment"' in form and "multiple" in form
    response = head.post(f"/workspace/orders/control/{root.pk}/report/", {
        "report-text": "Крыша отремонтирована", "report-photos": [image("roof.png", "PNG"), image("yard.jpg", "JPEG")]})
    assert response.status_code == 302
    report = Report.objects.get(assignment=root)
    photos = photos_of(report)
    assert [(p.kind, p.mime_type, p.uploaded_by_id) for p in photos] == [
        ("image", "image/png", gov.head.pk), ("image", "image/jpeg", gov.head.pk)]
    assert Event.objects.filter(kind="control.reported", payload__photos=2).exists()
    # shown with the report: thumbnails linking to the files, which the issuer may open
    governor = signed_in(gov.governor)
    page = governor.get(f"/workspace/orders/control/{root.pk}/").content.decode()
    assert f'data-report="{report.pk}"' in page
    for photo in photos:
        assert f'src="/files/{photo.pk}/"' in page
        assert governor.get(f"/files/{photo.pk}/").status_code == 200


def test_a_fake_image_refuses_the_report_and_saves_nothing(gov):
    root = issued_order(gov).assignment
    head = signed_in(gov.head)
    events = Event.objects.count()
    response = head.post(f"/workspace/orders/control/{root.pk}/report/", {
        "report-text": "Готово", "report-photos": [image("ok.png", "PNG"), fake()]})
    assert response.status_code == 400
    assert "photo.jpg: " in response.content.decode()  # the refused file named, with the reason
    root.refresh_from_db()
    assert root.status == Status.ISSUED and not Report.objects.exists() and not Attachment.objects.exists()
    assert Event.objects.count() == events
    # over htmx the form comes back with the error on the photos
    again = head.post(f"/workspace/orders/control/{root.pk}/report/", {
        "report-text": "Готово", "report-photos": [fake("scan.png")]}, HTTP_HX_REQUEST="true")
    assert again.status_code == 200 and "scan.png: " in again.content.decode() and not Report.objects.exists()


def test_at_most_five_photos(gov):
    root = issued_order(gov).assignment
    with pytest.raises(Exception) as refused:
        control_report(actor=gov.head, assignment=root, text="Готово",
                       photos=[image(f"p{n}.png", "PNG") for n in range(6)])
    assert "At most 5 photos" in str(refused.value)
    assert not Report.objects.exists() and not Attachment.objects.exists()


def test_the_api_takes_photos_multipart(gov):
    root = issued_order(gov).assignment
    api = APIClient()
    api.force_authenticate(gov.head)
    response = api.post(f"/api/v1/orders/assignments/{root.pk}/report/",
                        {"text": "Исполнено", "photos": [image("a.png", "PNG"), image("b.jpg", "JPEG")]},
                        format="multipart")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "reported"
    report = Report.objects.get(assignment=root)
    assert [p.mime_type for p in photos_of(report)] == ["image/png", "image/jpeg"]
    listed = api.get("/api/v1/attachments/", {"target_type": "orders.report", "target_id": report.pk})
    assert listed.status_code == 200 and [p["mime_type"] for p in listed.json()] == ["image/png", "image/jpeg"]


def test_the_api_refuses_a_fake_image_with_nothing_saved(gov):
    root = issued_order(gov).assignment
    api = APIClient()
    api.force_authenticate(gov.head)
    response = api.post(f"/api/v1/orders/assignments/{root.pk}/report/",
                        {"text": "Исполнено", "photos": [fake()]}, format="multipart")
    assert response.status_code == 400
    assert "photos" in str(response.json())
    assert not Report.objects.exists() and not Attachment.objects.exists()
    # photos that are no files at all (JSON strings) are a 400 too
    assert api.post(f"/api/v1/orders/assignments/{root.pk}/report/", {"text": "x", "photos": ["abc", 1]},
                    format="json").status_code == 400
    assert not Report.objects.exists()
    # JSON without photos is as before
    assert api.post(f"/api/v1/orders/assignments/{root.pk}/report/", {"text": "Исполнено"},
                    format="json").status_code == 200


def test_a_stranger_can_neither_report_nor_see_the_photos(gov):
    root = issued_order(gov).assignment
    stranger = signed_in(gov.outsider)
    response = stranger.post(f"/workspace/orders/control/{root.pk}/report/", {
        "report-text": "Чужой отчёт", "report-photos": [image("x.png", "PNG")]})
    assert response.status_code == 404 and not Report.objects.exists() and not Attachment.objects.exists()
    api = APIClient()
    api.force_authenticate(gov.outsider)
    assert api.post(f"/api/v1/orders/assignments/{root.pk}/report/", {"text": "x", "photos": [image("x.png", "PNG")]},
                    format="multipart").status_code == 404
    report = control_report(actor=gov.head, assignment=root, text="Готово", photos=[image("roof.png", "PNG")])
    photo = photos_of(report)[0]
    assert stranger.get(f"/files/{photo.pk}/").status_code == 404
    # and the photos cannot be added to another's report afterwards
    assert not gov.outsider.has_perm("files.add_attachment", report)
    assert gov.head.has_perm("files.add_attachment", report)
    assert not gov.governor.has_perm("files.add_attachment", report)
