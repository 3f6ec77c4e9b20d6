import pytest


@pytest.fixture
def client(client):
    """Pages in English, the source language, so assertions do not depend on the Russian catalogue."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client
