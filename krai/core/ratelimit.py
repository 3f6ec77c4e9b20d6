"""One fixed-window rate limit for public writes (comments, publications, messages, follows…), kept in the cache.

``rate(spec, default_unit)`` reads a setting such as "10/m", "20/h" or "60/600" (seconds) into (limit, seconds);
``within(scope, who, limit, seconds)`` counts one use of ``scope`` by ``who`` in the current window and says
whether it is still within the limit. ``RATELIMIT_ENABLE = False`` turns every limit off (load tests).
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate(spec: Any, default_unit: str = "m") -> tuple[int, int]:
    """(limit, seconds) of ``spec``: "<count>/<unit>" with a unit of s, m, h, d, or "<count>/<seconds>"."""
    count, _slash, period = str(spec).partition("/")
    period = period.strip() or default_unit
    seconds = int(period) if period.isdigit() else _UNITS.get(period[:1], _UNITS[default_unit])
    return int(count), max(1, seconds)


def within(scope: str, who: Any, limit: int, seconds: int) -> bool:
    """Count one use of ``scope`` by ``who`` (an id) in the current window; ``False`` once past ``limit``."""
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return True
    key = f"rate:{scope}:{who}:{int(time.time() // seconds)}"
    cache.add(key, 0, seconds + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds + 1)
        used = 1
    return used <= limit


class RateLimited(ValidationError):
    """Too many writes of one kind in a short time: a ValidationError for pages, a 429 for the API
    (``krai.core.api_views.AreaView``)."""
