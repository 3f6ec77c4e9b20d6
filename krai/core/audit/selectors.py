"""Reading the audit trail: administrators and controllers only (``core.view_audit``)."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from krai.core.audit.filters import day_after, day_start
from krai.core.audit.models import AuditEntry

PERMISSION = "core.view_audit"


def can_view_audit(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(PERMISSION))


def audit_entries(*, user, kind: str = "", actor: str = "", date_from: date | None = None,
                  date_to: date | None = None, subject: tuple[ContentType, str] | None = None) -> QuerySet[AuditEntry]:
    """The trail, newest first, filtered; raises PermissionDenied for anyone without ``core.view_audit``."""
    if not can_view_audit(user):
        raise PermissionDenied
    entries = AuditEntry.objects.select_related("actor", "deputy", "subject_type")
    if kind:
        entries = entries.filter(kind__startswith=kind[:-1]) if kind.endswith("*") else entries.filter(kind=kind)
    if actor:
        # a person is found where he acted himself and where he acted for someone as a deputy
        actor = actor.strip()
        entries = entries.filter(Q(actor_id=int(actor)) | Q(deputy_id=int(actor))) if actor.isdigit() else \
            entries.filter(Q(actor_repr__icontains=actor) | Q(deputy_repr__icontains=actor))
    if date_from:
        entries = entries.filter(occurred_at__gte=day_start(date_from))
    if date_to:
        entries = entries.filter(occurred_at__lt=day_after(date_to))
    if subject:
        content_type, pk = subject
        entries = entries.filter(subject_type=content_type)
        if pk:
            entries = entries.filter(subject_id=pk)
    return entries.order_by("-occurred_at", "-id")
