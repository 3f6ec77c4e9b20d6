import pytest

from krai.core.events import registry


@pytest.fixture
def subscribe():
    """Register subscribers for one test: ``subscribe("test.a", ["test.*"], handler)``.

    Only these are active during the test (the audit trail and other real subscribers are set aside).
    """

    def _subscribe(name, kinds, handler, **options):
        registry.register(name, kinds=kinds, handler=handler, **options)

    with registry.isolated():
        yield _subscribe
