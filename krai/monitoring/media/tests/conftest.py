import pytest

from krai.monitoring.media.tests.feedserver import FeedServer


@pytest.fixture
def feeds(settings):
    """The feed server on 127.0.0.1, with the poll's timeout short enough for its slow feed to miss it."""
    settings.KRAI_PRESS_TIMEOUT = 0.5
    settings.KRAI_PRESS_TOTAL_TIMEOUT = 5
    with FeedServer(slow_seconds=2.0) as server:
        yield server
