"""The tests of the planner read the services' messages in English (the code's language); the tests of the Russian
texts switch the language themselves."""

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Pages and the API answer in the language the request asks for: English here."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
