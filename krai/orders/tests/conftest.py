import pytest

from krai.orders.tests.factories import government


@pytest.fixture
def gov(db):
    return government()
