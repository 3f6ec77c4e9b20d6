"""Factories of the accounts area: tokens issued through the service, so the secret is real."""

from __future__ import annotations

from datetime import datetime

from krai.accounts import services
from krai.accounts.models import ApiToken, OidcProvider


def make_token(user, *, scopes=("read", "write"), expires_at: datetime | None = None,
               name: str = "test") -> tuple[ApiToken, str]:
    issued = services.token_create(actor=user, user=user, name=name, scopes=list(scopes), expires_at=expires_at)
    return issued.token, issued.key


def make_provider(**fields) -> OidcProvider:
    values = {"slug": "region-id", "name": "Region ID", "issuer": "https://id.example.ru",
              "client_id": "krai", "client_secret_env": "KRAI_TEST_OIDC_SECRET",
              "authorization_endpoint": "https://id.example.ru/authorize",
              "token_endpoint": "https://id.example.ru/token", "userinfo_endpoint": "https://id.example.ru/userinfo",
              "jwks_endpoint": "https://id.example.ru/jwks", **fields}
    return OidcProvider.objects.create(**values)
