"""The efficiency pages cost a constant number of queries however many units and people they show: grouped
aggregates, rolled up in Python, never a query per unit or person."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from krai.administration.tests.efficiency_factories import answered, assignment, returned, scenario
from krai.org.tests.factories import OrganisationFactory, StaffFactory

pytestmark = pytest.mark.django_db

PERIOD = "from=2026-03-01&to=2026-03-31"


def _grow(parent, n: int) -> None:
    """``n`` more sub-units under ``parent``, each with a unit below it, a person and late, overdue, returned
    and answered work."""
    for i in range(n):
        unit = OrganisationFactory(name=f"Отдел {i}", parent=parent, block=parent.block, kind="unit")
        inner = OrganisationFactory(name=f"Сектор {i}", parent=unit, block=parent.block, kind="unit")
        person = StaffFactory()
        late = assignment(inner, person, issued=date(2026, 2, 1), deadline=date(2026, 3, 2), done=date(2026, 3, 5))
        assignment(unit, person, issued=date(2026, 2, 1), deadline=date(2026, 3, 3))
        returned(late, date(2026, 3, 4))
        answered(inner, person, day=date(2026, 3, 6), due=date(2026, 3, 9), ratings=(4,))


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_units(client, django_assert_max_num_queries):
    s = scenario()
    w = s.w
    client.force_login(w.head)
    urls = [f"/workspace/administration/efficiency/?{PERIOD}",
            f"/workspace/administration/efficiency/units/{w.health.pk}/?{PERIOD}",
            f"/workspace/administration/efficiency/people/{w.boris.pk}/?{PERIOD}"]
    for url in urls:  # caches warmed (the calendar, content types), as on a running server
        client.get(url)
    small = [_count(client, url) for url in urls]
    _grow(w.health, 12)
    large = [_count(client, url) for url in urls]
    assert large == small
    for url, n in zip(urls, small, strict=True):
        with django_assert_max_num_queries(n):
            client.get(url)
    assert max(small) <= 30
