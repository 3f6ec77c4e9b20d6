"""Reports as assignments of the control engine, alerts, orders from a deviation, and the import of a report."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from krai.core.imports import services as imports
from krai.core.imports.schema import ImportRejected
from krai.core.notifications.models import Notification
from krai.monitoring.indicators import selectors, services
from krai.monitoring.indicators.models import ActualValue, LatestActual, Report
from krai.monitoring.indicators.tests.helpers import indicator
from krai.orders import dashboard
from krai.orders.models import Assignment
from krai.orders.selectors import control_for_subject
from krai.orders.tests.factories import government
from krai.org.tests.factories import MunicipalityFactory

TODAY = timezone.localdate()


@pytest.fixture
def gov(db):
    return government()


def _health_row(user, block):
    load = dashboard.control_load(user=user, level="block", block=block.pk)
    return next(r for r in load.rows if r.label == "Министерство здравоохранения")


def test_a_late_report_is_overdue_on_the_orders_dashboard_until_submitted(gov):
    ind = indicator(gov.health, "beds", plans=[(None, TODAY.year, 0, 100)])
    month_ago = TODAY - timedelta(days=40)
    report = services.report_schedule(actor=None, organisation=gov.health, year=month_ago.year,
                                      month=month_ago.month, due_on=TODAY - timedelta(days=9))
    assignment = Assignment.objects.get(pk=report.assignment_id)
    assert (assignment.kind, assignment.executor_organisation, assignment.deadline) == (
        "monitoring.report", gov.health, report.due_on)
    assert report in selectors.overdue_reports(gov.head)

    row = _health_row(gov.head, gov.social)
    assert (row.open, row.overdue) == (1, 1)

    services.report_submit(actor=gov.head, report=report, values=[(ind, None, 40)])
    assignment.refresh_from_db()
    assert assignment.status == "done" and assignment.completed_on == TODAY
    row = _health_row(gov.head, gov.social)
    assert (row.open, row.overdue, row.late, row.done) == (0, 0, 1, 1)  # executed, after the deadline


def test_submitting_keeps_the_latest_actual_and_a_resubmission_replaces_values(gov):
    ind = indicator(gov.health, "beds", plans=[(None, 2025, 0, 120)])
    place = MunicipalityFactory()
    old = services.report_schedule(actor=None, organisation=gov.health, year=2025, month=5, due_on=date(2025, 6, 10))
    new = services.report_schedule(actor=None, organisation=gov.health, year=2025, month=6, due_on=date(2025, 7, 10))
    services.report_submit(actor=None, report=new, values=[(ind, None, 60), (ind, place, 6)], on=date(2025, 7, 9))
    services.report_submit(actor=None, report=old, values=[(ind, None, 50)], on=date(2025, 7, 9))  # an older month
    latest = LatestActual.objects.get(indicator=ind, municipality__isnull=True)
    assert (latest.month, latest.value, latest.report_id) == (6, Decimal(60), new.pk)
    services.report_submit(actor=None, report=new, values=[(ind, None, 61)], on=date(2025, 7, 11))
    assert list(ActualValue.objects.filter(report=new).values_list("value", flat=True)) == [Decimal(61)]
    assert LatestActual.objects.get(indicator=ind, municipality__isnull=True).value == Decimal(61)


def test_who_may_submit_and_what(gov):
    ind = indicator(gov.health, "beds", plans=[(None, 2025, 0, 120)])
    other = indicator(gov.finance, "tax", plans=[(None, 2025, 0, 120)])
    report = services.report_schedule(actor=None, organisation=gov.health, year=2025, month=5,
                                      due_on=date(2025, 6, 10))
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=gov.finance_head, report=report, values=[(ind, None, 1)])
    with pytest.raises(ValidationError):
        services.report_submit(actor=gov.executor, report=report, values=[(other, None, 1)])
    with pytest.raises(ValidationError):
        services.report_submit(actor=gov.executor, report=report, values=[(ind, None, "много")])
    services.report_submit(actor=gov.executor, report=report, values=[(ind, None, "12,5")])
    assert Report.objects.get(pk=report.pk).submitted_by == gov.executor


def test_the_owner_is_alerted_when_a_deviation_crosses_a_threshold(gov):
    ind = indicator(gov.health, "beds", owner_user=gov.head, plans=[(None, 2025, 0, 1200)])
    services.report_submit(actor=None, values=[(ind, None, 100)], on=date(2025, 2, 5),  # 100 vs 100: on plan
                           report=services.report_schedule(actor=None, organisation=gov.health, year=2025, month=1,
                                                           due_on=date(2025, 2, 10)))
    assert not Notification.objects.filter(kind=services.ALERT).exists()
    services.report_submit(actor=None, values=[(ind, None, 160)], on=date(2025, 3, 5),  # 160 vs 200: −20 %
                           report=services.report_schedule(actor=None, organisation=gov.health, year=2025, month=2,
                                                           due_on=date(2025, 3, 10)))
    alert = Notification.objects.get(kind=services.ALERT)
    assert alert.user == gov.head and "20.0" in alert.title and alert.url.endswith("/i/beds/")


def test_an_order_from_a_deviation_goes_to_the_owner_organisation(gov):
    ind = indicator(gov.health, "beds", plans=[(None, 2025, 0, 1200)])
    with pytest.raises(PermissionDenied):
        services.deviation_order(actor=gov.finance_head, indicator=ind, deadline=TODAY + timedelta(days=30))
    assignment = services.deviation_order(actor=gov.vice, indicator=ind, deadline=TODAY + timedelta(days=30))
    assert (assignment.kind, assignment.executor_organisation) == ("monitoring.indicator", gov.health)
    assert control_for_subject(ind) == assignment


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("report.csv", text.encode("utf-8"), content_type="text/csv")


def test_an_import_with_a_broken_row_names_row_and_column_and_stores_nothing(gov):
    indicator(gov.health, "beds", plans=[(None, 2025, 0, 120)])
    place = MunicipalityFactory(code="sochi")
    report = services.report_schedule(actor=None, organisation=gov.health, year=2025, month=5,
                                      due_on=date(2025, 6, 10))
    for broken, column in (("beds;;10\nbeds;sochi;abc\n", "Значение"), ("beds;;10\nbeds;nowhere;3\n",
                                                                          "Код муниципалитета"),
                           ("beds;;10\ntax;;3\n", "Код показателя")):
        with pytest.raises(ImportRejected) as caught:
            imports.run(actor=gov.head, kind="indicators.report", options={"report": report.pk},
                        upload=_csv("Код показателя;Код муниципалитета;Значение\n" + broken))
        assert [(e.row, e.column) for e in caught.value.errors] == [(3, column)]
        assert not ActualValue.objects.exists() and Report.objects.get(pk=report.pk).status == "due"

    good = "Код показателя;Код муниципалитета;Значение\nbeds;;10\nbeds;sochi;2.5\n"
    imports.run(actor=gov.head, kind="indicators.report", upload=_csv(good), options={"report": report.pk})
    assert sorted(ActualValue.objects.values_list("value", "municipality")) == [
        (Decimal("2.5"), place.pk), (Decimal(10), None)]
    assert Report.objects.get(pk=report.pk).status == "submitted"


def test_who_may_create_an_indicator_and_set_its_plan(gov):
    fields = {"code": "new-1", "name": "Новый", "unit": "ед.", "owner_organisation": gov.health}
    with pytest.raises(PermissionDenied):
        services.indicator_create(actor=gov.finance_head, **fields)
    made = services.indicator_create(actor=gov.head, **fields)
    with pytest.raises(ValidationError):
        services.indicator_create(actor=gov.controller, **fields)  # the code is taken
    with pytest.raises(ValidationError):
        services.plan_set(actor=gov.head, indicator=made, act="Приказ", valid_from=date(2025, 1, 1),
                          values=[(None, 2025, 0, 1), (None, 2025, 0, 2)])  # the same period twice
    version = services.plan_set(actor=gov.controller, indicator=made, act="Приказ", valid_from=date(2025, 1, 1),
                                values=[(None, 2025, 0, 1)])
    assert version.number == 1
