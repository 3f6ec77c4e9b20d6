"""Reads of the registered systems: for administrators (``integration.manage_systems``) only — anyone else finds
nothing, and a system he names is missing (404), exactly like one that does not exist."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from krai.accounts.models import ApiToken
from krai.integration.models import ExternalSystem
from krai.org.models import RoleAssignment

MANAGE = "integration.manage_systems"


def may_manage(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(MANAGE))


def system_list(*, user: Any, q: str = "", kind: str = "", active: bool | None = None) -> QuerySet[ExternalSystem]:
    """Systems by name, with their owner body, the number of tokens working now and when one was last used."""
    if not may_manage(user):
        return ExternalSystem.objects.none()
    working = Q(account__api_tokens__revoked_at__isnull=True) & (
        Q(account__api_tokens__expires_at__isnull=True) | Q(account__api_tokens__expires_at__gt=timezone.now()))
    rows = ExternalSystem.objects.select_related("organisation", "account").annotate(
        tokens_active=Count("account__api_tokens", filter=working, distinct=True),
        last_used_at=Max("account__api_tokens__last_used_at"))
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(code__icontains=q.lower()) | Q(description__icontains=q))
    if kind:
        rows = rows.filter(kind=kind)
    if active is not None:
        rows = rows.filter(is_active=active)
    return rows.order_by("name", "pk")


def system_get(*, user: Any, code: str) -> ExternalSystem:
    if not may_manage(user):
        raise Http404
    system = ExternalSystem.objects.select_related("organisation", "account").filter(code=code).first()
    if system is None:
        raise Http404
    return system


def system_tokens(system: ExternalSystem) -> QuerySet[ApiToken]:
    """The tokens of the system's account, the newest first (revoked and expired ones stay, as a record)."""
    return ApiToken.objects.filter(user_id=system.account_id).order_by("-created_at", "-pk")


def system_token_get(system: ExternalSystem, pk: int) -> ApiToken:
    token = system_tokens(system).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


def system_access(system: ExternalSystem) -> list[RoleAssignment]:
    """The roles the system's account acts in (one, as registered)."""
    return list(RoleAssignment.objects.filter(user_id=system.account_id)
                .select_related("organisation", "municipality", "block").order_by("pk"))


def system_of(user: Any) -> ExternalSystem | None:
    """The system ``user`` is the service account of, if any."""
    if user is None or not user.is_authenticated:
        return None
    return ExternalSystem.objects.filter(account_id=user.pk).first()


def active_count() -> int:
    return ExternalSystem.objects.filter(is_active=True).count()
