"""The pages and the API of the indicators monitor, as the people who use them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from krai.monitoring.indicators import services
from krai.monitoring.indicators.models import Report
from krai.monitoring.indicators.tests.helpers import indicator, submitted
from krai.orders.tests.factories import government

TODAY = timezone.localdate()


@pytest.fixture
def world(db):
    gov = government()
    beds = indicator(gov.health, "beds", plans=[(None, 2025, 0, 1200)], national_project="Здравоохранение")
    tax = indicator(gov.finance, "tax", kind="level", plans=[(None, 2025, 0, 50)])
    march = submitted(gov.health, 2025, 3, [(beds, 270)], on=date(2025, 4, 8))
    submitted(gov.finance, 2025, 3, [(tax, 40)], on=date(2025, 4, 8))
    due = services.report_schedule(actor=None, organisation=gov.health, year=TODAY.year, month=TODAY.month,
                                   due_on=TODAY + timedelta(days=20))
    return gov, beds, march, due


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_head_sees_his_organisation_drills_down_and_submits(world):
    gov, beds, march, due = world
    page = signed_in(gov.head).get("/workspace/monitoring/indicators/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "beds" in html and "tax" not in html and "-10,0" in html
    assert f"/workspace/monitoring/indicators/reports/{march.pk}/" in html
    assert signed_in(gov.head).get(f"/workspace/monitoring/indicators/reports/{march.pk}/").status_code == 200
    form = signed_in(gov.head).get(f"/workspace/monitoring/indicators/reports/{due.pk}/submit/")
    assert f'name="v{beds.pk}"' in form.content.decode()
    answer = signed_in(gov.head).post(f"/workspace/monitoring/indicators/reports/{due.pk}/submit/",
                                      {f"v{beds.pk}": "1234.5"})
    assert answer.status_code == 302
    assert Report.objects.get(pk=due.pk).status == "submitted"


def test_the_governor_sees_the_region_and_a_past_date(world):
    gov, *_ = world
    html = signed_in(gov.governor).get("/workspace/monitoring/indicators/", {"as_of": "2025-04-30"}).content.decode()
    assert "beds" in html and "tax" in html and "-20,0" in html


def test_others_reports_are_missing_and_the_indicator_page_draws_a_chart(world):
    gov, _beds, march, _due = world
    assert signed_in(gov.finance_head).get(f"/workspace/monitoring/indicators/reports/{march.pk}/").status_code == 404
    assert signed_in(gov.finance_head).get("/workspace/monitoring/indicators/i/beds/").status_code == 404
    html = signed_in(gov.head).get("/workspace/monitoring/indicators/i/beds/").content.decode()
    assert 'id="ind-chart-data"' in html and "2025-03" in html
    empty = signed_in(gov.outsider).get("/workspace/monitoring/indicators/").content.decode()
    assert "beds" not in empty and "ind-table" not in empty


def test_a_resident_is_refused(world, citizen):
    assert signed_in(citizen).get("/workspace/monitoring/indicators/").status_code == 403
    assert signed_in(citizen).get("/api/v1/monitoring/indicators/").status_code == 403


def test_an_order_from_the_indicator_page(world):
    gov, *_ = world
    answer = signed_in(gov.vice).post("/workspace/monitoring/indicators/i/beds/order/",
                                      {"deadline": (TODAY + timedelta(days=30)).isoformat(), "text": "Догнать"})
    assert answer.status_code == 302 and "/workspace/orders/" in answer["Location"]


def test_the_api_lists_deviations_and_takes_a_report(world):
    gov, _beds, march, due = world
    client = signed_in(gov.head)
    rows = client.get("/api/v1/monitoring/indicators/", {"as_of": "2025-04-30"}).json()["results"]
    assert [(r["code"], r["deviation"], r["colour"], r["report"]) for r in rows] == [
        ("beds", "-10.0", "warn", march.pk)]
    detail = client.get("/api/v1/monitoring/indicators/beds/").json()
    assert detail["plan_versions"][0]["values"][0]["value"] == "1200.0000"
    refused = client.post(f"/api/v1/monitoring/indicator-reports/{due.pk}/submit/",
                          {"values": [{"indicator": "tax", "value": 1}]}, content_type="application/json")
    assert refused.status_code == 400 and "values[0].indicator" in refused.json()["error"]["fields"]
    ok = client.post(f"/api/v1/monitoring/indicator-reports/{due.pk}/submit/",
                     {"values": [{"indicator": "beds", "value": "99.5"}]}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "submitted"
    listed = client.get("/api/v1/monitoring/indicator-reports/").json()["results"]
    assert {r["id"] for r in listed} == {march.pk, due.pk}
