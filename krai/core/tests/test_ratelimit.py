"""The shared rate limit: settings read in units or seconds; uses counted per scope and person in a window."""

from __future__ import annotations

from krai.core import ratelimit


def test_rates_read_in_units_or_seconds():
    assert ratelimit.rate("10/m") == (10, 60)
    assert ratelimit.rate("20/h", "h") == (20, 3600)
    assert ratelimit.rate("60/600", "s") == (60, 600)
    assert ratelimit.rate("5", "d") == (5, 86400)


def test_uses_are_counted_per_scope_and_person(settings):
    settings.RATELIMIT_ENABLE = True
    assert [ratelimit.within("test:a", 1, 2, 3600) for _ in range(3)] == [True, True, False]
    assert ratelimit.within("test:a", 2, 2, 3600) and ratelimit.within("test:b", 1, 2, 3600)
    settings.RATELIMIT_ENABLE = False
    assert ratelimit.within("test:a", 1, 2, 3600)
