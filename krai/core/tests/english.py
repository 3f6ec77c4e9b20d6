"""Fixtures for areas whose tests read the services' messages and pages in English (the code's language); the tests
of the Russian texts switch the language themselves. An area's conftest imports both."""

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _english_pages(client: Client) -> Client:
    """Pages and the API answer in the language the request asks for: English here."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
