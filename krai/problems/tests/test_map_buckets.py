"""The filtered map's buckets give the clusters the live query gives, and the services keep them exact."""

import datetime as dt
import random
from unittest import mock

import pytest
from django.utils import timezone

from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory
from krai.problems import buckets, engine, selectors, services
from krai.problems.models import MapBucket, Problem
from krai.problems.tests.factories import CategoryFactory
from krai.problems.tests.test_map_grid import BOX, normal

START = dt.datetime(2026, 3, 1, 20, 30, tzinfo=dt.UTC)  # 23:30 in Moscow: creation times cross its midnight


@pytest.fixture
def spread(db):
    """200 problems: two themes under a parent and one alone, two municipalities, every status, 100 days."""
    rng = random.Random(5)
    roads = CategoryFactory(code="roads")
    themes = [CategoryFactory(code="pothole", parent=roads), CategoryFactory(code="kerb", parent=roads),
              CategoryFactory(code="light")]
    towns = [MunicipalityFactory(), MunicipalityFactory()]
    statuses = [*Problem.Status.values]
    made = Problem.objects.bulk_create([
        Problem(category=rng.choice(themes), municipality=rng.choice(towns), lon=rng.uniform(*BOX[::2]),
                lat=rng.uniform(*BOX[1::2]), status=status, moderation_reason="x" if status == "rejected" else "",
                description="x", public_description="x")
        for status in (rng.choice(statuses) for _ in range(200))])
    for problem in made:  # created_at is set on insert: back-date it as the demo does
        problem.created_at = START + dt.timedelta(hours=rng.randrange(100 * 24))
    Problem.objects.bulk_update(made, ["created_at"])
    Problem.objects.filter(pk__in=[p.pk for p in made[:6]]).update(duplicate_of=made[-1])
    buckets.rebuild()
    return {"roads": roads, "themes": themes, "towns": towns}


def cases(spread):
    pothole, light, town = spread["themes"][0], spread["themes"][2], spread["towns"][0]
    local = timezone.localtime(START).date()  # the first day in the site's zone (2 March)
    return [
        selectors.Filters(category=spread["roads"]),  # a parent theme: its children too
        selectors.Filters(category=light),
        selectors.Filters(status="open"),
        selectors.Filters(status="fixed"),
        selectors.Filters(status="new"),  # not on the map at all: nothing, both ways
        selectors.Filters(date_from=local, date_to=local + dt.timedelta(days=9)),  # inside a month
        selectors.Filters(date_from=local + dt.timedelta(days=20)),  # whole months after a few days
        selectors.Filters(date_to=local),
        selectors.Filters(date_to=dt.date(2026, 4, 30)),  # ends with a whole month
        selectors.Filters(date_from=dt.date(2026, 3, 15), date_to=dt.date(2026, 5, 20)),  # days, April, days
        selectors.Filters(date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 5, 31)),  # two whole months
        selectors.Filters(date_from=dt.date(2026, 3, 31), date_to=dt.date(2026, 5, 1)),
        selectors.Filters(date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 4, 30), municipality_id=town.pk),
        selectors.Filters(municipality_id=town.pk),
        selectors.Filters(category=pothole, status="closed", date_from=local + dt.timedelta(days=5),
                          date_to=local + dt.timedelta(days=30), municipality_id=town.pk),
        selectors.Filters(category=spread["roads"], status="open", date_from=local + dt.timedelta(days=3)),
        selectors.Filters(status="closed", date_to=dt.date(2026, 4, 30)),
        selectors.Filters(category=light, date_from=dt.date(2026, 4, 1)),
    ]


@pytest.mark.parametrize("zoom", [6, 8, 9, 12])  # 8 and further out: the coarse copy
def test_buckets_equal_the_live_query(spread, zoom):
    view = selectors._snap(BOX, buckets.grid.cell_size(zoom))
    seen = 0
    for filters in cases(spread):
        live = selectors.map_features(bbox=view, zoom=zoom, filters=filters, use_cache=False, use_grid=False)
        with mock.patch.object(selectors.Problem.objects, "filter", side_effect=AssertionError("went live")):
            pre = selectors.map_features(bbox=view, zoom=zoom, filters=filters, use_cache=False)
        assert normal(pre) == normal(live), filters
        seen += sum(c["count"] for c in live["clusters"]) + len(live["points"])
    assert seen > 300  # the cases are not empty views


def test_other_filters_go_live(spread):
    view = selectors._snap(BOX, buckets.grid.cell_size(8))
    with mock.patch.object(buckets, "clusters", side_effect=AssertionError("buckets")):
        for filters in (selectors.Filters(text="яма"), selectors.Filters(overdue=True),
                        selectors.Filters(organisation_id=OrganisationFactory().pk, status="open")):
            selectors.map_features(bbox=view, zoom=8, filters=filters, use_cache=False)
        with timezone.override("Asia/Vladivostok"):  # another day boundary than the buckets'
            selectors.map_features(bbox=view, zoom=8, filters=selectors.Filters(status="open"), use_cache=False)


def kept() -> list[tuple]:
    return sorted(MapBucket.objects.values_list("zoom", "level", "gx", "gy", "municipality_id", "category_id",
                                                "status", "day", "n", "sum_id"))


def test_every_service_change_keeps_the_buckets_as_a_rebuild_would(world, settings):
    settings.KRAI_PROBLEMS_PER_HOUR = 100
    def report(lat=45.01, lon=38.01, category=None):
        return services.problem_report(actor=world["resident"], category=category or world["pothole"], lat=lat,
                                       lon=lon, description="Яма у остановки, глубокая")

    moderator, executor = world["moderator"], world["executor"]
    a, b, c, d, e = (report(lat=45.01 + i * 0.03, lon=38.01 - i * 0.02) for i in range(5))
    rejected = report()
    services.problem_reject(actor=moderator, problem=rejected, reason="Не проблема")
    a = services.problem_publish(actor=moderator, problem=a)
    b = services.problem_publish(actor=moderator, problem=b, category=world["light"])  # re-categorised
    c = services.problem_publish(actor=moderator, problem=c)
    d = services.problem_publish(actor=moderator, problem=d)
    services.problem_take(actor=executor, problem=a)
    services.problem_answer(actor=executor, problem=a, answer="fixed", text="Заделали")
    services.problem_answer(actor=executor, problem=b, answer="planned", text="В плане",
                            planned_date=timezone.localdate() + dt.timedelta(days=30))
    services.problem_answer(actor=executor, problem=c, answer="declined", text="Не в ведении")
    services.problem_reopen(actor=world["resident"], problem=c, reason="Всё ещё яма")
    services.problem_rate(actor=world["resident"], problem=a, rating=1, comment="Не заделали")  # reopens
    services.problem_reassign(actor=executor, problem=c, organisation=OrganisationFactory(), reason="Не наше")
    services.problem_merge(actor=moderator, problem=d, into=a)  # a published duplicate leaves the map
    services.problem_merge(actor=moderator, problem=e, into=a)  # one awaiting moderation never was on it
    if engine.available():  # the orders area's report and return come back through the sync
        import importlib

        from krai.core.events.dispatch import deliver_pending

        control = importlib.import_module("krai.orders.services")  # as test_control_sync: no import between areas

        deliver_pending()
        control.control_report(actor=None, assignment=engine.assignment_for(c), text="Сделано")
        deliver_pending()
        assert Problem.objects.get(pk=c.pk).status == Problem.Status.FIXED
        control.control_return(actor=None, assignment=engine.assignment_for(c), reason="Нет фото")
        deliver_pending()
        assert Problem.objects.get(pk=c.pk).status == Problem.Status.IN_WORK
    statuses = dict(Problem.objects.values_list("pk", "status"))
    assert [statuses[p.pk] for p in (a, b, c, d)][:2] == ["reopened", "planned"]
    moved = kept()
    assert {row[:2] for row in moved} == set(buckets.KEPT)
    buckets.rebuild()
    assert kept() == moved
    for zoom, level in buckets.KEPT:  # a, b, c: the rest are merged or rejected
        assert sum(row[8] for row in moved if row[:2] == (zoom, level)) == 3
