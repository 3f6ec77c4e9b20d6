"""The lawsuits tile counts what the case list shows: each figure is the number of rows of the list it links to
(open cases, cases with a hearing within 7 days, cases with no next step) — for the governor and for the head of
one of two bodies."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from krai.monitoring import tiles
from krai.monitoring.lawsuits import services
from krai.monitoring.lawsuits.models import Stage
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign

pytestmark = pytest.mark.django_db


def _case(body, head, number: str):
    return services.case_create(actor=head, organisation=body, number=number, court="АС КК", our_side="defendant",
                                filed_on=timezone.localdate() - dt.timedelta(days=100), amount_claimed=Decimal("1"))


@pytest.fixture
def people():
    """Body A: a case heard twice this week, an idle case, a closed case; body B: a case heard in 10 days, an
    idle case."""
    heads = []
    for numbers in (("a-week", "a-idle", "a-closed"), ("b-later", "b-idle")):
        body, head = OrganisationFactory(), StaffFactory()
        assign(head, Role.HEAD, organisation=body)
        cases = {number: _case(body, head, number) for number in numbers}
        heads.append((head, cases))
    (head_a, a), (head_b, b) = heads
    now = timezone.now()
    for days in (2, 5):  # two hearings, one case: the list shows one row
        services.hearing_add(actor=head_a, case=a["a-week"], starts_at=now + dt.timedelta(days=days))
    services.hearing_add(actor=head_b, case=b["b-later"], starts_at=now + dt.timedelta(days=10))
    services.case_change_stage(actor=head_a, case=a["a-closed"], stage=Stage.CLOSED)
    governor = StaffFactory()
    assign(governor, Role.GOVERNOR)
    return {"governor": governor, "head": head_a}


@pytest.mark.parametrize(("who", "expected"), [("governor", [4, 1, 2]), ("head", [2, 1, 1])])
def test_the_tile_counts_what_the_list_shows(people, who, expected):
    user = people[who]
    tile = next(t for t in tiles.tiles_for(user) if t.key == "lawsuits")
    assert [value for _label, value, _tone in tile.figures] == expected
    client = Client()
    client.force_login(user)
    for figure in tile.figures:
        page = client.get(figure.url)
        assert page.status_code == 200
        listed = re.findall(r'<tr data-case="(\d+)"', page.content.decode())
        assert len(listed) == figure[1], (figure.url, listed)
