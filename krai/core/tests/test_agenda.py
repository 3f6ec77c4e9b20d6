"""The agenda registry: every area's ``agenda.items`` is found, and their items come back as one day-ordered list."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from krai.core import agenda
from krai.core.agenda import AgendaItem
from krai.monitoring.lawsuits import services as lawsuits
from krai.orders.tests.factories import TODAY, government, issued_order
from krai.projects.tests.helpers import item, project


def test_every_area_with_an_agenda_module_is_a_provider():
    labels = [label for label, _provider in agenda.providers()]
    assert {"orders", "lawsuits", "projects", "lawmaking"} <= set(labels)
    assert len(labels) == len(set(labels))
    assert "core" not in labels  # krai.core's own agenda module is the registry, not a provider


def _item(key: str, start: date | datetime) -> AgendaItem:
    return AgendaItem(key=key, area="test", kind="test", title=key, start=start, url="/")


def test_items_are_ordered_by_local_day_whole_days_first_then_by_time(monkeypatch):
    day = date(2026, 3, 10)
    local = timezone.get_current_timezone()
    late_evening_utc = datetime(2026, 3, 9, 22, 30, tzinfo=UTC)  # 01:30 on the 10th in Moscow
    rows = [_item("noon", datetime.combine(day, time(12), tzinfo=local)), _item("deadline-b", day),
            _item("early", late_evening_utc), _item("deadline-a", day), _item("day-before", day - timedelta(days=1))]
    monkeypatch.setattr(agenda, "providers", lambda: [("one", lambda *args: rows[:2]),
                                                      ("two", lambda *args: rows[2:])])
    found = agenda.agenda_items(None, datetime(2026, 3, 9, tzinfo=local), datetime(2026, 3, 11, tzinfo=local))
    assert [row.key for row in found] == ["day-before", "deadline-a", "deadline-b", "early", "noon"]


@pytest.mark.django_db
def test_the_planner_of_one_person_gathers_his_items_from_every_area_in_order():
    gov = government()
    person = gov.executor
    order = issued_order(gov, lead=gov.subunit, lead_user=person, deadline=TODAY + timedelta(days=20))
    day = order.assignment.deadline
    case = lawsuits.case_create(actor=gov.unit_head, organisation=gov.subunit, number="А32-7/2026", court="АС КК",
                                our_side="defendant", filed_on=TODAY - timedelta(days=30), lawyer=person,
                                amount_claimed=Decimal("1"))
    hearing = lawsuits.hearing_add(actor=person, case=case,
                                   starts_at=timezone.make_aware(datetime.combine(day, time(1, 30))))
    proj = project(gov, starts_on=TODAY - timedelta(days=10), ends_on=TODAY + timedelta(days=300))
    task = item(proj, "Задача", TODAY, day - timedelta(days=1), responsible=person)
    start = timezone.make_aware(datetime.combine(TODAY, time.min))
    found = agenda.agenda_items(person, start, start + timedelta(days=40))
    assert [row.key for row in found] == [f"projects:item:{task.pk}", f"orders:deadline:{order.assignment.pk}",
                                          f"lawsuits:hearing:{hearing.pk}"]
    # someone else's planner holds none of it
    assert agenda.agenda_items(gov.finance_head, start, start + timedelta(days=40)) == []
