"""The staffing tile counts what the monitor's page lists: the fill rate is the page's total, the overdue critical
vacancies and the units below the threshold are the rows of its risk lists — for the governor (two bodies) and
for the head of one of them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from krai.monitoring import tiles
from krai.monitoring.staffing import services
from krai.monitoring.staffing.tests.factories import make_body
from krai.org.models import Role
from krai.org.tests.factories import StaffFactory, assign

pytestmark = pytest.mark.django_db
LONG_AGO = dt.date.today() - dt.timedelta(days=20)


@pytest.fixture
def bodies(settings):
    """The first body: its critical post vacant 20 days, unit A half filled, unit B filled (60 %); the second:
    nobody, its critical post vacant 20 days and another post vacant (not critical)."""
    settings.KRAI_STAFF_CRITICAL_VACANCY_DAYS = 10
    first, second = make_body(), make_body()
    services.vacancy_open(actor=first.head, position=first.lead, opened_on=LONG_AGO)
    services.employment_record(actor=first.head, position=first.spec, person_name="Петров П. П.",
                               started_on=LONG_AGO)
    services.employment_record(actor=first.head, position=first.half, person_name="Сидоров С. С.",
                               started_on=LONG_AGO)
    services.vacancy_open(actor=second.head, position=second.lead, opened_on=LONG_AGO)
    services.vacancy_open(actor=second.head, position=second.spec, opened_on=LONG_AGO)
    governor = StaffFactory()
    assign(governor, Role.GOVERNOR)
    return governor, first.head


@pytest.mark.parametrize(("who", "expected"), [(0, [30, 2, 3]), (1, [60, 1, 1])], ids=["governor", "head"])
def test_the_tile_counts_what_the_page_shows(bodies, who, expected):
    user = bodies[who]
    tile = next(t for t in tiles.tiles_for(user) if t.key == "staffing")
    assert [value for _label, value, _tone in tile.figures] == expected
    client = Client()
    client.force_login(user)
    pages = {}
    for figure in tile.figures:
        path = figure.url.split("#")[0]
        pages.setdefault(path, client.get(path).content.decode())
    rate, vacancies, units = tile.figures
    page = pages[rate.url]
    assert re.search(r'id="st-total">(\d+) %', page).group(1) == str(rate[1])
    assert vacancies.url.endswith("#st-critical") and len(re.findall(r"data-vacancy=", page)) == vacancies[1]
    assert units.url.endswith("#st-low") and len(re.findall(r"data-unit=", page)) == units[1]
