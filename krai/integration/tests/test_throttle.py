"""A registered system's requests count against its own rate limit (its own, or the installation's default); every
other request passes untouched and without a query. A refusal is a 429 in the one error format with Retry-After."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIRequestFactory

from krai.accounts.tests.factories import make_token
from krai.integration.tests.factories import controller, external_system, system_token
from krai.integration.tests.systems_helpers import api
from krai.integration.throttling import SystemRateThrottle

pytestmark = pytest.mark.django_db
ME = "/api/v1/integration/me/"
LOG = "/api/v1/integration/exchange/"


def _client(key: str):
    return api(key=key)


def test_a_system_is_limited_by_its_own_rate() -> None:
    system = external_system(rate_limit="2/min")
    key, other_key = system_token(system).key, system_token(system).key
    client = _client(key)
    assert [client.get(ME).status_code for _ in range(2)] == [200, 200]
    refused = client.get(ME)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert refused.json()["error"]["status"] == 429 and refused.json()["error"]["code"] == "throttled"
    assert _client(other_key).get(LOG).status_code == 429  # all its tokens share its window
    neighbour = external_system("ais-health", rate_limit="2/min")
    assert _client(system_token(neighbour).key).get(ME).status_code == 200  # a window per system


def test_the_default_rate_applies_when_the_system_sets_none(settings) -> None:
    settings.KRAI_INTEGRATION_SYSTEM_RATE = "1/hour"
    client = _client(system_token(external_system()).key)
    assert client.get(ME).status_code == 200
    assert client.get(ME).status_code == 429


def test_other_requests_are_not_counted() -> None:
    person = controller()
    key = make_token(person, scopes=("read",))[1]
    assert all(_client(key).get(LOG).status_code == 200 for _ in range(5))
    throttle = SystemRateThrottle()
    request = APIRequestFactory().get(LOG)
    request.auth = None
    with CaptureQueriesContext(connection) as queries:
        assert throttle.allow_request(request, None)
    assert len(queries) == 0
