import pytest

from krai.opendata.tests.factories import DatasetFactory
from krai.org.models import Role
from krai.org.tests.factories import OrganisationFactory, StaffFactory, assign


@pytest.fixture
def owner(db):
    return OrganisationFactory(inn="2308000001", code="education")


@pytest.fixture
def publisher(owner):
    user = StaffFactory()
    assign(user, Role.EXECUTOR, organisation=owner)
    return user


@pytest.fixture
def stranger(db):
    other = OrganisationFactory(inn="2308000002")
    user = StaffFactory()
    assign(user, Role.EXECUTOR, organisation=other)
    return user


@pytest.fixture
def dataset(owner):
    return DatasetFactory(owner=owner, identifier="2308000001-schools")
