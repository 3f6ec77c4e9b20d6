"""Test helpers of consolidation: secrets, settings of a source and a receiver, a transport that hands the
pusher's requests to this installation's own push endpoint (one database plays both sides), a signed push."""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.test import Client
from django.utils import timezone

from krai.integration.consolidation import protocol

CODE = "economy"
SITE = "https://economy.krai.test"
UPSTREAM = "https://control.krai.test"
PUSH_PATH = "/api/v1/integration/consolidation/push/"


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def configure(settings, *, source: bool = True, receiver: bool = True, secret: str | None = None) -> str:
    """This installation as a source pushing to itself and (or) as the receiver knowing it; the shared secret."""
    secret = secret or new_secret()
    settings.KRAI_INSTALLATION_CODE = CODE
    settings.KRAI_INSTALLATION_NAME = "Экономический блок"
    settings.KRAI_SITE_URL = SITE
    settings.KRAI_CONSOLIDATION_UPSTREAM_URL = UPSTREAM if source else ""
    settings.KRAI_CONSOLIDATION_SECRET = secret if source else ""
    settings.KRAI_CONSOLIDATION_SOURCES = f"{CODE}={secret}" if receiver else ""
    settings.KRAI_CONSOLIDATION_PUSH_SECONDS = 5
    return secret


@dataclass
class Answer:
    """What ``requests.post`` gives back, enough for the pusher."""

    status_code: int
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)


class Loopback:
    """``requests.post`` replaced: the push goes to this installation's endpoint through Django's test client."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.fail_with: int | None = None
        self.raise_error: Exception | None = None

    def __call__(self, url: str, *, data: bytes, headers: dict[str, str], timeout: int, allow_redirects: bool
                 ) -> Answer:
        assert url == UPSTREAM + PUSH_PATH
        assert allow_redirects is False and timeout > 0
        self.calls.append({"headers": headers, "body": json.loads(data)})
        if self.raise_error is not None:
            raise self.raise_error
        if self.fail_with is not None:
            return Answer(self.fail_with, b"<html>Service unavailable</html>")
        response = Client().post(PUSH_PATH, data=data, content_type="application/json", headers=headers)
        return Answer(response.status_code, response.content)


def signed_push(client: Client, body: dict[str, Any] | bytes, *, secret: str, code: str = CODE,
                message_id: str = "economy:1-2", at: datetime | None = None, **headers: str):
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    signed = protocol.sign(secret, message_id=message_id, body=raw, at=at or timezone.now())
    return client.post(PUSH_PATH, data=raw, content_type="application/json",
                       headers={protocol.INSTALLATION_HEADER: code, **signed, **headers})


def snapshot(remote_id: int, version: int, **fields: Any) -> dict[str, Any]:
    """An order as a source sends it."""
    return {"id": remote_id, "version": version, "number": f"2026-{remote_id:05d}", "title": f"Поручение {remote_id}",
            "issued_on": "2026-03-02", "lead_executor": {"name": "Министерство экономики", "code": "min-economy"},
            "co_executors": [], "deadline": "2026-04-01", "status": "in_progress", "open": True, "closed_on": None,
            "overdue": False, "last_report_on": None, "url": f"{SITE}/workspace/orders/order/{remote_id}/", **fields}


def batch(*orders: dict[str, Any], first: int | None = 1, last: int | None = 2, code: str = CODE) -> dict[str, Any]:
    return {"installation": {"code": code, "name": "Экономический блок", "url": SITE}, "first_event": first,
            "last_event": last, "orders": list(orders)}
