import random

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from krai.org import geo, selectors, services
from krai.org.tests.factories import MunicipalityFactory, StaffFactory, square


@pytest.fixture
def admin(db):
    return StaffFactory(is_superuser=True)


@pytest.fixture
def grid(db):
    """Three municipalities side by side: west [38, 38.5], middle [38.5, 39], east [39, 39.5] × lat [45, 45.5].

    Created out of code order, so that a border answer cannot come from the order of creation."""
    east = MunicipalityFactory(code="c-east", boundary=square(39, 45))
    west = MunicipalityFactory(code="a-west", boundary=square(38, 45))
    middle = MunicipalityFactory(code="b-middle", boundary=square(38.5, 45))
    MunicipalityFactory(code="d-no-boundary", boundary=None)
    return {"west": west, "middle": middle, "east": east}


def test_points_inside_locate_to_their_municipality(grid):
    assert selectors.municipality_at(38.2, 45.2) == grid["west"]
    assert selectors.municipality_at(38.7, 45.3) == grid["middle"]
    assert selectors.municipality_at(39.4, 45.1) == grid["east"]


def test_a_point_outside_every_municipality_is_none(grid):
    assert selectors.municipality_at(37.5, 44.5) is None  # the sea west of the region
    assert selectors.municipality_at(38.7, 45.6) is None  # inside the grid's bounding box column, above it
    assert selectors.municipality_at(-120, -45) is None


def test_a_shared_border_has_one_answer_the_first_code(grid):
    # the border x = 38.5 is shared by west (a-) and middle (b-); x = 39 by middle (b-) and east (c-)
    assert selectors.municipality_at(38.5, 45.25) == grid["west"]
    assert selectors.municipality_at(39.0, 45.25) == grid["middle"]
    cache.clear()  # another process, the same answer
    geo._index = None
    assert selectors.municipality_at(38.5, 45.25) == grid["west"]
    assert geo.locate_many([(38.5, 45.25), (39.0, 45.25)]) == [grid["west"].pk, grid["middle"].pk]


def test_a_boundary_edit_is_seen_by_the_next_lookup(grid, admin):
    assert selectors.municipality_at(40.2, 45.2) is None
    services.municipality_update(actor=admin, municipality=grid["east"], boundary=square(40, 45))
    assert selectors.municipality_at(40.2, 45.2) == grid["east"]
    assert selectors.municipality_at(39.2, 45.2) is None


def test_another_process_rebuilds_when_the_version_moves(grid):
    index = geo.get_index()
    assert geo.get_index() is index  # built once, reused
    geo.bump_version()  # what a service in another process does after its commit
    assert geo.get_index() is not index


def test_an_edit_outside_the_services_is_seen_too(grid):
    grid["west"].boundary = square(30, 45)
    grid["west"].save()  # the admin site, a fixture
    assert selectors.municipality_at(30.1, 45.1) == grid["west"]


def test_a_retired_municipality_leaves_the_lookup(grid, admin):
    services.municipality_deactivate(actor=admin, municipality=grid["middle"])
    assert selectors.municipality_at(38.7, 45.3) is None


def test_locate_many_agrees_with_locate(grid):
    rng = random.Random(7)
    points = [(rng.uniform(37.8, 39.7), rng.uniform(44.8, 45.7)) for _ in range(500)]
    points += [(38.5, 45.0), (39.0, 45.5)]  # corners on borders
    assert geo.locate_many(points) == [geo.locate(lon, lat) for lon, lat in points]
    assert any(pk is None for pk in geo.locate_many(points)) and any(geo.locate_many(points))


def test_a_point_off_the_earth_is_refused(grid):
    for lon, lat in [(181, 45), (38, -91), (float("nan"), 45), (38, float("inf"))]:
        with pytest.raises(ValidationError):
            selectors.municipality_at(lon, lat)


def test_no_municipalities_no_answer(db):
    assert selectors.municipality_at(38, 45) is None
    assert geo.locate_many([(38, 45)]) == [None]


def test_geojson_is_cached_and_refreshed(grid, admin):
    collection = selectors.municipality_geojson()
    assert collection["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in collection["features"]] == ["a-west", "b-middle", "c-east",
                                                                          "d-no-boundary"]
    services.municipality_update(actor=admin, municipality=grid["west"], name="Запад")
    assert selectors.municipality_geojson()["features"][0]["properties"]["name"] == "Запад"


def test_other_processes_are_read_at_most_once_per_interval(grid, settings):
    settings.KRAI_GEO_VERSION_CHECK_SECONDS = 3600
    index = geo.get_index()
    geo.bump_version()  # another process's change: not read again within the interval
    assert geo.get_index() is index
    geo.invalidate()  # this process's own change: seen at once
    assert geo.get_index() is not index
