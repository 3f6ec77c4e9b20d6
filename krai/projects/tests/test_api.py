"""The projects API as a project office uses it, and who may do what through it.

The journey: a programme and a project, a stage with two tasks and a control point linked in a chain; moving
the first task shifts the chain (409 first, because the control point moves; then confirmed); a loop and a
child outside its parent are refused and change nothing; a baseline saved before the move shows the slip.
Dates are in April 2030 (no holidays, nothing overdue today).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from krai.accounts.models import TOKEN_SCOPES
from krai.accounts.tests.factories import make_token
from krai.orders.tests.factories import government
from krai.projects.models import Baseline, Dependency, Programme, Project, WorkItem

API = "/api/v1/projects/"


def signed_in(user, language: str = "ru") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def post(client: Client, url: str, data: dict):
    return client.post(url, data, content_type="application/json")


def patch(client: Client, url: str, data: dict):
    return client.patch(url, data, content_type="application/json")


def dates_of(*items: WorkItem) -> list[tuple[date, date]]:
    return [tuple(WorkItem.objects.filter(pk=i.pk).values_list("planned_start", "planned_finish").get())
            for i in items]


@pytest.fixture
def gov(db):
    return government()


@pytest.fixture
def plan(gov):
    """Through the API: programme → project → stage 1 with tasks 1.1 → 1.2 → control point 1.3."""
    office = signed_in(gov.head)
    answer = post(office, API + "programmes/", {
        "code": "zdrav", "title": "Модернизация здравоохранения", "level": "regional",
        "owner_organisation": gov.health.pk, "starts_on": "2030-01-01", "ends_on": "2030-12-31"})
    assert answer.status_code == 201, answer.json()
    answer = post(office, API + "projects/", {
        "programme": "zdrav", "code": "polyclinics", "title": "Ремонт поликлиник", "goal": "Отремонтировать 12",
        "owner_organisation": gov.health.pk, "manager": gov.head.pk, "starts_on": "2030-01-01",
        "ends_on": "2030-12-31", "budget_planned": "1000000.00"})
    assert answer.status_code == 201, answer.json()
    assert answer.json()["summary"]["items"] == 0
    items = API + "projects/polyclinics/items/"
    stage = post(office, items, {"kind": "stage", "title": "Ремонт", "planned_start": "2030-04-01",
                                 "planned_finish": "2030-06-28"}).json()
    first = post(office, items, {"parent": stage["id"], "title": "Проект ремонта", "planned_start": "2030-04-01",
                                 "planned_finish": "2030-04-05", "owner_organisation": gov.unit.pk,
                                 "budget_planned": "100000"}).json()
    second = post(office, items, {"parent": stage["id"], "title": "Ремонт кровли", "planned_start": "2030-04-08",
                                  "planned_finish": "2030-04-12"}).json()
    point = post(office, items, {"parent": stage["id"], "kind": "control_point", "title": "Приёмка",
                                 "planned_start": "2030-04-17", "planned_finish": "2030-04-17"}).json()
    assert [first["wbs"], second["wbs"], point["wbs"]] == ["1.1", "1.2", "1.3"]
    links = API + "projects/polyclinics/dependencies/"
    for pred, succ in ((first, second), (second, point)):
        answer = post(office, links, {"predecessor": pred["id"], "successor": succ["id"], "type": "FS"})
        assert answer.status_code == 201, answer.json()
        assert answer.json()["shifted"] == []  # the plan already kept the links
    return {name: WorkItem.objects.get(pk=row["id"]) for name, row in
            (("stage", stage), ("first", first), ("second", second), ("point", point))}


def test_a_project_office_moves_a_date_and_sees_the_chain_shift_and_the_slip(gov, plan):
    office = signed_in(gov.head, "en")
    base = API + "projects/polyclinics/"
    saved = post(office, base + "baselines/", {"name": "Утверждённый план"})
    assert saved.status_code == 201
    first, second, point = plan["first"], plan["second"], plan["point"]

    move = {"planned_start": "2030-04-08", "planned_finish": "2030-04-12"}
    refused = post(office, base + f"items/{first.pk}/dates/", move)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "needs_confirmation" and "confirm" in error["message"]
    assert [(w["item"], w["code"]) for w in error["warnings"]] == [(point.pk, "control_point")]
    assert dates_of(first, second, point) == [(date(2030, 4, 1), date(2030, 4, 5)), (date(2030, 4, 8),
                                              date(2030, 4, 12)), (date(2030, 4, 17), date(2030, 4, 17))]

    done = post(office, base + f"items/{first.pk}/dates/", {**move, "confirm": True})
    assert done.status_code == 200, done.json()
    rows = {row["id"]: row for row in done.json()["items"]}
    assert rows[first.pk]["moved"] and rows[first.pk]["planned_start"] == "2030-04-08"
    assert rows[second.pk] == {**rows[second.pk], "moved": False, "shifted_days": 5,
                               "planned_start": "2030-04-15", "planned_finish": "2030-04-19"}
    assert rows[point.pk]["planned_finish"] == "2030-04-22"
    assert [w["code"] for w in done.json()["warnings"]] == ["control_point"]

    listed = office.get(base + "items/").json()
    assert [row["wbs"] for row in listed["results"]] == ["1", "1.1", "1.2", "1.3"]
    assert listed["results"][2]["planned_start"] == "2030-04-15"
    assert all(row["critical"] for row in listed["results"]) and listed["results"][1]["float_days"] == 0

    slip = office.get(base + f"baselines/{saved.json()['id']}/slippage/", {"changed": "true"}).json()
    assert {row["item"]: row["finish_days"] for row in slip["items"]} == {first.pk: 7, second.pk: 7, point.pk: 5}
    assert slip["moved"] == 3 and slip["finish_days_max"] == 7
    card = office.get(base).json()
    assert card["summary"]["health"] == "at_risk"  # the critical path slipped against the baseline
    assert card["summary"]["next_control_points"][0]["planned_finish"] == "2030-04-22"
    assert card["summary"]["planned_finish"] == "2030-06-28"


def test_a_loop_and_a_child_outside_its_parent_are_refused_and_change_nothing(gov, plan):
    office = signed_in(gov.head, "en")
    base = API + "projects/polyclinics/"
    first, second, point = plan["first"], plan["second"], plan["point"]
    before, links = dates_of(first, second, point), Dependency.objects.count()

    loop = post(office, base + "dependencies/", {"predecessor": point.pk, "successor": first.pk})
    assert loop.status_code == 400
    assert "loop" in loop.json()["error"]["message"]
    outside = post(office, base + f"items/{second.pk}/dates/", {"planned_start": "2030-07-01",
                                                               "planned_finish": "2030-07-05", "confirm": True})
    assert outside.status_code == 400
    assert "planned_start" in outside.json()["error"]["fields"]
    created = post(office, base + "items/", {"parent": plan["stage"].pk, "title": "Вне этапа",
                                             "planned_start": "2030-08-01", "planned_finish": "2030-08-02"})
    assert created.status_code == 400 and "planned_start" in created.json()["error"]["fields"]
    backwards = post(office, base + f"items/{first.pk}/dates/", {"planned_start": "2030-04-05",
                                                                "planned_finish": "2030-04-01"})
    assert backwards.status_code == 400 and "planned_finish" in backwards.json()["error"]["fields"]
    assert dates_of(first, second, point) == before
    assert Dependency.objects.count() == links and WorkItem.objects.count() == 4


def test_items_are_changed_reported_on_and_deleted(gov, plan):
    office = signed_in(gov.head, "en")
    base = API + "projects/polyclinics/"
    first, second = plan["first"], plan["second"]
    changed = patch(office, base + f"items/{first.pk}/", {"title": "Проектно-сметная документация"})
    assert changed.status_code == 200 and changed.json()["title"] == "Проектно-сметная документация"
    dated = patch(office, base + f"items/{first.pk}/", {"planned_finish": "2030-04-30"})
    assert dated.status_code == 400 and "planned_finish" in dated.json()["error"]["fields"]
    reported = post(office, base + f"items/{second.pk}/progress/", {"progress": 40, "budget_spent": "500.50"})
    assert reported.status_code == 200 and reported.json()["progress"] == 40
    stage = office.get(base + f"items/{plan['stage'].pk}/").json()
    assert stage["has_parts"] and 0 < stage["progress"] < 40 and stage["budget_spent"] == "500.50"
    link = Dependency.objects.get(predecessor=first)
    assert office.delete(base + f"dependencies/{link.pk}/").status_code == 204
    assert office.delete(base + f"items/{plan['point'].pk}/").status_code == 204
    assert WorkItem.objects.filter(project__code="polyclinics").count() == 3
    risk = post(office, base + "risks/", {"title": "Срыв поставок", "probability": "high", "impact": "high"})
    assert risk.status_code == 201
    assert office.get(base).json()["summary"]["health"] == "at_risk"
    assert patch(office, base + f"risks/{risk.json()['id']}/", {"is_open": False}).json()["is_open"] is False
    report = post(office, base + "reports/", {"text": "Проект ремонта согласован."})
    assert report.status_code == 201
    assert office.get(base + "reports/").json()["results"][0]["text"] == "Проект ремонта согласован."
    assert [p["code"] for p in office.get(API + "projects/", {"programme": "zdrav", "health": "on_track"})
            .json()["results"]] == ["polyclinics"]
    assert office.get(API + "projects/", {"health": "late"}).json()["results"] == []


def test_one_who_may_only_look_gets_403_and_nothing_changes(gov, plan):
    first = plan["first"]
    base = API + "projects/polyclinics/"
    for viewer in (gov.governor, gov.vice):  # they see the project but do not keep its plan
        client = signed_in(viewer)
        assert client.get(base).status_code == 200
        assert client.get(base + "items/").status_code == 200
        refused = patch(client, base + f"items/{first.pk}/", {"title": "Чужое"})
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "permission_denied"
        assert post(client, base + f"items/{first.pk}/dates/", {"planned_start": "2030-04-08",
                                                                "planned_finish": "2030-04-12",
                                                                "confirm": True}).status_code == 403
        assert post(client, base + "baselines/", {"name": "x"}).status_code == 403
        assert client.delete(base + f"items/{first.pk}/").status_code == 403
    assert WorkItem.objects.get(pk=first.pk).title == "Проект ремонта"
    assert dates_of(first) == [(date(2030, 4, 1), date(2030, 4, 5))]
    assert not Baseline.objects.exists() and WorkItem.objects.count() == 4


def test_another_scope_gets_404_as_if_nothing_were_there(gov, plan):
    client = signed_in(gov.finance_head)
    base = API + "projects/polyclinics/"
    assert client.get(API + "projects/").json()["results"] == []
    assert client.get(API + "programmes/").json()["results"] == []
    for url in (base, base + "items/", base + f"items/{plan['first'].pk}/", base + "baselines/",
                API + "programmes/zdrav/"):
        answer = client.get(url)
        assert answer.status_code == 404
        assert answer.json()["error"]["message"] == "Страница не найдена."  # translated: Russian by default
    assert patch(client, base + f"items/{plan['first'].pk}/", {"title": "Чужое"}).status_code == 404
    assert post(client, base + "items/", {"title": "Чужое", "planned_start": "2030-04-01",
                                          "planned_finish": "2030-04-02"}).status_code == 404
    assert signed_in(gov.finance_head, "en").get(base).json()["error"]["message"] == "Not found."
    assert WorkItem.objects.count() == 4 and Programme.objects.count() == 1 and Project.objects.count() == 1


def test_a_citizen_and_an_anonymous_caller_are_refused(gov, plan, citizen):
    assert signed_in(citizen).get(API + "projects/").status_code == 403
    assert Client().get(API + "projects/").status_code in (401, 403)


@pytest.fixture
def projects_scope(monkeypatch):
    """``projects:write`` is declared in krai.accounts.models.TOKEN_SCOPES; kept here until it is."""
    if "projects:write" not in TOKEN_SCOPES:
        monkeypatch.setitem(TOKEN_SCOPES, "projects:write", "Keep priority projects and programmes")


def test_a_token_writes_only_with_the_projects_scope(gov, plan, projects_scope):
    base = API + "projects/polyclinics/"
    item = {"title": "Закупка", "planned_start": "2030-04-01", "planned_finish": "2030-04-03"}
    _token, read_only = make_token(gov.head, scopes=("read",), name="r")
    _token, other_area = make_token(gov.head, scopes=("read", "write", "orders:write"), name="o")
    _token, full = make_token(gov.head, scopes=("read", "write", "projects:write"), name="p")
    client = Client()
    assert client.get(base, HTTP_AUTHORIZATION=f"Bearer {read_only}").status_code == 200
    for key in (read_only, other_area):
        refused = client.post(base + "items/", item, content_type="application/json",
                              HTTP_AUTHORIZATION=f"Bearer {key}")
        assert refused.status_code == 403
    assert "projects:write" in refused.json()["error"]["message"]
    assert WorkItem.objects.count() == 4
    made = client.post(base + "items/", item, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {full}")
    assert made.status_code == 201 and WorkItem.objects.count() == 5


def test_a_link_that_moves_a_control_point_waits_for_confirmation(gov, plan):
    office = signed_in(gov.head, "en")
    base = API + "projects/polyclinics/"
    late = post(office, base + "items/", {"parent": plan["stage"].pk, "title": "Благоустройство",
                                          "planned_start": "2030-04-15", "planned_finish": "2030-04-19"}).json()
    link = {"predecessor": late["id"], "successor": plan["point"].pk, "type": "FS", "lag": 0}
    refused = post(office, base + "dependencies/", link)
    assert refused.status_code == 409 and refused.json()["error"]["warnings"][0]["code"] == "control_point"
    assert Dependency.objects.count() == 2 and dates_of(plan["point"]) == [(date(2030, 4, 17), date(2030, 4, 17))]
    made = post(office, base + "dependencies/", {**link, "confirm": True})
    assert made.status_code == 201
    assert [(row["id"], row["planned_finish"]) for row in made.json()["shifted"]] == [(plan["point"].pk,
                                                                                        "2030-04-22")]
    assert len(office.get(base + "dependencies/").json()) == 3
