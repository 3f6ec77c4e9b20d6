"""Reads of the accounts area, always for the acting user."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from krai.accounts.models import ApiToken, OidcProvider
from krai.core.privacy import exported_sections


def tokens_of(*, user: Any) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (revoked ones too: they are his record)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at")


def token_get_for_user(*, user: Any, pk: int) -> ApiToken:
    """One of the user's tokens; someone else's or a missing one is the same 404."""
    token = ApiToken.objects.filter(pk=pk, user=user).first() if user.is_authenticated else None
    if token is None:
        raise Http404
    return token


def providers_active() -> QuerySet[OidcProvider]:
    return OidcProvider.objects.filter(is_active=True).order_by("name")


def user_data_export(*, user: Any) -> dict[str, Any]:
    """Everything the accounts area holds about a person, for "download my data" (JSON)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from krai.core.events.models import Event

    municipality = user.home_municipality
    events = Event.objects.filter(actor=user).order_by("-pk").values("kind", "occurred_at")[:1000]
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "email": user.email,
            "email_confirmed": user.email_confirmed,
            "surname": user.surname,
            "given_name": user.given_name,
            "patronymic": user.patronymic,
            "phone": user.phone,
            "home_municipality": {"id": municipality.pk, "name": municipality.name} if municipality else None,
            "residence_verified": user.residence_verified,
            "is_staff": user.is_staff,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "two_factor": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "api_tokens": [
            {"name": t.name, "kind": t.kind, "prefix": t.prefix, "scopes": t.scopes,
             "created_at": t.created_at.isoformat(),
             "expires_at": t.expires_at.isoformat() if t.expires_at else None,
             "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
             "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None}
            for t in tokens_of(user=user)
        ],
        "activity": [{"kind": e["kind"], "at": e["occurred_at"].isoformat()} for e in events],
        **exported_sections(user),
    }
