import pytest

from krai.core.events import registry


@pytest.fixture
def subscribe():
    """Register subscribers for one test: ``subscribe("test.a", ["test.*"], handler)``."""
    names: list[str] = []

    def _subscribe(name, kinds, handler, **options):
        registry.register(name, kinds=kinds, handler=handler, **options)
        names.append(name)

    yield _subscribe
    for name in names:
        registry.unregister(name)
