"""The dashboard's PDF export: a real PDF with DejaVu Sans embedded, Cyrillic text extractable, the page's rows."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import Client

from krai.orders import export
from krai.orders.tests.factories import TODAY, issued_order

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _text(content: bytes) -> str:
    pypdf = pytest.importorskip("pypdf")  # a dev dependency (requested); the byte checks below run without it
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_dashboard_pdf_has_cyrillic_font_and_the_rows(gov):
    issued_order(gov, deadline=TODAY - timedelta(days=3), issued_on=TODAY - timedelta(days=20))  # overdue
    issued_order(gov, lead=gov.finance)
    since = TODAY - timedelta(days=400)
    r = signed_in(gov.governor).get("/workspace/orders/dashboard/", {"format": "pdf",
                                                                     "period_from": since.isoformat()})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith('attachment; filename="dashboard-')
    assert r.content.startswith(b"%PDF") and b"DejaVu" in r.content
    text = _text(r.content)
    # the region level: one row per block, in Russian
    assert "Социальный блок" in text and "Экономический блок" in text
    # the worst overdue list names the executor organisation
    assert "Министерство здравоохранения" in text
    assert f"{since:%d.%m.%Y}" in text and f"{TODAY:%d.%m.%Y}" in text  # the filter applied; the date


def test_dashboard_pdf_at_body_level_shows_the_same_rows_as_the_page(gov):
    order = issued_order(gov)
    head = signed_in(gov.head)
    page = head.get("/workspace/orders/dashboard/", {"level": "body", "body": gov.health.pk})
    assert page.status_code == 200 and b"format=pdf" in page.content
    pdf = head.get("/workspace/orders/dashboard/", {"level": "body", "body": gov.health.pk, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = _text(pdf.content)
    assert "Министерство здравоохранения" in text  # the drill-down path
    assert order.assignment.executor_organisation.name in text


def test_dashboard_pdf_is_refused_to_who_may_not_see_the_dashboard(gov):
    assert signed_in(gov.executor).get("/workspace/orders/dashboard/", {"format": "pdf"}).status_code == 403


def test_uncompressed_pdf_embeds_the_font(gov):
    from krai.orders import dashboard

    issued_order(gov)
    load = dashboard.control_load(user=gov.governor, level="region")
    r = export.dashboard_pdf(load, level_label="Блок", filters=[("Срочность", "обычное")], worst=[], compress=False)
    assert r.content.startswith(b"%PDF")
    assert b"/FontFile2" in r.content and b"DejaVuSans" in r.content  # a TrueType subset, embedded


def test_missing_font_is_a_clear_error(tmp_path):
    with pytest.raises(export.FontMissing, match="fonts-dejavu-core"):
        export.find_font("DejaVuSans.ttf", dirs=(str(tmp_path),))
    (tmp_path / "DejaVuSans.ttf").write_bytes(b"")
    assert export.find_font("DejaVuSans.ttf", dirs=(str(tmp_path),)) == tmp_path / "DejaVuSans.ttf"
