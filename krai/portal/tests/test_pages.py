"""The portal's pages: home, municipalities with their map data, the public staffing structure."""

import json

import pytest
from django.urls import reverse

from krai.org.tests.factories import (
    BlockFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PositionFactory,
    StaffFactory,
    square,
)

pytestmark = pytest.mark.django_db


def test_home_links_every_section_that_exists(client):
    from krai.portal.navigation import SECTIONS

    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/structure/"' in html and 'href="/municipalities/"' in html
    for section in SECTIONS:
        assert section.url, f"section {section.key} has no page"
        assert f'href="{section.url}"' in html
    assert "Coming soon" not in html


def test_home_marks_a_section_whose_area_is_not_installed_as_coming_soon(client, monkeypatch):
    from krai.portal import navigation

    missing = navigation.Section("future", "A future section", "An area not built yet.", ("future:home",))
    monkeypatch.setattr(navigation, "SECTIONS", (*navigation.SECTIONS, missing))
    html = client.get("/").content.decode()
    assert "A future section" in html
    assert html.count("Coming soon") == 1


def test_municipalities_page_lists_them_and_points_the_map_at_the_geojson(client, settings):
    settings.KRAI_MAP_TILE_URL = ""
    MunicipalityFactory(name="Сочи", code="sochi", boundary=square(39.5, 43.5), admin_centre="Сочи")
    MunicipalityFactory(name="Анапа", code="anapa", boundary=square(37.2, 44.8))
    response = client.get(reverse("portal:municipalities"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Анапа") < html.index("Сочи")
    assert 'data-geojson-url="/municipalities.geojson"' in html
    assert 'data-tile-url=""' in html


def test_municipalities_geojson_carries_every_active_boundary(client):
    MunicipalityFactory(name="Сочи", code="sochi", boundary=square(39.5, 43.5))
    MunicipalityFactory(name="Анапа", code="anapa", boundary=square(37.2, 44.8))
    MunicipalityFactory(name="Упразднённый", code="gone", boundary=square(36.0, 44.0), is_active=False)
    response = client.get(reverse("portal:municipalities-geojson"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert {f["properties"]["code"] for f in data["features"]} == {"sochi", "anapa"}
    assert all(f["geometry"]["type"] == "Polygon" for f in data["features"])


def test_structure_shows_blocks_bodies_units_and_vacancies(client, two_blocks):
    health, unit = two_blocks["health"], two_blocks["health_unit"]
    PositionFactory(organisation=health, title="Министр", holder=StaffFactory(surname="Здоровцев"), is_head=True)
    PositionFactory(organisation=health, title="Заместитель министра")
    PositionFactory(organisation=unit, title="Начальник отдела")
    governor_office = OrganisationFactory(name="Администрация губернатора", block=None, kind="governor_office")
    response = client.get(reverse("portal:structure"))
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("Социальный блок", "Экономический блок", "Министерство здравоохранения",
                 "Министерство финансов", governor_office.name, "with 1 unit"):
        assert name in html
    structure = response.context["structure"]
    social = next(g for g in structure.groups if g.title == "Социальный блок")
    # a body's numbers include its units'; the units are listed on the body's page
    assert [(r.organisation.name, r.positions, r.vacancies, r.units) for r in social.rows] == [
        ("Министерство здравоохранения", 3, 2, 1)]
    assert (structure.bodies, structure.positions, structure.vacancies) == (3, 3, 2)
    assert structure.groups[0].title == "Governor and the government"


def test_a_body_placed_under_another_blocks_organisation_counts_in_its_own_block(client):
    office = OrganisationFactory(name="Администрация губернатора", block=None, kind="governor_office")
    block = BlockFactory(name="Блок внутренней политики")
    department = OrganisationFactory(name="Департамент внутренней политики", block=block, parent=office)
    PositionFactory(organisation=department, title="Руководитель департамента")
    structure = client.get(reverse("portal:structure")).context["structure"]
    titles = {g.title: [(r.organisation.name, r.positions) for r in g.rows] for g in structure.groups}
    assert titles["Governor and the government"] == [("Администрация губернатора", 0)]
    assert titles["Блок внутренней политики"] == [("Департамент внутренней политики", 1)]


def test_organisation_page_lists_posts_holders_and_units(client, two_blocks):
    health = two_blocks["health"]
    PositionFactory(organisation=health, title="Министр", holder=StaffFactory(surname="Здоровцев",
                                                                              given_name="Пётр"), is_head=True)
    PositionFactory(organisation=health, title="Заместитель министра")
    response = client.get(reverse("portal:organisation", args=[health.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Здоровцев Пётр" in html and "Заместитель министра" in html and "vacant" in html
    assert two_blocks["health_unit"].name in html


def test_unit_page_has_its_parents_in_the_breadcrumbs(client, two_blocks):
    response = client.get(reverse("portal:organisation", args=[two_blocks["health_unit"].code]))
    assert [o.pk for o in response.context["page"].ancestors] == [two_blocks["health"].pk]


def test_unknown_or_inactive_organisation_is_a_friendly_404(client):
    closed = OrganisationFactory(is_active=False, block=BlockFactory())
    for code in ("no-such-body", closed.code):
        response = client.get(reverse("portal:organisation", args=[code]))
        assert response.status_code == 404
        assert "Page not found" in response.content.decode()


def test_municipality_page_has_its_boundary_and_bodies(client):
    sochi = MunicipalityFactory(name="Сочи", code="sochi", boundary=square(39.5, 43.5), admin_centre="Сочи")
    administration = OrganisationFactory(name="Администрация города Сочи", block=None,
                                         kind="municipal_administration", municipality=sochi)
    response = client.get(reverse("portal:municipality", args=["sochi"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert administration.name in html and 'id="krai-municipality-feature"' in html
    assert response.context["page"].feature["geometry"] == square(39.5, 43.5)


def test_unknown_or_inactive_municipality_is_404(client):
    MunicipalityFactory(code="gone", is_active=False)
    for code in ("gone", "nowhere"):
        assert client.get(reverse("portal:municipality", args=[code])).status_code == 404
