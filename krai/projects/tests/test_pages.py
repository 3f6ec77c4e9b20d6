"""The projects pages: the list and its counts against the monitoring tile, building a plan through the forms,
moving dates with the warnings confirmed, refusals shown by the field, and who sees and changes what."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.utils.translation import override

from krai.monitoring.tiles import tiles_for
from krai.orders.tests.factories import government
from krai.projects.models import Dependency, WorkItem
from krai.projects.tests.helpers import fresh, item, link, programme, project


@pytest.fixture
def gov(db):
    return government()


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def built(gov):
    proj = project(gov)
    stage = item(proj, "Строительство", date(2027, 2, 1), date(2027, 9, 30), kind=WorkItem.Kind.STAGE)
    first = item(proj, "Подготовка площадки", date(2027, 2, 1), date(2027, 2, 26), parent=stage)
    second = item(proj, "Монтаж модулей", date(2027, 3, 1), date(2027, 4, 30), parent=stage,
                  owner_organisation=gov.subunit, responsible=gov.executor)
    point = item(proj, "Ввод в эксплуатацию", date(2027, 5, 14), date(2027, 5, 14), parent=stage,
                 kind=WorkItem.Kind.CONTROL_POINT)
    link(first, second)
    link(second, point)
    return proj, stage, first, second, point


def test_the_tile_counts_what_the_list_shows(gov, built):
    other = project(gov, built[0].programme, code="late-one", title="Просроченный проект")
    item(other, "Давно пора", date(2025, 1, 10), date(2025, 2, 10), kind=WorkItem.Kind.CONTROL_POINT)
    c = client_for(gov.governor)
    tile = next(t for t in tiles_for(gov.governor) if t.key == "projects")
    with override("en"):
        figures = {str(label): value for label, value, _tone in tile.figures}
    for health, label in (("on_track", "On track"), ("at_risk", "At risk"), ("late", "Late")):
        page = c.get(f"/workspace/projects/?health={health}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        listed = len(re.findall(r'<tr data-project="', page))
        assert listed == figures[label], (health, listed, figures)
    assert figures["Late"] == 1


def test_a_plan_is_built_through_the_forms(gov, built):
    proj, stage, _first, _second, point = built
    c = client_for(gov.head)
    url = f"/workspace/projects/p/{proj.code}/"
    answer = c.post(url + "items/new/", {"kind": "task", "title": "Благоустройство", "parent": stage.pk,
                                         "planned_start": "2027-05-17", "planned_finish": "2027-06-11"})
    assert answer.status_code == 302
    new = WorkItem.objects.get(title="Благоустройство")
    assert new.wbs == "1.4"
    answer = c.post(url + f"items/{new.pk}/links/", {"predecessor": "1.3", "type": "FS", "lag": "2"})
    assert answer.status_code == 302
    assert Dependency.objects.filter(predecessor=point, successor=new, lag=2).exists()
    answer = c.post(url + f"items/{new.pk}/links/", {"predecessor": "9.9", "type": "FS", "lag": "0"})
    assert "В программе нет мероприятия с таким номером." in answer.content.decode()


def test_moving_dates_asks_to_confirm_then_shifts(gov, built):
    proj, _stage, first, second, point = built
    c = client_for(gov.head)
    url = f"/workspace/projects/p/{proj.code}/items/{first.pk}/dates/"
    answer = c.post(url, {"planned_start": "2027-02-01", "planned_finish": "2027-03-12"})
    assert answer.status_code == 200 and 'id="shift-warnings"' in answer.content.decode()
    assert fresh(second).planned_start == date(2027, 3, 1)
    answer = c.post(url, {"planned_start": "2027-02-01", "planned_finish": "2027-03-12", "confirm": "True"})
    assert answer.status_code == 302
    assert fresh(second).planned_start == date(2027, 3, 15)
    assert fresh(point).planned_finish > date(2027, 5, 14)


def test_a_child_outside_its_parent_is_refused_by_the_field(gov, built):
    proj, _stage, first, *_ = built
    c = client_for(gov.head)
    answer = c.post(f"/workspace/projects/p/{proj.code}/items/{first.pk}/dates/",
                    {"planned_start": "2027-01-11", "planned_finish": "2027-02-26"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert answer.status_code == 200
    assert fresh(first).planned_start == date(2027, 2, 1)
    assert "invalid-feedback" in answer.content.decode()


def test_who_sees_and_who_changes(gov, built):
    proj = built[0]
    url = f"/workspace/projects/p/{proj.code}/"
    assert client_for(gov.finance_head).get(url).status_code == 404  # another body's project
    assert client_for(gov.executor).get(url).status_code == 200  # his unit has an item in it (he is its responsible)
    assert client_for(gov.executor).get(url + "items/new/").status_code == 403
    assert client_for(gov.vice).get(url + "card/").status_code == 200
    for page in ("", "card/", "baselines/", "risks/", "reports/"):
        assert client_for(gov.head).get(url + page).status_code == 200, page
    other = programme(gov, code="econ", owner_organisation=gov.finance)
    assert client_for(gov.head).get(f"/workspace/projects/g/{other.code}/").status_code == 404
    assert client_for(gov.governor).get(f"/workspace/projects/g/{other.code}/").status_code == 200


def test_the_project_form_links_target_indicators_by_code(gov, built):
    from krai.monitoring.indicators.tests.helpers import indicator

    proj = built[0]
    beds = indicator(gov.health, "zdrav-01")
    c = client_for(gov.head)
    url = f"/workspace/projects/p/{proj.code}/edit/"
    fields = {"code": proj.code, "title": proj.title, "status": "active", "owner_organisation": gov.health.pk,
              "manager": gov.head.pk, "starts_on": "2027-01-11", "ends_on": "2027-12-30", "budget_planned": "100"}
    answer = c.post(url, {**fields, "indicators": "zdrav-01, nope-9"})
    assert answer.status_code == 200 and "nope-9" in answer.content.decode()
    assert not proj.indicators.exists()
    assert c.post(url, {**fields, "indicators": "zdrav-01"}).status_code == 302
    assert list(proj.indicators.all()) == [beds]
    assert "zdrav-01" in c.get(url).content.decode()
    assert beds.name in c.get(f"/workspace/projects/p/{proj.code}/card/").content.decode()


def test_a_long_plan_pages_and_every_item_is_reached(gov, built, monkeypatch):
    from krai.projects import views_plan

    proj, stage, *_ = built
    for n in range(7):
        item(proj, f"Работа {n}", date(2027, 6, 1), date(2027, 6, 4), parent=stage)
    monkeypatch.setattr(views_plan, "PLAN_PAGE", 4)
    c = client_for(gov.head)
    seen = []
    for number in (1, 2, 3):
        page = c.get(f"/workspace/projects/p/{proj.code}/?page={number}").content.decode()
        seen += re.findall(r'<tr data-item="(\d+)"', page)
    assert sorted(map(int, seen)) == sorted(WorkItem.objects.filter(project=proj).values_list("pk", flat=True))


def test_projects_are_found_by_the_search_within_scope(gov, built):
    proj = built[0]
    found = client_for(gov.head).get("/search/?q=ФАПов").content.decode()
    assert f"/workspace/projects/p/{proj.code}/" in found
    elsewhere = client_for(gov.finance_head).get("/search/?q=ФАПов").content.decode()
    assert f"/workspace/projects/p/{proj.code}/" not in elsewhere


def test_the_baseline_summary_and_the_card_budget_equal_the_rows_they_sum(gov, built):
    from decimal import ROUND_HALF_UP, Decimal

    from krai.projects import services

    proj, _stage, first, second, _point = built
    services.baseline_save(actor=gov.head, project=proj, name="Первый")
    services.reschedule(actor=gov.head, project=proj, confirm=True,
                        moves={first: (date(2027, 2, 1), date(2027, 3, 12))})
    services.item_progress(actor=gov.head, item=first, budget_spent="1500.50")
    services.item_progress(actor=gov.head, item=second, budget_spent="250")
    c = client_for(gov.head)
    page = c.get(f"/workspace/projects/p/{proj.code}/baselines/").content.decode()
    later = [int(n) for n in re.findall(r'data-slip="(-?\d+)"', page) if int(n) > 0]
    summary = re.search(r'<p id="slip-summary">\s*(\d+)', page)
    assert summary and int(summary.group(1)) == len(later) > 0
    card = c.get(f"/workspace/projects/p/{proj.code}/card/").content.decode()
    spent = re.search(r"<td class=\"text-end\" data-spent>([^<]+)</td>", card).group(1)
    total = sum(WorkItem.objects.filter(project=proj, children__isnull=True).values_list("budget_spent", flat=True),
                Decimal(0))
    shown = Decimal(spent.replace("\xa0", "").replace(" ", "").replace(",", "."))
    assert shown == total.quantize(Decimal(1), ROUND_HALF_UP)
