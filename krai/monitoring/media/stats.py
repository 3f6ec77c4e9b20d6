"""The rolling z-score of a topic's daily mentions.

``z = (count − mean) / max(stdev, MIN_STDEV)`` over the ``WINDOW_DAYS`` = 28 days before the day (days without a
mention count as 0; population standard deviation). A day is a spike when ``z ≥ Z_THRESHOLD`` = 3 *and* it has at
least ``KRAI_PRESS_SPIKE_MIN_MENTIONS`` (5) mentions — a topic mentioned once a month is not in a storm on the day
it is mentioned twice. ``MIN_STDEV`` = 1 keeps a quiet topic's z finite: over a flat window it takes three mentions
above the mean (and the minimum) to count.
"""

from __future__ import annotations

import math

from django.conf import settings

WINDOW_DAYS = 28
Z_THRESHOLD = 3.0
MIN_STDEV = 1.0


def min_mentions() -> int:
    return int(getattr(settings, "KRAI_PRESS_SPIKE_MIN_MENTIONS", 5))


def z_score(count: int, window: list[int]) -> tuple[float, float, float]:
    """(mean, stdev, z) of ``count`` against the window's counts."""
    mean = sum(window) / len(window) if window else 0.0
    stdev = math.sqrt(sum((n - mean) ** 2 for n in window) / len(window)) if window else 0.0
    return mean, stdev, (count - mean) / max(stdev, MIN_STDEV)
