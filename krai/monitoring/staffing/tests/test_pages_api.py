"""Staffing's pages, API, imports, tile and the public structure page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from krai.core.imports import services as imports
from krai.core.imports.schema import ImportRejected
from krai.monitoring import tiles
from krai.monitoring.staffing import services
from krai.monitoring.staffing.models import Employment, StaffingTable, Vacancy
from krai.monitoring.staffing.tests.factories import make_body
from krai.org.models import Organisation
from krai.org.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_the_monitor_page_drills_down_and_lists_risks(client, settings):
    settings.KRAI_STAFF_CRITICAL_VACANCY_DAYS = 10
    b = make_body()
    services.vacancy_open(actor=b.head, position=b.lead, opened_on=dt.date.today() - dt.timedelta(days=20))
    client.force_login(b.head)
    page = client.get(reverse("monitoring:staffing:home")).content.decode()
    assert b.unit_a.name in page and 'id="staffing-history"' in page and "Начальник отдела" in page
    assert reverse("monitoring:staffing:organisation", args=[b.body.code]) in page
    client.force_login(StaffFactory())
    assert "Начальник отдела" not in client.get(reverse("monitoring:staffing:home")).content.decode()
    assert client.get(reverse("monitoring:staffing:organisation", args=[b.body.code])).status_code == 404


def test_the_organisation_page_opens_a_vacancy_records_an_employment_and_orders(client):
    b = make_body()
    client.force_login(b.head)
    url = reverse("monitoring:staffing:organisation", args=[b.body.code])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "vacancy", "position": b.spec.pk, "opened_on": "2025-01-01"})
    assert response.status_code == 302
    vacancy = Vacancy.objects.get(staff_position=b.spec)
    client.post(url, {"action": "employment", "position": b.spec.pk, "person_name": "Петров П. П.",
                      "started_on": "2025-02-01"})
    vacancy.refresh_from_db()
    assert vacancy.closed_on == dt.date(2025, 2, 1)
    assert "Петров П. П." in client.get(url).content.decode()
    late = services.vacancy_open(actor=b.head, position=b.lead, opened_on=dt.date(2024, 1, 1))
    response = client.post(reverse("monitoring:staffing:vacancy-order", args=[late.pk]))
    assert response.status_code == 302 and "/workspace/orders/control/" in response["Location"]
    reader = StaffFactory()
    from krai.org.models import Role
    from krai.org.tests.factories import assign
    assign(reader, Role.EXECUTOR, organisation=b.body)
    client.force_login(reader)
    assert client.post(url, {"action": "vacancy", "position": b.half.pk}).status_code == 403


def test_the_api_reads_in_scope_and_writes(client):
    b = make_body()
    client.force_login(b.head)
    rates = client.get("/api/v1/monitoring/staffing/rates/").json()
    assert rates["level"] == "unit" and rates["total"]["positions"] == 3
    table = client.get(f"/api/v1/monitoring/staffing/organisations/{b.body.code}/").json()
    assert [p["title"] for p in table["positions"]] == ["Начальник отдела", "Специалист", "Водитель"]
    created = client.post("/api/v1/monitoring/staffing/vacancies/", {"staff_position": b.lead.pk,
                                                                     "opened_on": "2024-01-01"},
                          content_type="application/json")
    assert created.status_code == 201 and created.json()["critical"] is True
    assert client.get("/api/v1/monitoring/staffing/risks/").json()["vacancies"][0]["id"] == created.json()["id"]
    hired = client.post("/api/v1/monitoring/staffing/employments/", {"staff_position": b.spec.pk,
                                                                     "person_name": "Иванова"},
                        content_type="application/json")
    assert hired.status_code == 201
    closed = client.post(f"/api/v1/monitoring/staffing/vacancies/{created.json()['id']}/close/",
                         {"closed_on": "2024-02-01"}, content_type="application/json")
    assert closed.json()["closed_on"] == "2024-02-01"
    client.force_login(StaffFactory())
    assert client.get(f"/api/v1/monitoring/staffing/organisations/{b.body.code}/").status_code == 404
    refused = client.post("/api/v1/monitoring/staffing/vacancies/", {"staff_position": b.half.pk},
                          content_type="application/json")
    assert refused.status_code == 404 and "error" in refused.json()


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("t.csv", text.encode("utf-8"), content_type="text/csv")


def test_the_table_and_employments_import_through_the_kernel():
    b = make_body()
    services.employment_record(actor=b.head, position=b.spec, person_name="Остаётся", started_on=dt.date(2025, 1, 1))
    table = ("Код подразделения;Должность;Категория;Ставка;Критичная\n"
             f"{b.unit_a.code};Специалист;специалист;1;нет\n"
             f"{b.unit_b.code};Консультант;специалист;1;да\n;Министр;руководитель;1;да\n")
    imports.run(actor=b.head, kind="staffing.table", upload=_csv(table),
                options={"organisation": b.body.code, "act_number": "7-шр", "valid_from": "2025-09-01"})
    current = StaffingTable.objects.get(organisation=b.body, is_current=True)
    assert current.act_number == "7-шр" and current.valid_from == dt.date(2025, 9, 1)
    assert sorted(current.positions.values_list("title", "critical")) == [
        ("Консультант", True), ("Министр", True), ("Специалист", False)]
    assert current.positions.get(title="Министр").unit == b.body
    assert current.positions.get(title="Специалист").employments.get().person_name == "Остаётся"
    people = ("Код подразделения;Должность;ФИО;Дата назначения;ВрИО\n"
              f"{b.unit_b.code};Консультант;Сидоров С. С.;01.09.2025;нет\n")
    imports.run(actor=b.head, kind="staffing.employments", upload=_csv(people), options={"organisation": b.body.code})
    assert Employment.objects.get(person_name="Сидоров С. С.").staff_position.table == current
    bad = "Код подразделения;Должность;ФИО;Дата назначения\nnope;Консультант;X;01.09.2025\n"
    with pytest.raises(ImportRejected) as refused:
        imports.run(actor=b.head, kind="staffing.employments", upload=_csv(bad), options={"organisation": b.body.code})
    assert refused.value.errors[0].column
    assert Employment.objects.filter(person_name="X").count() == 0


def test_the_tile_and_the_public_structure_page(client):
    b = make_body()
    services.vacancy_open(actor=b.head, position=b.lead)
    tile = next(t for t in tiles.tiles_for(b.head) if t.key == "staffing")
    assert tile.figures[0][1] == 0
    services.employment_record(actor=b.head, position=b.spec, person_name="Скрытов С. С.")
    page = client.get(reverse("portal:organisation", args=[b.body.code])).content.decode()
    assert 'id="krai-staffing"' in page and "40 %" in page
    assert "Скрытов" not in page
    plain = Organisation.objects.create(code="no-table", name="Без штатного", kind=Organisation.Kind.DEPARTMENT)
    assert 'id="krai-staffing"' not in client.get(reverse("portal:organisation", args=[plain.code])).content.decode()
