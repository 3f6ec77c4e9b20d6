"""Writing the audit trail: from domain events (a subscriber of every kind) and from auth signals."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest

from krai.core.audit.models import AuditEntry
from krai.core.events.models import Event
from krai.core.logging import current_request_id


def _describe(user) -> str:
    if user is None:
        return ""
    return (getattr(user, "email", "") or str(user))[:300]


def _subject_repr(subject_type: ContentType | None, subject_id: str) -> str:
    if subject_type is None or not subject_id:
        return ""
    model = subject_type.model_class()
    if model is None:
        return ""
    obj = model._default_manager.filter(pk=subject_id).first()
    return str(obj)[:300] if obj is not None else ""


def record_from_event(*, event: Event) -> AuditEntry:
    """Copy one event into the trail; a second call for the same event returns the first entry."""
    existing = AuditEntry.objects.filter(event_id=event.pk).first()
    if existing is not None:
        return existing
    return AuditEntry.objects.create(
        source=AuditEntry.Source.EVENT,
        event_id=event.pk,
        kind=event.kind,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_repr=_describe(event.actor) if event.actor_id else "",
        deputy_id=event.deputy_id,
        deputy_repr=_describe(event.deputy) if event.deputy_id else "",
        subject_type_id=event.subject_type_id,
        subject_id=event.subject_id,
        subject_repr=_subject_repr(event.subject_type, event.subject_id),
        payload=event.payload,
        request_id=event.request_id,
    )


def client_ip(request: HttpRequest | None) -> str | None:
    """The peer address as the server saw it (a proxy must set REMOTE_ADDR, as for log-in throttling)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record_auth(*, kind: str, user=None, request: HttpRequest | None = None, username: str = "",
                payload: dict[str, Any] | None = None) -> AuditEntry:
    """Write a log-in, log-out or failed log-in, with the address and browser it came from."""
    user_agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    request_id = current_request_id()
    return AuditEntry.objects.create(
        source=AuditEntry.Source.AUTH,
        kind=kind,
        actor=user if user is not None and getattr(user, "pk", None) else None,
        actor_repr=_describe(user) if user is not None else username[:300],
        payload=payload or {},
        ip_address=client_ip(request),
        user_agent=user_agent[:500],
        request_id="" if request_id == "-" else request_id,
    )
