"""Staff completeness: fill rates from dates, versions, vacancies, risks, orders, permissions, erasure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from krai.core.privacy import erase_person
from krai.monitoring.staffing import rates, selectors, services
from krai.monitoring.staffing.models import Employment, StaffingTable, Vacancy
from krai.monitoring.staffing.tests.factories import make_body
from krai.orders.models import Assignment
from krai.org.models import Role
from krai.org.tests.factories import StaffFactory, UserFactory, assign

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_fill_rate_counts_leave_but_not_acting_and_caps_each_position():
    b = make_body()
    services.employment_record(actor=b.head, position=b.lead, person_name="Акимов А. А.", started_on=D(2025, 2, 1),
                               on_leave=True)
    services.employment_record(actor=b.head, position=b.spec, person_name="Врио", started_on=D(2025, 2, 1),
                               acting=True)
    services.employment_record(actor=b.head, position=b.half, person_name="Борисов", rate="0.5",
                               started_on=D(2025, 2, 1))
    result = selectors.fill_rates(b.head, organisation=b.body.code, on=D(2025, 3, 1))
    assert result["level"] == "unit"
    by_unit = {row.key: row for row in result["rows"]}
    assert (by_unit[b.unit_a.pk].planned, by_unit[b.unit_a.pk].filled) == (Decimal("2"), Decimal("1"))
    assert by_unit[b.unit_b.pk].percent == 100
    assert result["total"].percent == 60  # 1.5 of 2.5
    assert by_unit[b.unit_a.pk].extra["low"] and not by_unit[b.unit_b.pk].extra["low"]
    # two people on one full rate still fill it once
    assert rates.filled_rate(Decimal("1"), [rates.EmploymentRow(1, Decimal("1"), D(2025, 1, 1), None, False)] * 2,
                             D(2025, 5, 1)) == Decimal("1")


def test_history_is_computed_from_dates_and_the_table_in_force_each_month():
    b = make_body()
    e = services.employment_record(actor=b.head, position=b.spec, person_name="Сергеев", started_on=D(2025, 2, 10))
    services.employment_end(actor=b.head, employment=e, ended_on=D(2025, 4, 15))
    assert Vacancy.objects.get(staff_position=b.spec, closed_on__isnull=True).opened_on == D(2025, 4, 16)
    services.table_create(actor=b.head, organisation=b.body, act_number="2-шр", act_date=D(2025, 5, 20),
                          valid_from=D(2025, 6, 1), positions=[{"unit": b.unit_a, "title": "Специалист"}])
    rows = {row["on"]: row for row in selectors.history(b.head, today=D(2025, 6, 15), months=6)}
    assert rows[D(2025, 1, 31)]["filled"] == 0 and rows[D(2025, 1, 31)]["planned"] == Decimal("2.5")
    assert rows[D(2025, 2, 28)]["filled"] == 1 and rows[D(2025, 3, 31)]["percent"] == 40
    assert rows[D(2025, 4, 30)]["filled"] == 0
    assert rows[D(2025, 6, 15)]["planned"] == 1  # the new version, in force from June


def test_a_new_version_copies_forward_and_carries_open_employments_and_vacancies():
    b = make_body()
    services.employment_record(actor=b.head, position=b.lead, person_name="Лидин", started_on=D(2025, 1, 5))
    services.vacancy_open(actor=b.head, position=b.spec, opened_on=D(2025, 1, 2))
    new = services.table_create(actor=b.head, organisation=b.body, act_number="2-шр", act_date=None,
                                valid_from=D(2025, 7, 1))
    assert list(StaffingTable.objects.filter(organisation=b.body, is_current=True)) == [new]
    assert new.positions.count() == 3
    lead = new.positions.get(title="Начальник отдела")
    assert lead.employments.get().started_on == D(2025, 1, 5) and lead.critical
    assert new.positions.get(title="Специалист").vacancies.get().opened_on == D(2025, 1, 2)
    with pytest.raises(ValidationError):
        services.vacancy_open(actor=b.head, position=b.half)  # the old table is superseded
    with pytest.raises(ValidationError):
        services.table_create(actor=b.head, organisation=b.body, act_number="0", act_date=None,
                              valid_from=D(2025, 6, 1))


def test_an_appointment_closes_the_vacancy_and_validation_refuses_nonsense():
    b = make_body()
    vacancy = services.vacancy_open(actor=b.head, position=b.lead, opened_on=D(2025, 1, 10))
    assert vacancy.critical  # from the position
    with pytest.raises(ValidationError):
        services.vacancy_open(actor=b.head, position=b.lead)
    with pytest.raises(ValidationError):
        services.employment_record(actor=b.head, position=b.lead, person_name="X", rate="2")
    with pytest.raises(ValidationError):
        services.employment_record(actor=b.head, position=b.lead, person_name="")
    services.employment_record(actor=b.head, position=b.lead, person_name="Новиков", started_on=D(2025, 3, 1))
    vacancy.refresh_from_db()
    assert vacancy.closed_on == D(2025, 3, 1)
    with pytest.raises(ValidationError):
        services.vacancy_close(actor=b.head, vacancy=vacancy)
    other = services.vacancy_open(actor=b.head, position=b.half, opened_on=D(2025, 3, 1))
    with pytest.raises(ValidationError):
        services.vacancy_close(actor=b.head, vacancy=other, closed_on=D(2025, 2, 1))
    services.vacancy_close(actor=b.head, vacancy=other, closed_on=D(2025, 3, 5))


def test_risks_list_overdue_critical_vacancies_and_one_becomes_an_order(settings):
    settings.KRAI_STAFF_CRITICAL_VACANCY_DAYS = 30
    b = make_body()
    today = dt.date.today()
    late = services.vacancy_open(actor=b.head, position=b.lead, opened_on=today - dt.timedelta(days=31))
    services.vacancy_open(actor=b.head, position=b.spec, opened_on=today - dt.timedelta(days=90), critical=False)
    risks = selectors.risks(b.head)
    assert [v.pk for v in risks["vacancies"]] == [late.pk] and risks["vacancies"][0].days_open == 31
    assert {row.key for row in risks["units"]} == {b.unit_a.pk, b.unit_b.pk}
    assignment = services.vacancy_to_order(actor=b.head, vacancy=late)
    assert Assignment.objects.get(pk=assignment.pk).kind == "monitoring.staffing"
    assert assignment.executor_organisation_id == b.body.pk
    assert selectors.risks(b.head)["vacancies"][0].assignment_id == assignment.pk  # the risk shows its order
    with pytest.raises(ValidationError):
        services.vacancy_to_order(actor=b.head, vacancy=late)  # one open order per finding


def test_reads_are_scoped_and_writes_need_a_head_of_the_body():
    b = make_body()
    stranger, executor, unit_head = StaffFactory(), StaffFactory(), StaffFactory()
    assign(executor, Role.EXECUTOR, organisation=b.body)
    assign(unit_head, Role.HEAD, organisation=b.unit_a)
    assert selectors.fill_rates(stranger)["total"].positions == 0
    assert selectors.fill_rates(executor)["total"].positions == 3
    assert {p.pk for p in selectors.positions_visible_to(unit_head)} == {b.lead.pk, b.spec.pk}
    assert selectors.positions_visible_to(UserFactory()).count() == 0
    for actor in (stranger, executor, unit_head):
        with pytest.raises(PermissionDenied):
            services.vacancy_open(actor=actor, position=b.spec)
    governor = StaffFactory()
    assign(governor, Role.GOVERNOR)
    assert governor.has_perm("staffing.view_vacancy", Vacancy(staff_position=b.spec))
    assert not governor.has_perm("staffing.change_staffing", b.body)


def test_the_public_summary_has_counts_only_and_erasure_removes_the_name():
    b = make_body()
    person = UserFactory(surname="Приватный")
    services.employment_record(actor=b.head, position=b.lead, person=person, started_on=D(2025, 1, 1))
    services.vacancy_open(actor=b.head, position=b.spec)
    summary = selectors.public_summary(b.body)
    assert summary == {"positions": 3, "planned": Decimal("2.5"), "filled": Decimal("1"), "percent": 40,
                       "vacancies": 1}
    assert "Приватный" not in str(summary)
    assert selectors.public_summary(b.unit_b)["positions"] == 1
    erase_person(user=person)
    employment = Employment.objects.get(staff_position=b.lead)
    assert (employment.person_id, employment.person_name) == (None, "—")
