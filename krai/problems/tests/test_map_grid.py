"""The pre-aggregated map grid gives the clusters the live query gives, and follows publishing and merging."""

import random

import pytest

from krai.org.tests.factories import MunicipalityFactory
from krai.problems import grid, selectors, services
from krai.problems.models import MapCell, Problem
from krai.problems.tests.factories import CategoryFactory

BOX = (37.5, 44.5, 38.5, 45.5)


def normal(data):
    return (sorted((c["count"], round(c["lat"], 5), round(c["lon"], 5)) for c in data["clusters"]),
            sorted((p["id"], round(p["lat"], 5), round(p["lon"], 5)) for p in data["points"]))


@pytest.mark.parametrize("zoom", [6, 8, 10, 12])
def test_grid_equals_the_live_query(db, zoom):
    rng = random.Random(zoom)
    category, municipality = CategoryFactory(), MunicipalityFactory()
    statuses = ["new", "routed", "fixed", "rejected", "closed"]
    Problem.objects.bulk_create([
        Problem(category=category, municipality=municipality, lon=rng.uniform(*BOX[::2]),
                lat=rng.uniform(*BOX[1::2]), status=status, moderation_reason="x" if status == "rejected" else "",
                description="x", public_description="x")
        for status in (rng.choice(statuses) for _ in range(80))])
    grid.rebuild()
    view = selectors._snap(BOX, grid.cell_size(zoom))  # whole cells, as the map asks far out
    live = selectors.map_features(bbox=view, zoom=zoom, use_cache=False, use_grid=False)
    pre = selectors.map_features(bbox=view, zoom=zoom, use_cache=False)
    assert normal(pre) == normal(live)
    assert sum(c["count"] for c in pre["clusters"]) + len(pre["points"]) == \
        Problem.objects.filter(status__in=Problem.PUBLISHED).count()


def test_publish_adds_and_merge_takes_out(world):
    def report():
        return services.problem_report(actor=world["resident"], category=world["pothole"], lat=45.01, lon=38.01,
                                       description="Яма у остановки, глубокая")

    first, second = report(), report()
    assert not MapCell.objects.exists()  # awaiting moderation: not on the map
    first = services.problem_publish(actor=world["moderator"], problem=first)
    second = services.problem_publish(actor=world["moderator"], problem=second)
    cell = MapCell.objects.get()
    assert (cell.n, cell.min_id) == (2, first.pk)
    services.problem_merge(actor=world["moderator"], problem=first, into=second)
    cell = MapCell.objects.get()
    assert (cell.n, cell.min_id) == (1, second.pk)
    assert cell.sum_lat == pytest.approx(45.01)
    services.problem_merge(actor=world["moderator"], problem=services.problem_publish(
        actor=world["moderator"], problem=report()), into=second)
    assert MapCell.objects.get().n == 1
    data = selectors.map_features(bbox=(37.9, 44.9, 38.1, 45.1), zoom=10, use_cache=False)
    assert data["points"] == [{"id": second.pk, "lat": pytest.approx(45.01), "lon": pytest.approx(38.01)}]
