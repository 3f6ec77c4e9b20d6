"""Consolidation's settings read in one place: who this installation is, where it pushes, whom it receives from.

Secrets come only from the environment (``KRAI_CONSOLIDATION_SECRET``, ``KRAI_CONSOLIDATION_SOURCES``); nothing
here is stored in the database. Nothing configured: the part is idle (the simple default of one installation).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from krai import config

#: the first retry waits one push interval, each next one twice as long, never longer than sixteen intervals
#: nor than this (seconds)
MAX_BACKOFF_SECONDS = 3600
MAX_BACKOFF_INTERVALS = 16


def installation_code() -> str:
    return str(getattr(settings, "KRAI_INSTALLATION_CODE", "") or "krai")


def installation_name() -> str:
    return str(getattr(settings, "KRAI_INSTALLATION_NAME", "") or installation_code())


def site_url() -> str:
    return str(getattr(settings, "KRAI_SITE_URL", "")).rstrip("/")


def upstream_url() -> str:
    """The receiving (Department of Control's) installation's base URL; empty: this one pushes nowhere."""
    return str(getattr(settings, "KRAI_CONSOLIDATION_UPSTREAM_URL", "") or "").rstrip("/")


def push_url() -> str:
    return f"{upstream_url()}/api/v1/integration/consolidation/push/"


def secret() -> str:
    return str(getattr(settings, "KRAI_CONSOLIDATION_SECRET", "") or "")


def is_source() -> bool:
    """This installation pushes its orders upstream (both the URL and the shared secret are set)."""
    return bool(upstream_url() and secret())


def sources() -> dict[str, str]:
    """The installations allowed to push here: code → shared secret (``code=whsec_…,code=whsec_…``)."""
    raw = str(getattr(settings, "KRAI_CONSOLIDATION_SOURCES", "") or "")
    known: dict[str, str] = {}
    for item in raw.split(","):
        item = item.strip()
        if not item:
            continue
        code, sep, value = item.partition("=")
        if not sep or not code.strip() or not value.strip():
            raise ImproperlyConfigured("KRAI_CONSOLIDATION_SOURCES: each item is code=whsec_…")
        known[code.strip()] = value.strip()
    return known


def push_seconds() -> int:
    """How soon a change is pushed, and the first retry's delay after a failure (seconds).

    Read from the settings (``KRAI_CONSOLIDATION_PUSH_SECONDS``); the environment variable of that name is honoured
    directly too, so a test can shorten it for a ``krai serve`` it starts.
    """
    value = getattr(settings, "KRAI_CONSOLIDATION_PUSH_SECONDS", None)
    if value is None:
        value = config.env_int("CONSOLIDATION_PUSH_SECONDS", 60)
    return max(1, int(value))


def timeout_seconds() -> int:
    return int(getattr(settings, "KRAI_WEBHOOKS_TIMEOUT_SECONDS", 10) or 10)


def backoff_seconds(failures: int) -> int:
    """The wait after ``failures`` failed pushes in a row: one interval, then doubling, at most sixteen intervals
    (16 minutes by default) and at most an hour."""
    interval = push_seconds()
    return min(interval * 2 ** min(max(failures - 1, 0), 4), interval * MAX_BACKOFF_INTERVALS, MAX_BACKOFF_SECONDS)
