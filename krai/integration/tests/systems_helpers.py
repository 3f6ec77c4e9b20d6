"""Helpers of the systems' and the log's tests: a system registered through the service, an API client, log rows."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from krai.core.events.models import Event
from krai.integration.models import ExchangeMessage, ExternalSystem
from krai.integration.services import systems as services
from krai.integration.services.exchange import record_exchange
from krai.integration.tests.factories import administrator


def registered(code: str = "sed-delo", *, actor: Any = None, **fields: Any) -> ExternalSystem:
    values = {"name": "СЭД «Дело»", "kind": "docflow", "access_role": "controller", "access_scope": "region",
              **fields}
    return services.system_register(actor=actor or administrator(), code=code, **values)


def api(user: Any = None, key: str | None = None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if key is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    elif user is not None:
        client.force_authenticate(user)
    return client


def kinds() -> list[str]:
    return list(Event.objects.filter(kind__startswith="integration.").values_list("kind", flat=True).order_by("pk"))


def message(**fields: Any) -> ExchangeMessage:
    values = {"channel": "medo", "direction": "in", "kind": "medo.package", "status": "ok", **fields}
    created_at = values.pop("created_at", None)
    row = record_exchange(**values)
    if created_at is not None:
        ExchangeMessage.objects.filter(pk=row.pk).update(created_at=created_at)
        row.refresh_from_db()
    return row
