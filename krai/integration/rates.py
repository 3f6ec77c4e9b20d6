"""A registered system's rate limit: written ``N/sec``, ``N/min``, ``N/hour`` or ``N/day`` (the short ``s``, ``m``,
``h``, ``d`` and the long ``second``, ``minute`` are read too and stored in the canonical form); empty means the
installation's default, ``settings.KRAI_INTEGRATION_SYSTEM_RATE``.

DRF's ``SimpleRateThrottle`` reads the period by its first letter, so every canonical form is one it understands.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _

_RATE = re.compile(r"^\s*(\d{1,9})\s*/\s*(s|sec|second|m|min|minute|h|hour|d|day)\s*$", re.IGNORECASE)
_CANONICAL = {"s": "sec", "m": "min", "h": "hour", "d": "day"}
SECONDS = {"sec": 1, "min": 60, "hour": 3600, "day": 86400}

RATE_HELP = _("Requests per period: N/sec, N/min, N/hour or N/day, e.g. 600/min. Empty: the installation's "
              "default (%(default)s).")


def clean_rate(value: str | None) -> str:
    """The canonical form of ``value`` ("600/min"), "" for empty; ``ValueError`` with a message when malformed."""
    text = (value or "").strip()
    if not text:
        return ""
    match = _RATE.match(text)
    if match is None:
        raise ValueError(_("Write the rate as a number of requests per sec, min, hour or day, e.g. 600/min."))
    count = int(match.group(1))
    if count < 1:
        raise ValueError(_("A rate limit allows at least one request per period."))
    return f"{count}/{_CANONICAL[match.group(2)[0].lower()]}"


def default_rate() -> str:
    return str(settings.KRAI_INTEGRATION_SYSTEM_RATE)


def effective_rate(rate_limit: str) -> str:
    """The rate that applies: the system's own, else the installation's default."""
    return rate_limit or default_rate()


def requests_and_seconds(rate: str) -> tuple[int, int]:
    """(requests, seconds) of a rate in the form DRF reads ("600/min" → (600, 60))."""
    count, _slash, period = rate.partition("/")
    return int(count), {"s": 1, "m": 60, "h": 3600, "d": 86400}[period.strip()[0].lower()]
