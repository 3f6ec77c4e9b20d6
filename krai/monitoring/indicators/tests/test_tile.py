"""The indicators tile counts what its lists show: each colour's figure is the number of rows of the deviation
table filtered to that colour, the overdue reports those of the reports page filtered to overdue — for the
governor (the region) and for a head (his ministry and its units)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client

from krai.monitoring import tiles
from krai.monitoring.indicators import services
from krai.monitoring.indicators.tests.helpers import indicator, submitted
from krai.orders.tests.factories import government

MARCH = date(2025, 4, 8)


@pytest.fixture
def gov(db):
    gov = government()
    beds = indicator(gov.health, "beds", plans=[(None, 2025, 0, 1200)])  # 270 of 300 to date: behind
    clinics = indicator(gov.health, "clinics", kind="level", plans=[(None, 2025, 0, 100)])  # on plan
    doctors = indicator(gov.health, "doctors", kind="level", plans=[(None, 2025, 0, 100)])  # far behind
    indicator(gov.health, "nodata", kind="level", plans=[(None, 2025, 0, 100)])  # never reported
    unit = indicator(gov.unit, "unit", kind="level", plans=[(None, 2025, 0, 10)])  # on plan, below the ministry
    tax = indicator(gov.finance, "tax", kind="level", plans=[(None, 2025, 0, 50)])  # far behind, another block
    submitted(gov.health, 2025, 3, [(beds, 270), (clinics, 100), (doctors, 50)], on=MARCH)
    submitted(gov.unit, 2025, 3, [(unit, 10)], on=MARCH)
    submitted(gov.finance, 2025, 3, [(tax, 40)], on=MARCH)
    for organisation in (gov.health, gov.finance):  # April's reports were due in May 2025: overdue
        services.report_schedule(actor=None, organisation=organisation, year=2025, month=4, due_on=date(2025, 5, 12))
    return gov


def rows_of(user, url: str, pattern: str) -> list[str]:
    client = Client()
    client.force_login(user)
    page = client.get(url)
    assert page.status_code == 200
    return re.findall(pattern, page.content.decode())


@pytest.mark.parametrize(("who", "expected"), [("governor", [2, 1, 2, 2]), ("head", [2, 1, 1, 1])])
def test_the_tile_counts_what_the_list_shows(gov, who, expected):
    user = getattr(gov, who)
    tile = next(t for t in tiles.tiles_for(user) if t.key == "indicators")
    assert [value for _label, value, _tone in tile.figures] == expected
    for figure, colour in zip(tile.figures[:3], ("ok", "warn", "critical"), strict=True):
        assert figure.url.endswith(f"?colour={colour}")
        shown = rows_of(user, figure.url, r'<tr class="[^"]*" data-colour="(\w+)"')
        assert len(shown) == figure[1] and set(shown) == {colour}, (colour, shown)
    overdue = tile.figures[3]
    assert len(rows_of(user, overdue.url, r'<tr data-report="(\d+)"')) == overdue[1]
    everything = rows_of(user, tile.note_url, r'<tr class="[^"]*" data-colour="(\w+)"')
    assert len(everything) == (6 if who == "governor" else 5) and str(len(everything)) in str(tile.note)
