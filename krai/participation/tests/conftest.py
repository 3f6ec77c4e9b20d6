import pytest
from django.utils import translation

from krai.org.models import Role
from krai.org.tests.factories import MunicipalityFactory, OrganisationFactory, StaffFactory, assign
from krai.participation.tests.factories import ResidentFactory


@pytest.fixture
def town(db):
    return MunicipalityFactory(name="Город", population=400_000)


@pytest.fixture
def village(db):
    return MunicipalityFactory(name="Станица", population=40_000)


@pytest.fixture
def resident(town):
    return ResidentFactory(home_municipality=town)


@pytest.fixture
def department(db):
    return OrganisationFactory(name="Министерство транспорта")


@pytest.fixture
def organiser(department):
    """A head of the department: runs its polls and campaigns, sees its services' ratings."""
    user = StaffFactory(surname="Организатор")
    assign(user, Role.HEAD, organisation=department)
    return user


@pytest.fixture
def admin_user(db):
    user = StaffFactory(surname="Администратор")
    assign(user, Role.ADMINISTRATOR)
    return user


@pytest.fixture
def controller(db):
    user = StaffFactory(surname="Контролёр")
    assign(user, Role.CONTROLLER)
    return user


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in the source language, whatever the catalogue holds."""
    with translation.override("en"):
        yield
