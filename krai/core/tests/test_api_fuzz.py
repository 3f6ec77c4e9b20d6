"""The REST API fuzzed from its own OpenAPI schema (schemathesis): no input makes it fail with a 5xx.

Every operation of /api/schema/ gets generated requests — valid and invalid parameters and bodies —
sent by an administrator's token, so the views run past authentication into validation and services.
Whatever comes in, the answer must be a 2xx/3xx/4xx in the one error format, never a server error.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from krai.wsgi import application

pytestmark = pytest.mark.slow

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def admin_token(db):
    from krai.accounts.models import TOKEN_SCOPES
    from krai.accounts.services.tokens import token_create
    from krai.org.tests.factories import UserFactory

    admin = UserFactory(is_staff=True, is_superuser=True, email_confirmed=True)
    made = token_create(actor=admin, user=admin, name="fuzz", scopes=list(TOKEN_SCOPES))  # every area's writes
    return made.key


@schema.parametrize()
@settings(max_examples=4, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_request_makes_the_api_fail(case, admin_token, settings_override, keep_test_connection):
    response = case.call(headers={"Authorization": f"Bearer {admin_token}"})
    case.validate_response(response, checks=[not_a_server_error])


@pytest.fixture
def settings_override(settings):
    settings.RATELIMIT_ENABLE = False
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
        "anon": "100000/min", "user": "100000/min", "public_write": "100000/min"}}


@pytest.fixture
def keep_test_connection():
    """Requests go through the WSGI handler, whose end-of-request signal would close the test's connection
    (it sits in the test's transaction, which the handler takes for a broken one). Django's test client
    unhooks the same signals."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
