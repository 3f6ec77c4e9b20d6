"""The exchange log: one row per message in or out, written outside the transaction of what it reports.

A refused package rolls its import back, but the log must still say that it came and why it was refused, so
callers write here after their own transaction (or on their failure path), never inside it.
"""

from __future__ import annotations

import time

from krai.integration.models import ExchangeMessage, ExternalSystem

#: a payload above this is kept cut, with a note (a log must not become a file store)
MAX_KEPT_PAYLOAD = 1_000_000


def _text(payload: bytes | str | None) -> tuple[str, int]:
    if payload is None:
        return "", 0
    raw = payload if isinstance(payload, bytes) else payload.encode("utf-8", "replace")
    text = raw[:MAX_KEPT_PAYLOAD].decode("utf-8", "replace")
    return text, len(raw)


def record_exchange(*, channel: str, direction: str, kind: str, status: str, system: ExternalSystem | None = None,
                    peer: str = "", correlation_id: str = "", summary: str = "", payload: bytes | str | None = None,
                    content_type: str = "", http_status: int | None = None, error: str = "",
                    started: float | None = None) -> ExchangeMessage:
    """Write one message of the exchange log. ``started``: ``time.monotonic()`` when the exchange began."""
    text, size = _text(payload)
    duration = int((time.monotonic() - started) * 1000) if started is not None else None
    return ExchangeMessage.objects.create(
        system=system, peer=peer[:300], channel=channel, direction=direction, kind=kind[:100], status=status,
        correlation_id=correlation_id[:200], summary=summary[:500], content_type=content_type[:100], payload=text,
        payload_size=size, http_status=http_status, error=error[:10_000], duration_ms=duration)

