"""The pages and the API of the rankings monitor: staff read, keepers write, a resident is refused; the crawl's
entries open on the demo data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from krai.monitoring.rankings import crawl
from krai.monitoring.rankings.models import RatingEdition
from krai.orders.models import Assignment
from krai.org.tests.factories import StaffFactory, UserFactory

from .conftest import add_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def dropped(rating, owner):
    add_edition(owner, rating, 2023, {"23": (3, None, {"reg": 80, "infra": 70}), "26": (1, 2, {})})
    add_edition(owner, rating, 2024, {"23": (11, None, {"reg": 60, "infra": 75}), "26": (2, None, {})})
    return rating


def test_staff_see_the_list_the_rating_with_its_charts_and_the_edition(client, dropped):
    client.force_login(StaffFactory())
    page = client.get(reverse("monitoring:rankings:list")).content.decode()
    assert 'data-rating="invest"' in page and 'data-change="down"' in page and "table-danger" in page
    page = client.get(dropped.get_absolute_url()).content.decode()
    assert 'id="rankings-history"' in page and "rankings-history-data" in page and 'id="rankings-drop"' in page
    assert "Регуляторная среда" in page and "Ставропольский край" in page
    assert "rankings-order" not in page  # a reader may not put the owner's work on control
    edition = RatingEdition.objects.get(year=2024)
    page = client.get(edition.get_absolute_url()).content.decode()
    assert 'data-region="23"' in page and 'data-region="26"' in page
    assert client.get(reverse("monitoring:rankings:rating", args=["nope"])).status_code == 404


def test_the_owner_types_an_edition_and_opens_an_order_from_the_drop(client, dropped, owner):
    client.force_login(owner)
    page = client.get(dropped.get_absolute_url()).content.decode()
    assert 'id="rankings-order"' in page and "opt.rating=invest" in page
    answer = client.post(reverse("monitoring:rankings:edition-new", args=["invest"]),
                         {"year": 2025, "regions_count": 89, "place": 95})
    assert answer.status_code == 200 and "invalid-feedback" in answer.content.decode()
    answer = client.post(reverse("monitoring:rankings:edition-new", args=["invest"]),
                         {"year": 2024, "regions_count": 89, "place": 4})
    assert answer.status_code == 200 and RatingEdition.objects.count() == 2  # the period exists: refused
    answer = client.post(reverse("monitoring:rankings:order", args=["invest"]),
                         {"executor_organisation": owner.owned_organisation.pk, "working_days": 10})
    assignment = Assignment.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("orders:assignment", args=[assignment.pk])
    answer = client.post(reverse("monitoring:rankings:edition-new", args=["invest"]),
                         {"year": 2025, "regions_count": 89, "place": 4, "sub_reg": "70.5"})
    edition = RatingEdition.objects.get(year=2025)
    assert answer.status_code == 302 and edition.places.get().subscores == {"reg": 70.5}


def test_a_resident_and_a_stranger_are_refused(client, dropped):
    client.force_login(UserFactory())
    assert client.get(reverse("monitoring:rankings:list")).status_code == 403
    assert client.get(dropped.get_absolute_url()).status_code == 404
    assert client.get(reverse("rankings-api-list")).status_code == 403
    assert client.get(reverse("rankings-api-detail", args=["invest"])).status_code == 404
    client.force_login(StaffFactory())  # staff read, but do not write
    assert client.get(reverse("monitoring:rankings:edition-new", args=["invest"])).status_code == 403
    assert client.get(reverse("monitoring:rankings:rating-new")).status_code == 403
    answer = client.post(reverse("rankings-api-editions", args=["invest"]),
                         {"year": 2025, "regions_count": 89, "places": [{"place": 1}]}, content_type="application/json")
    assert answer.status_code == 403


def test_the_api_lists_details_and_takes_a_typed_edition(client, dropped, owner):
    client.force_login(owner)
    rows = client.get(reverse("rankings-api-list")).json()["results"]
    assert rows[0]["code"] == "invest" and rows[0]["change"]["direction"] == "down"
    assert rows[0]["change"]["delta"] == -8 and rows[0]["dropped"] is True
    detail = client.get(reverse("rankings-api-detail", args=["invest"])).json()
    assert [e["period"] for e in detail["editions"]] == ["2023", "2024"]
    assert detail["history"]["series"][0]["places"] == [3, 11] and detail["lost_directions"][0]["code"] == "reg"
    answer = client.post(reverse("rankings-api-editions", args=["invest"]), {
        "year": 2025, "regions_count": 89, "places": [{"place": 2}, {"region": "Ставропольский край", "place": 1}]},
        content_type="application/json")
    assert answer.status_code == 201, answer.content
    edition = client.get(reverse("rankings-api-edition", args=["invest", answer.json()["id"]])).json()
    assert [(p["region"], p["place"]) for p in edition["places"]] == [("26", 1), ("23", 2)]
    answer = client.post(reverse("rankings-api-editions", args=["invest"]),
                         {"year": 2025, "regions_count": 89, "places": [{"place": 3}]}, content_type="application/json")
    assert answer.status_code == 400 and "error" in answer.json()


def test_the_crawl_entries_open_on_the_demo_data(client):
    from krai.monitoring.rankings.demo import load_rankings

    head = StaffFactory(email="head.health@demo.krai")
    load_rankings(scale=1, stdout=None)
    load_rankings(scale=1, stdout=None)  # idempotent
    assert RatingEdition.objects.count() == 25
    client.force_login(head)
    for page in crawl.PAGES:
        assert page.login == "head.health@demo.krai"
        assert client.get(page.path).status_code == 200, page.path
