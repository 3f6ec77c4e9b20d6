"""An official's phone (390 px): my day opens with his assignments and fits the screen (and a 1280 px one); he follows
an assignment's "report" link, writes the report, takes a photo (the file input with the camera) and sends it; the
report arrives with its photo, shown as a thumbnail with the report."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from tests.browser.conftest import screenshot
from tests.browser.helpers import WIDE, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (60, 140, 70)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def gov(transactional_db):
    from krai.orders.tests.factories import government

    return government()


def _fits(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"scrolls sideways by {overflow}px: {page.evaluate(WIDE)}"


def test_from_my_day_a_report_with_a_photo_on_a_phone(page, live_server, gov):
    from krai.core.files.models import Attachment
    from krai.core.workcalendar.selectors import previous_working_day
    from krai.orders.models import Report, Status
    from krai.orders.tests.factories import TODAY, issued_order
    from krai.planner.tests.factories import EntryFactory

    due = previous_working_day(TODAY + timedelta(days=3))  # due in the next days (a deadline is a working day)
    if due < TODAY:
        pytest.skip("no working day in the next three days (holidays)")
    root = issued_order(gov, deadline=due).assignment
    EntryFactory(owner=gov.head, title="Планёрка у министра")
    base = live_server.url
    sign_in(page, live_server, gov.head)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/workspace/planner/today/")
    _fits(page)
    screenshot(page, "planner-today-1280")
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/workspace/planner/today/")
    page.wait_for_selector("#krai-today-due")
    _fits(page)
    screenshot(page, "planner-today-phone")
    assert page.locator("#krai-today-voice").is_visible()
    assert page.locator("#krai-planner-quick[data-krai-offline]").count() == 1

    # the assignment's "report" link opens its page at the report form
    with page.expect_navigation():
        page.locator(f"#krai-today-due a[href$='/control/{root.pk}/#orders-action-report']").click()
    form = page.locator("#orders-action-report")
    assert form.get_attribute("enctype") == "multipart/form-data" and form.get_attribute("data-krai-offline")
    photos = form.locator("input[type=file]")
    assert photos.get_attribute("capture") == "environment" and photos.get_attribute("accept") == "image/*"
    _fits(page)
    form.locator("textarea").fill("Крыша поликлиники отремонтирована, фото прилагаю.")
    photos.set_input_files(files=[{"name": "roof.jpg", "mimeType": "image/jpeg", "buffer": _jpeg()}])
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    report = Report.objects.get(assignment=root)
    root.refresh_from_db()
    assert root.status == Status.REPORTED
    photo = Attachment.objects.get(object_id=str(report.pk), content_type__model="report")
    assert photo.mime_type == "image/jpeg" and photo.original_name == "roof.jpg"
    thumbnail = page.locator(f".krai-report-photos[data-report='{report.pk}'] img")
    assert thumbnail.get_attribute("src") == f"/files/{photo.pk}/"
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    _fits(page)
    screenshot(page, "orders-report-photo-phone")
    assert page.js_errors == []
