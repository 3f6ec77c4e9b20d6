"""Ratings, editions, the change of place (shared places too), the drop alert and the order opened from it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from krai.core.notifications.models import Notification
from krai.monitoring.rankings import selectors, services
from krai.monitoring.rankings.models import RatingEdition, RatingPlace, RussianRegion
from krai.orders.models import Assignment
from krai.org.tests.factories import StaffFactory

from .conftest import add_edition, region

pytestmark = pytest.mark.django_db


def test_the_89_federal_subjects_are_seeded_with_their_official_codes():
    assert RussianRegion.objects.count() == 89
    assert RussianRegion.objects.get(code="23").name == "Краснодарский край"
    assert RussianRegion.objects.get(code="93").name == "Донецкая Народная Республика"
    assert selectors.home_region().code == "23"


@pytest.mark.parametrize(("before", "now", "direction", "delta"), [
    ((5, 7), (5, None), "same", 0),      # "5–7" → 5: the shared place counts as its first
    ((5, 7), (9, None), "down", -4),
    ((12, None), (8, 9), "up", 4),
    ((3, None), (3, None), "same", 0),
])
def test_the_change_of_place_counts_a_shared_place_as_its_first(before, now, direction, delta):
    change = selectors.compare(RatingPlace(place=now[0], place_to=now[1]), RatingPlace(place=before[0],
                                                                                       place_to=before[1]))
    assert (change.direction, change.delta) == (direction, delta)
    assert change.fell_by == max(-delta, 0)
    assert selectors.compare(RatingPlace(place=4), None).direction == "new"
    assert selectors.compare(None, None).direction == "none"


def test_standings_give_the_home_place_and_change_against_the_previous_edition(rating, owner):
    add_edition(owner, rating, 2023, {"23": (5, 7, {}), "26": (1, None, {})})
    add_edition(owner, rating, 2024, {"23": (8, None, {}), "26": (2, None, {})})
    now = selectors.standing(rating)
    assert (now.edition.year, now.previous_edition.year) == (2024, 2023)
    assert (now.change.current.place, now.change.direction, now.change.delta) == (8, "down", -3)
    assert not now.dropped  # 3 places, the threshold is 5
    rows = selectors.neighbours_table(rating)
    assert [r["region"].code for r in rows] == ["23", "26", "61"]
    assert rows[1]["standing"].change.delta == -1 and rows[2]["standing"].change.direction == "none"
    history = selectors.history(rating, [region("23")])
    assert history["periods"] == ["2023", "2024"] and history["series"][0]["places"] == [5, 8]


def test_a_fall_past_the_threshold_tells_the_owner_once_and_can_become_an_order(rating, owner):
    add_edition(owner, rating, 2023, {"23": (4, None, {"reg": 80, "infra": 70})})
    assert not Notification.objects.filter(kind=services.DROP_KIND).exists()
    add_edition(owner, rating, 2024, {"23": (9, None, {"reg": 60, "infra": 72})})
    told = Notification.objects.get(kind=services.DROP_KIND)
    assert told.user == owner and "5" in told.title and told.url == rating.get_absolute_url()
    assert selectors.standing(rating).dropped
    lost = selectors.lost_directions(rating)
    assert [row["code"] for row in lost] == ["reg", "infra"] and float(lost[0]["delta"]) == -20.0
    assignment = services.order_from_drop(actor=owner, rating=rating, working_days=10)
    assert assignment.kind == "monitoring.rating"
    assert assignment.executor_organisation == owner.owned_organisation
    assert assignment.subject_id == str(RatingEdition.objects.get(year=2024).pk)
    with pytest.raises(ValidationError):  # one open order per edition
        services.order_from_drop(actor=owner, rating=rating, working_days=10)
    assert Assignment.objects.count() == 1


def test_an_older_edition_typed_late_does_not_alert(rating, owner):
    add_edition(owner, rating, 2024, {"23": (4, None, {})})
    add_edition(owner, rating, 2022, {"23": (1, None, {})})
    add_edition(owner, rating, 2023, {"23": (20, None, {})})  # a fall, but not in the newest edition
    assert not Notification.objects.filter(kind=services.DROP_KIND).exists()


def test_editions_are_checked_with_reasons_by_field(rating, owner):
    with pytest.raises(ValidationError) as caught:
        add_edition(owner, rating, 2024, {"23": (90, None, {})}, count=89)
    assert "place" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        add_edition(owner, rating, 2024, {"23": (5, 3, {})})
    assert "place_to" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.edition_create(actor=owner, rating=rating, year=2024, quarter=2, regions_count=89,
                                places=[{"region": region("23"), "place": 1}])
    assert "quarter" in caught.value.message_dict
    add_edition(owner, rating, 2024, {"23": (5, None, {})})
    with pytest.raises(ValidationError) as caught:
        add_edition(owner, rating, 2024, {"23": (6, None, {})})
    assert "year" in caught.value.message_dict
    assert RatingEdition.objects.count() == 1


def test_who_keeps_ratings(rating, owner, controller):
    stranger = StaffFactory()
    with pytest.raises(PermissionDenied):
        services.rating_create(actor=stranger, code="x", name="X", publisher="P")
    with pytest.raises(PermissionDenied):
        add_edition(stranger, rating, 2024, {"23": (1, None, {})})
    with pytest.raises(PermissionDenied):
        services.rating_update(actor=stranger, rating=rating, name="Другое")
    services.rating_update(actor=owner, rating=rating, name="Инвестклимат регионов", drop_threshold=3)
    rating.refresh_from_db()
    assert (rating.name, rating.drop_threshold) == ("Инвестклимат регионов", 3)
    with pytest.raises(ValidationError):
        services.rating_create(actor=controller, code="bad code", name="X", publisher="P")
    with pytest.raises(ValidationError):
        services.rating_create(actor=controller, code="ok", name="X", publisher="P",
                               directions=[{"code": "a", "name": "A"}, {"code": "a", "name": "B"}])
