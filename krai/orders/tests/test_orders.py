"""Orders on top of the engine: default deadlines by urgency, co-executors, control points, periodic reports."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from krai.core.workcalendar.selectors import add_working_days, is_working_day, previous_working_day
from krai.orders import services
from krai.orders.models import Assignment, Order, Priority
from krai.orders.services.orders import default_deadline, period_dates, quarter_report_date
from krai.orders.tests.factories import TODAY

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("priority,days", [("immediate", 1), ("very_urgent", 1), ("urgent", 3), ("prompt", 10)])
def test_urgency_gives_working_days(gov, priority, days):
    order = services.order_create(actor=gov.governor, title="Срочно", text="Текст", lead_organisation=gov.health,
                                  controller_organisation=gov.control, priority=priority)
    root = services.order_issue(actor=gov.governor, order=order).assignment
    assert root.deadline == add_working_days(TODAY, days)


def test_monthly_and_quarterly_defaults():
    assert default_deadline(Priority.MONTHLY, date(2026, 3, 17)) == previous_working_day(date(2026, 4, 10))
    assert quarter_report_date(date(2026, 2, 1)) == date(2026, 4, 10)
    assert quarter_report_date(date(2026, 12, 31)) == date(2027, 1, 10)
    ordinary = default_deadline(Priority.ORDINARY, date(2026, 3, 17))
    assert ordinary <= date(2026, 4, 16) and is_working_day(ordinary)


def test_period_dates_monthly():
    dates = period_dates(Order.Period.MONTHLY, date(2026, 1, 20), date(2026, 6, 30))
    assert len(dates) == 5 and all(d.day <= 10 for d in dates)


def test_co_executors_and_control_points(gov):
    point = TODAY + timedelta(days=7)
    order = services.order_create(actor=gov.governor, title="Комплексное поручение", text="Текст",
                                  lead_organisation=gov.health, controller_organisation=gov.control, working_days=20,
                                  co_executors=[(gov.finance, gov.finance_head)], control_points=[("Этап 1", point)])
    order = services.order_issue(actor=gov.governor, order=order)
    root = order.assignment
    parts = list(root.children.order_by("id"))
    assert [p.executor_organisation_id for p in parts] == [gov.finance.pk, gov.health.pk]
    assert parts[1].deadline == previous_working_day(point)
    # the co-executor sees his part and the order, and reports on it
    assert gov.finance_head.has_perm("orders.view_order", order)
    services.control_report(actor=gov.finance_head, assignment=parts[0], text="Свою часть исполнили")


def test_periodic_order_gets_a_point_per_period(gov):
    until = TODAY + timedelta(days=200)
    order = services.order_create(actor=gov.governor, title="Ежемесячный доклад", text="Докладывать",
                                  lead_organisation=gov.health, controller_organisation=gov.control,
                                  period="monthly", period_until=until, priority="monthly")
    order = services.order_issue(actor=gov.governor, order=order)
    assert order.assignment.deadline == previous_working_day(until)
    assert order.assignment.children.count() == len(period_dates("monthly", TODAY, order.assignment.deadline)) >= 5


def test_draft_rules_and_bad_orders(gov):
    with pytest.raises(PermissionDenied):
        services.order_create(actor=gov.executor, title="x", text="y", lead_organisation=gov.health,
                              controller_organisation=gov.control)
    with pytest.raises(ValidationError):
        services.order_create(actor=gov.governor, title="x", text="y", lead_organisation=gov.health,
                              controller_organisation=gov.control, period="monthly")
    # a vice-governor may not give orders outside his block; the draft stays a draft
    draft = services.order_create(actor=gov.vice, title="x", text="y", lead_organisation=gov.finance,
                                  controller_organisation=gov.control, working_days=5)
    with pytest.raises(PermissionDenied):
        services.order_issue(actor=gov.vice, order=draft)
    draft.refresh_from_db()
    assert draft.is_draft and Assignment.objects.count() == 0
    with pytest.raises(PermissionDenied):
        services.order_issue(actor=gov.governor, order=draft)  # not his draft
    # a control point after the order's deadline is refused whole
    bad = services.order_create(actor=gov.governor, title="x", text="y", lead_organisation=gov.health,
                                controller_organisation=gov.control, working_days=5,
                                control_points=[("Поздно", TODAY + timedelta(days=60))])
    with pytest.raises(ValidationError):
        services.order_issue(actor=gov.governor, order=bad)
    bad.refresh_from_db()
    assert bad.is_draft and Assignment.objects.count() == 0
