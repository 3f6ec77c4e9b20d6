"""The efficiency API with real tokens: units, a unit, a unit's people, a person — paged, scoped (404 outside),
the error format for bad periods, refusals without the permission."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from krai.accounts.tests.factories import make_token
from krai.administration.tests.efficiency_factories import scenario

pytestmark = pytest.mark.django_db

API = "/api/v1/administration/efficiency"
PERIOD = "from=2026-03-01&to=2026-03-31&compare_from=2026-02-01&compare_to=2026-02-28"


def client_of(user, scopes=("read",)) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Bearer {make_token(user, scopes=scopes)[1]}", HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def s():
    return scenario()


def test_units_unit_people_person(s):
    w = s.w
    api = client_of(w.head)
    top = api.get(f"{API}/units/?{PERIOD}").json()
    assert top["count"] == 1 and top["results"][0]["id"] == w.health.pk
    health = top["results"][0]
    assert health["period"]["closed"] == 4 and health["compare"]["closed"] == 1 and health["change"]["closed"] == 3
    assert health["period"]["average_delay"] == 2.0 and health["period"]["too_few"] is True
    subs = api.get(f"{API}/units/?{PERIOD}&unit={w.health.pk}").json()
    assert [r["id"] for r in subs["results"]] == [w.unit.pk]
    one = api.get(f"{API}/units/{w.unit.pk}/?{PERIOD}&only=true").json()
    assert one["only"] is True and one["total"]["period"]["closed"] == 2 and one["units"] == []
    assert one["period"] == {"start": "2026-03-01", "end": "2026-03-31"} and one["overdue_on"] == "2026-03-31"
    people = api.get(f"{API}/people/?{PERIOD}&unit={w.health.pk}&sort=closed&page_size=2").json()
    assert people["count"] == 3 and people["results"][0]["id"] == w.anna.pk and people["next"]
    boris = api.get(f"{API}/people/{w.boris.pk}/?{PERIOD}").json()
    assert boris["total"]["name"].startswith("Борисов") and boris["total"]["period"]["overdue"] == 3


def test_scoped_like_the_pages(s):
    w = s.w
    api = client_of(w.head)
    for url in (f"{API}/units/{w.finance.pk}/", f"{API}/people/{w.fedor.pk}/", f"{API}/units/?unit={w.finance.pk}",
                f"{API}/people/?unit={w.finance.pk}", f"{API}/units/999999/"):
        answer = api.get(url)
        assert answer.status_code == 404, url
        assert "error" in answer.json()
    governor = client_of(w.governor).get(f"{API}/units/?{PERIOD}").json()
    assert {r["id"] for r in governor["results"]} >= {w.health.pk, w.finance.pk}


def test_refusals_and_bad_input(s):
    w = s.w
    assert client_of(w.anna).get(f"{API}/units/").status_code == 403
    assert APIClient().get(f"{API}/units/").status_code in (401, 403)
    api = client_of(w.head)
    bad = api.get(f"{API}/units/?from=2026-03-31&to=2026-03-01")
    assert bad.status_code == 400 and "to" in bad.json()["error"]["fields"]
    assert api.get(f"{API}/units/?from=nonsense").status_code == 400
    assert api.get(f"{API}/units/?sort=nonsense").status_code == 400
    missing = api.get(f"{API}/people/")
    assert missing.status_code == 400 and "unit" in missing.json()["error"]["fields"]
