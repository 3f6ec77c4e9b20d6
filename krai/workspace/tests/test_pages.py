"""The workspace: staff only, and every page narrowed to the acting user's scope."""

import pytest
from django.urls import reverse

from krai.org.tests.factories import PositionFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staffed(two_blocks):
    PositionFactory(organisation=two_blocks["health"], title="Министр", holder=two_blocks["vice"], is_head=True)
    PositionFactory(organisation=two_blocks["health"], title="Советник")
    PositionFactory(organisation=two_blocks["health_unit"], title="Специалист", holder=two_blocks["executor"])
    PositionFactory(organisation=two_blocks["finance"], title="Министр финансов")
    return two_blocks


def test_anonymous_visitor_is_sent_to_log_in(client):
    for url in (reverse("workspace:home"), reverse("workspace:structure")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")


def test_citizen_gets_a_friendly_403(client, citizen):
    client.force_login(citizen)
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "You do not have access to this page" in html
    assert "The workspace is for the staff of the region&#x27;s public bodies." in html
    assert "<footer" in html
    assert "krai-header-portal" in html and reverse("workspace:structure") not in html


def test_staff_without_roles_sees_an_empty_scope(client):
    client.force_login(StaffFactory())
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 200
    assert response.context["groups"] == []
    assert "You have no roles yet" in response.content.decode()


def test_vice_governor_sees_his_block_only(client, staffed):
    client.force_login(staffed["vice"])
    response = client.get(reverse("workspace:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Block: <strong>Социальный блок</strong>" in html
    assert "The whole region" not in html
    [group] = response.context["groups"]
    assert group.title == "Социальный блок"
    assert [(r.organisation.name, r.level, r.positions, r.vacancies) for r in group.rows] == [
        ("Министерство здравоохранения", 0, 2, 1), ("Отдел лицензирования", 1, 1, 0)]
    assert "Министерство финансов" not in html
    assert (response.context["total_positions"], response.context["total_vacancies"]) == (3, 1)


def test_controller_sees_the_whole_region(client, staffed):
    client.force_login(staffed["controller"])
    response = client.get(reverse("workspace:home"))
    html = response.content.decode()
    assert "The whole region" in html
    assert {g.title for g in response.context["groups"]} == {"Социальный блок", "Экономический блок"}
    assert "Министерство финансов" in html and "Отдел лицензирования" in html


def test_executor_of_a_unit_sees_only_that_unit(client, staffed):
    client.force_login(staffed["executor"])
    response = client.get(reverse("workspace:home"))
    [group] = response.context["groups"]
    assert [(r.organisation.name, r.level) for r in group.rows] == [("Отдел лицензирования", 0)]
    assert "Organisation and its units: <strong>Отдел лицензирования</strong>" in response.content.decode()


def test_structure_lists_vacancies_in_scope_only(client, staffed):
    client.force_login(staffed["vice"])
    response = client.get(reverse("workspace:structure"))
    assert [p.title for p in response.context["vacancies"]] == ["Советник"]
    client.force_login(staffed["controller"])
    response = client.get(reverse("workspace:structure"))
    assert sorted(p.title for p in response.context["vacancies"]) == ["Министр финансов", "Советник"]


def test_organisation_page_shows_people_in_scope_and_404_outside(client, staffed):
    client.force_login(staffed["vice"])
    response = client.get(reverse("workspace:organisation", args=[staffed["health"].pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert staffed["executor"].email in html and "Советник" in html
    response = client.get(reverse("workspace:organisation", args=[staffed["finance"].pk]))
    assert response.status_code == 404
    missing = client.get(reverse("workspace:organisation", args=[999999]))
    assert missing.status_code == 404


def test_workspace_nav_marks_the_current_section(client, staffed):
    client.force_login(staffed["vice"])
    html = client.get(reverse("workspace:structure")).content.decode()
    assert f'class="nav-link active" href="{reverse("workspace:structure")}" aria-current="page"' in html
    assert f'class="nav-link" href="{reverse("workspace:home")}"' in html
