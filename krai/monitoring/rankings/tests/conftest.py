"""Fixtures of the rankings tests: a rating owned by a staff member, with directions and neighbours."""

from __future__ import annotations

import pytest

from krai.monitoring.rankings import services
from krai.monitoring.rankings.models import Rating, RussianRegion
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign


@pytest.fixture(autouse=True)
def regions(db) -> None:
    """The 89 subjects: seeded by a data migration, which a transactional test elsewhere may have flushed."""
    RussianRegion.ensure_all()


@pytest.fixture
def owner(db):
    user = StaffFactory()
    organisation = OrganisationFactory()
    assign(user, Role.HEAD, organisation=organisation)
    user.owned_organisation = organisation
    return user


@pytest.fixture
def controller(db):
    user = StaffFactory()
    assign(user, Role.CONTROLLER)
    return user


@pytest.fixture
def rating(owner, controller) -> Rating:
    return services.rating_create(
        actor=controller, code="invest", name="Инвестклимат", publisher="АСИ", periodicity="year",
        directions=[{"code": "reg", "name": "Регуляторная среда"}, {"code": "infra", "name": "Инфраструктура"}],
        owner=owner, owner_organisation=owner.owned_organisation, drop_threshold=5,
        neighbours=list(RussianRegion.objects.filter(code__in=["26", "61"])))


def region(code: str) -> RussianRegion:
    return RussianRegion.objects.get(code=code)


def add_edition(actor, rating: Rating, year: int, places: dict[str, tuple], count: int = 89):
    """``places``: region code → (place, place_to, {direction: sub-score})."""
    return services.edition_create(actor=actor, rating=rating, year=year, regions_count=count, places=[
        {"region": region(code), "place": p, "place_to": to, "score": 50, "subscores": subs}
        for code, (p, to, subs) in places.items()])
