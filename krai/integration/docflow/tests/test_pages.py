"""The document-flow pages as a controller and an administrator meet them: the upload (a package of three items
becomes three orders listed with links; a malformed one shows its errors and makes nothing; a form without a
file shows the error by its field), the list paged and filtered, a package's page with items → orders and the
answers with a "send again", the channel settings (administrators only), and who gets 403/404."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from krai.integration.docflow.models import DocflowAnswer, DocflowChannel, DocflowPackage
from krai.integration.docflow.services.packages import package_import
from krai.integration.docflow.tests.conftest import counts, sample
from krai.integration.docflow.tests.test_answers import _handle_events
from krai.orders.models import Order

pytestmark = pytest.mark.django_db


def _upload(client, gov, name: str, content: bytes | None = None):
    return client.post(reverse("docflow:upload"), {
        "system": gov.system.pk, "file": SimpleUploadedFile(name, content or sample(name), "application/xml")})


def test_an_upload_of_three_items_lists_the_three_orders(client, gov):
    client.force_login(gov.controller)
    assert client.get(reverse("docflow:upload")).status_code == 200

    response = _upload(client, gov, "valid_three_items.xml")

    package = DocflowPackage.objects.get()
    assert response.status_code == 302 and response.url == reverse("docflow:package", args=[package.pk])
    page = client.get(response.url).content.decode()
    assert "The package is accepted: 3 orders issued." in page
    for order in Order.objects.all():
        assert reverse("orders:order", args=[order.pk]) in page and order.number in page
    assert package.channel == "upload" and package.received_by == gov.controller


def test_a_malformed_upload_shows_its_errors_and_makes_nothing(client, gov):
    client.force_login(gov.controller)
    before = counts()

    response = _upload(client, gov, "invalid_schema.xml")

    page = client.get(response.url).content.decode()
    assert "The package is refused; nothing was imported." in page
    assert "Line 27, &lt;deadline&gt;: the value “2031-13-45” is not allowed here" in page
    assert counts() == before


def test_a_zip_upload(client, gov):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("passport.xml", sample("valid_three_items.xml"))
    client.force_login(gov.controller)
    _upload(client, gov, "package.zip", buffer.getvalue())
    assert Order.objects.count() == 3


def test_form_errors_by_field_change_nothing(client, gov):
    client.force_login(gov.controller)
    response = client.post(reverse("docflow:upload"), {"system": gov.system.pk})
    assert response.status_code == 400 and response.context["form"].errors["file"]
    response = _upload(client, gov, "notes.txt", b"hello")
    assert response.status_code == 400 and "Upload an .xml package" in response.content.decode()
    assert not DocflowPackage.objects.exists()


def test_who_may_open_the_pages(client, gov):
    package = package_import(actor=gov.controller, system=gov.system, content=sample("valid_three_items.xml"),
                             channel="upload").package
    client.force_login(gov.outsider)
    assert client.get(reverse("docflow:home")).status_code == 403
    assert client.get(reverse("docflow:upload")).status_code == 403
    assert client.get(reverse("docflow:package", args=[package.pk])).status_code == 403
    client.force_login(gov.controller)
    assert client.get(reverse("docflow:package", args=[package.pk + 100])).status_code == 404
    assert client.get(reverse("docflow:channels")).status_code == 403


def test_the_list_is_paged_and_filtered(client, gov):
    for n in range(32):
        package_import(actor=gov.controller, system=gov.system, channel="upload",
                       content=sample("invalid_schema.xml").replace(b"2026-0143", f"2026-9{n:03d}".encode()))
    package_import(actor=gov.controller, system=gov.system, content=sample("valid_three_items.xml"), channel="upload")
    client.force_login(gov.controller)

    first = client.get(reverse("docflow:home")).content.decode()
    second = client.get(reverse("docflow:home") + "?page=2").content.decode()
    accepted = client.get(reverse("docflow:home") + "?status=accepted").content.decode()

    assert first.count("docflow/packages/") == 30 and second.count("docflow/packages/") == 3
    assert "sed-social-2026-0142" in accepted and "sed-social-2026-9000" not in accepted
    assert 'href="?status=accepted&amp;page=' not in accepted  # one page: no pager


def test_the_package_page_shows_answers_and_sends_a_failed_one_again(client, gov):
    package = package_import(actor=gov.controller, system=gov.system, content=sample("valid_three_items.xml"),
                             channel="upload").package
    _handle_events()
    DocflowAnswer.objects.update(status="failed", attempts=10, last_error="HTTP 503: <b>down</b>")
    answer = DocflowAnswer.objects.first()
    client.force_login(gov.controller)

    page = client.get(reverse("docflow:package", args=[package.pk])).content.decode()
    assert page.count("Send again") == 3 and "&lt;b&gt;down&lt;/b&gt;" in page

    response = client.post(reverse("docflow:answer_retry", args=[answer.pk]))
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.status == "pending"


def test_user_text_is_escaped(client, gov):
    content = sample("valid_three_items.xml").replace(
        "Организовать ремонт кровли".encode(),
        "<![CDATA[<script>alert(1)</script>]]> Организовать ремонт кровли".encode())
    package = package_import(actor=gov.controller, system=gov.system, content=content, channel="upload").package
    client.force_login(gov.controller)
    page = client.get(reverse("docflow:package", args=[package.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_an_administrator_sets_a_channel(client, gov):
    DocflowChannel.objects.all().delete()
    client.force_login(gov.admin)
    assert "Not set up" in client.get(reverse("docflow:channels")).content.decode()
    url = reverse("docflow:channel", args=[gov.system.pk])
    assert client.get(url).status_code == 200

    bad = client.post(url, {"issuer": gov.outsider.pk, "controller_organisation": gov.control.pk,
                            "priority": "ordinary"})
    assert bad.status_code == 400 and "issuer" in bad.context["form"].errors
    assert not DocflowChannel.objects.exists()

    response = client.post(url, {"issuer": gov.vice.pk, "controller_organisation": gov.control.pk,
                                 "priority": "urgent", "is_active": "on"})
    assert response.status_code == 302
    channel = DocflowChannel.objects.get()
    assert (channel.issuer, channel.controller_organisation, channel.priority) == (gov.vice, gov.control, "urgent")


def test_channel_save_refuses_and_records(gov):
    from django.core.exceptions import PermissionDenied, ValidationError

    from krai.core.events.models import Event
    from krai.integration.docflow.services.channels import channel_save

    with pytest.raises(PermissionDenied):
        channel_save(actor=gov.controller, system=gov.system, issuer=gov.vice, controller_organisation=gov.control,
                     priority="ordinary")
    with pytest.raises(ValidationError) as caught:
        channel_save(actor=gov.admin, system=gov.system, issuer=gov.outsider, controller_organisation=gov.control,
                     priority="someday")
    assert set(caught.value.message_dict) == {"issuer", "priority"}
    channel = channel_save(actor=gov.admin, system=gov.system, issuer=gov.minister,
                           controller_organisation=gov.control, priority="prompt", is_active=False)
    assert (channel.pk, channel.issuer, channel.is_active) == (gov.channel.pk, gov.minister, False)
    assert Event.objects.filter(kind="docflow.channel_saved", subject_id=str(channel.pk)).exists()
