import pytest

from krai.integration.consolidation import pushing
from krai.integration.consolidation.tests.helpers import Loopback
from krai.orders.tests.factories import government


@pytest.fixture
def gov(db):
    return government()


@pytest.fixture
def loopback(monkeypatch):
    transport = Loopback()
    monkeypatch.setattr(pushing.requests, "post", transport)
    return transport
