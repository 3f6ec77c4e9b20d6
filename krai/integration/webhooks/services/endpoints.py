"""Endpoints: an administrator subscribes a registered system to events, changes, disables, deletes the
subscription, rotates its secret and sends it a test message. Each change records its ``webhooks.*`` event (its
payload never holds the secret)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from krai.core.events.services import record_event
from krai.integration.models import ExternalSystem
from krai.integration.webhooks import delivery, messages
from krai.integration.webhooks.matching import MAX_KINDS, parse_kinds, scope_within_account
from krai.integration.webhooks.models import Endpoint, EndpointScope
from krai.integration.webhooks.policy import require_manager
from krai.org.models import Block, Municipality, Organisation
from krai.org.scopes import scope_for

__all__ = ["PingResult", "endpoint_create", "endpoint_delete", "endpoint_ping", "endpoint_rotate_secret",
           "endpoint_update"]

#: how long the secret before a rotation still signs beside the new one
ROTATION_GRACE = timedelta(hours=24)
FIELDS = ("system", "url", "description", "event_kinds", "scope", "organisation", "municipality", "block",
          "is_active")


def _clean_url(value: Any) -> str:
    url = str(value or "").strip()
    if not url:
        raise ValidationError({"url": _("Enter the URL the system receives webhooks at.")}, code="required")
    if len(url) > 500 or any(ch.isspace() for ch in url):
        raise ValidationError({"url": _("Enter a valid URL.")}, code="invalid")
    try:
        parts = urlsplit(url)
        port = parts.port  # raises on a bad port
    except ValueError:
        raise ValidationError({"url": _("Enter a valid URL.")}, code="invalid") from None
    if parts.scheme not in ("http", "https"):
        raise ValidationError({"url": _("Webhooks are sent over http or https only.")}, code="scheme")
    if not parts.hostname or (port is not None and not 0 < port < 65536):
        raise ValidationError({"url": _("Enter a valid URL.")}, code="invalid")
    return url


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Validate an endpoint's fields (all of them, as they will be); refusals by field."""
    out = dict(data)
    if not isinstance(out.get("system"), ExternalSystem):
        raise ValidationError({"system": _("Choose a registered system.")}, code="required")
    out["url"] = _clean_url(out.get("url"))
    description = str(out.get("description") or "").strip()
    if len(description) > 300:
        raise ValidationError({"description": _("At most %(n)s characters.") % {"n": 300}}, code="too_long")
    out["description"] = description
    kinds, bad = parse_kinds(out.get("event_kinds") or [])
    if bad:
        raise ValidationError({"event_kinds": _("Not a kind of event: %(kinds)s. Write orders.order_issued, "
                                                "orders.* or *.") % {"kinds": ", ".join(bad[:5])}}, code="invalid")
    if not kinds:
        raise ValidationError({"event_kinds": _("Name at least one kind of event.")}, code="required")
    if len(kinds) > MAX_KINDS:
        raise ValidationError({"event_kinds": _("At most %(n)s patterns.") % {"n": MAX_KINDS}}, code="too_many")
    out["event_kinds"] = kinds
    scope = out.get("scope") or EndpointScope.REGION
    if scope not in EndpointScope.values:
        raise ValidationError({"scope": _("Choose a scope.")}, code="invalid")
    out["scope"] = scope
    targets = {"organisation": Organisation, "municipality": Municipality, "block": Block}
    for name, model in targets.items():
        if name != scope:
            out[name] = None
        elif not isinstance(out.get(name), model):
            raise ValidationError({name: _("Choose where the events must happen.")}, code="required")
    out["is_active"] = bool(out.get("is_active", True))
    return out


def _within_account(endpoint: Endpoint) -> None:
    if not scope_within_account(endpoint, scope_for(endpoint.system.account)):
        raise ValidationError({"scope": _("The system's service account does not see all of this scope: choose a "
                                          "narrower one or widen the system's role.")}, code="beyond_account")


def _payload(endpoint: Endpoint, **extra: Any) -> dict[str, Any]:
    return {"endpoint_id": endpoint.pk, "system_id": endpoint.system_id, "url": endpoint.url,
            "event_kinds": endpoint.event_kinds, "scope": endpoint.scope, "organisation_id": endpoint.organisation_id,
            "municipality_id": endpoint.municipality_id, "block_id": endpoint.block_id,
            "is_active": endpoint.is_active, **extra}


@transaction.atomic
def endpoint_create(*, actor: Any, system: ExternalSystem, url: str, event_kinds: Any, description: str = "",
                    scope: str = EndpointScope.REGION, organisation: Organisation | None = None,
                    municipality: Municipality | None = None, block: Block | None = None,
                    is_active: bool = True) -> Endpoint:
    """Subscribe ``system`` to events; a fresh signing secret is made for it."""
    require_manager(actor)
    data = _clean({"system": system, "url": url, "description": description, "event_kinds": event_kinds,
                   "scope": scope, "organisation": organisation, "municipality": municipality, "block": block,
                   "is_active": is_active})
    endpoint = Endpoint(**data, secret=messages.new_secret(), created_by=actor)
    _within_account(endpoint)
    endpoint.save()
    record_event(kind="webhooks.endpoint_created", actor=actor, subject=endpoint, payload=_payload(endpoint))
    return endpoint


@transaction.atomic
def endpoint_update(*, actor: Any, endpoint: Endpoint, **fields: Any) -> Endpoint:
    """Change an endpoint (any of its fields; ``is_active=False`` disables it: its deliveries wait, pending)."""
    require_manager(actor)
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Unknown endpoint fields: {sorted(unknown)}")
    locked = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    before = _payload(locked)
    current = {name: getattr(locked, name) for name in FIELDS}
    current.update(fields)
    data = _clean(current)
    for name, value in data.items():
        setattr(locked, name, value)
    _within_account(locked)
    after = _payload(locked)
    changed = sorted(name for name in after if before[name] != after[name])
    if not changed:
        return locked
    locked.save()
    kind = "webhooks.endpoint_changed"
    if changed == ["is_active"]:
        kind = "webhooks.endpoint_enabled" if locked.is_active else "webhooks.endpoint_disabled"
    record_event(kind=kind, actor=actor, subject=locked, payload=_payload(locked, changed=changed))
    _refresh(endpoint, locked)
    return locked


def _refresh(endpoint: Endpoint, fresh: Endpoint) -> None:
    """The caller's object shows what the row now holds."""
    for field in Endpoint._meta.concrete_fields:
        setattr(endpoint, field.attname, getattr(fresh, field.attname))


@transaction.atomic
def endpoint_rotate_secret(*, actor: Any, endpoint: Endpoint) -> Endpoint:
    """A new signing secret; the old one still signs beside it for ``ROTATION_GRACE`` so the receiver can switch."""
    require_manager(actor)
    locked = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    now = timezone.now()
    locked.previous_secret, locked.previous_secret_until = locked.secret, now + ROTATION_GRACE
    locked.secret = messages.new_secret()
    locked.save(update_fields=["secret", "previous_secret", "previous_secret_until", "updated_at"])
    record_event(kind="webhooks.endpoint_secret_rotated", actor=actor, subject=locked,
                 payload={"endpoint_id": locked.pk, "previous_valid_until": locked.previous_secret_until.isoformat()})
    _refresh(endpoint, locked)
    return locked


@transaction.atomic
def endpoint_delete(*, actor: Any, endpoint: Endpoint) -> None:
    """Delete an endpoint and its deliveries (the exchange log keeps what was sent)."""
    require_manager(actor)
    locked = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    counts = {status: locked.deliveries.filter(status=status).count() for status in ("pending", "delivered", "dead")}
    record_event(kind="webhooks.endpoint_deleted", actor=actor, subject=locked,
                 payload=_payload(locked, deliveries=counts))
    locked.deliveries.all().delete()
    locked.delete()


@dataclass(frozen=True)
class PingResult:
    message_id: str
    ok: bool
    http_status: int | None
    error: str


def endpoint_ping(*, actor: Any, endpoint: Endpoint) -> PingResult:
    """Send a ``webhook.test`` message now and say how the receiver answered (also to a disabled endpoint: one
    checks it before enabling). The request runs outside any transaction; its event follows."""
    require_manager(actor)
    message_id, outcome = delivery.ping(endpoint)
    with transaction.atomic():
        record_event(kind="webhooks.endpoint_pinged", actor=actor, subject=endpoint,
                     payload={"endpoint_id": endpoint.pk, "message_id": message_id, "ok": outcome.ok,
                              "http_status": outcome.http_status})
    return PingResult(message_id=message_id, ok=outcome.ok, http_status=outcome.http_status, error=outcome.error)
