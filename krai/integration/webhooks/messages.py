"""What a webhook says and how it is signed (Standard Webhooks).

The body is JSON ``{"type": kind, "timestamp": when it happened, "data": {"event_id", "subject_type",
"subject_id", …the event's payload}}``. Webhooks are notices with ids, not copies of records: free texts
(``PRIVATE_KEYS``: reasons, notes, excerpts, e-mails…) are left out, and the receiver reads details through the API
with its own token, which its scope governs. A payload key that clashes with the three ids above is kept as
``payload_<key>`` (``control.*`` events name the assignment's own subject that way).

The body is built from the event each time it is sent, and the same event always gives the same bytes, so every
attempt and replay carries the same message under the same ``webhook-id``. ``webhook-timestamp`` is the moment of
sending (the receiver checks it is recent), taken from the wall clock.
"""

from __future__ import annotations

import base64
import json
import secrets
from datetime import UTC, datetime
from typing import Any

from standardwebhooks.webhooks import Webhook

from krai.core.events.models import Event

SECRET_PREFIX = "whsec_"  # noqa: S105 — the form's prefix, not a secret
TEST_KIND = "webhook.test"
RESERVED = ("event_id", "subject_type", "subject_id")
#: payload keys that may hold free text or personal data: never sent
PRIVATE_KEYS = frozenset({"email", "phone", "excerpt", "text", "body", "comment", "reason", "note", "answer",
                          "message", "address", "full_name", "surname", "given_name", "patronymic"})


def new_secret() -> str:
    """``whsec_`` and the base64 of 32 random bytes (the Standard Webhooks form)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def _clean(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        return {}
    data: dict[str, Any] = {}
    for key, value in payload.items():
        if key in PRIVATE_KEYS:
            continue
        data[f"payload_{key}" if key in RESERVED else key] = value
    return data


def body_for(event: Event) -> bytes:
    """The JSON body of ``event``'s webhook (the same bytes every time)."""
    subject_type = ""
    if event.subject_type_id is not None:
        subject_type = f"{event.subject_type.app_label}.{event.subject_type.model}"
    data = {"event_id": event.pk, "subject_type": subject_type, "subject_id": event.subject_id,
            **_clean(event.payload)}
    message = {"type": event.kind, "timestamp": event.occurred_at.astimezone(UTC).isoformat(), "data": data}
    return json.dumps(message, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def test_body(endpoint_id: int, now: datetime) -> bytes:
    """A ``webhook.test`` message: it names the endpoint and nothing else."""
    message = {"type": TEST_KIND, "timestamp": now.astimezone(UTC).isoformat(), "data": {"endpoint_id": endpoint_id}}
    return json.dumps(message, sort_keys=True, separators=(",", ":")).encode("utf-8")


def headers(*, message_id: str, body: bytes, secrets_: list[str], now: datetime | None = None) -> dict[str, str]:
    """The request's headers: ``webhook-id``, ``webhook-timestamp`` and one signature per secret in force."""
    moment = now or datetime.now(UTC)
    signatures = " ".join(Webhook(secret).sign(message_id, moment, body) for secret in secrets_)
    return {"content-type": "application/json", "webhook-id": message_id,
            "webhook-timestamp": str(int(moment.timestamp())), "webhook-signature": signatures,
            "user-agent": "Krai-Webhooks/1"}
